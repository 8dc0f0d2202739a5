"""Plain ``@shared_task`` tasks, as a project writes them: nothing tenant-specific."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task

from pgschemas.core.activation import get_current_schema

from .notes_app.models import Note


@shared_task
def write_note(label: str) -> str:
    """Write a note in the active schema; return that schema's name."""
    schema_name = get_current_schema().schema_name
    Note.objects.create(label=label, written_in=schema_name)
    return schema_name


@shared_task(bind=True, max_retries=3)
def write_note_after_retry(self: Any, label: str) -> str:
    """Retry once (published by the worker), then write the note."""
    if self.request.retries == 0:
        raise self.retry(countdown=0)
    return write_note(label)  # type: ignore[no-any-return]


@shared_task
def touch_nothing(label: str) -> str:
    """No database access at all: only the schema activation is measured."""
    return label


@shared_task(base=Task)
def write_note_plain_base(label: str) -> str:
    """A task whose base class is Celery's own, not ``TenantTask``."""
    return write_note(label)  # type: ignore[no-any-return]
