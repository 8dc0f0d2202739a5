from celery import shared_task

from pgschemas.core import get_current_schema

from .models import Note


@shared_task
def add_note(text: str) -> str:
    """A plain task: writes a note in whatever schema the worker activated."""
    Note.objects.create(text=text)
    return get_current_schema().schema_name
