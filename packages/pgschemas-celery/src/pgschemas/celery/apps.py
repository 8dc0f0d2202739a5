from __future__ import annotations

from django.apps import AppConfig


class PgschemasCeleryConfig(AppConfig):
    name = "pgschemas.celery"
    label = "pgschemas_celery"
    verbose_name = "pgschemas: Celery"

    def ready(self) -> None:
        """Connect the publish and run hooks in every process that loads Django."""
        from celery import signals

        from .headers import add_schema_headers
        from .task import enter_task_schema, leave_task_schema

        signals.before_task_publish.connect(add_schema_headers, dispatch_uid="pgschemas.celery")
        signals.task_prerun.connect(enter_task_schema, dispatch_uid="pgschemas.celery")
        signals.task_postrun.connect(leave_task_schema, dispatch_uid="pgschemas.celery")
