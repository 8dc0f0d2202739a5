"""Errors of pgschemas-celery that callers may want to catch by type."""

from __future__ import annotations


class TaskSchemaNotFound(LookupError):
    """A task message names a schema that no longer exists (its tenant was deleted).

    Raised by the worker before the task body runs, so the task fails (and is logged with
    the schema's name) instead of running in ``public``. Its only argument is the message,
    so result backends can rebuild it on the caller's side.
    """

    @classmethod
    def for_task(cls, schema_name: str, task_name: str, alias: str) -> TaskSchemaNotFound:
        return cls(
            f"Task {task_name!r} was queued in schema {schema_name!r}, which is neither "
            f"public, a static tenant nor a tenant of database {alias!r} any more (the "
            "tenant was deleted since). The task was not run. Queue it again from an "
            "existing tenant, or drop it."
        )
