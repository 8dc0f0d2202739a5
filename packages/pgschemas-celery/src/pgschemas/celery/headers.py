"""The schema a task was queued in, carried in the message headers.

The producer adds two headers to every task message it publishes (the
``before_task_publish`` signal, connected by the ``pgschemas.celery`` app): the name of the
schema active at publish time and the database alias it lives on. Retries, chains, groups
and chords are published by the worker while the task's schema is active, so they carry
it on.
"""

from __future__ import annotations

from typing import Any

from pgschemas.core.activation import get_current_schema

#: Header holding the ``schema_name`` active when the task was queued.
SCHEMA_HEADER = "pgschemas_schema"
#: Header holding the database alias of that schema.
ALIAS_HEADER = "pgschemas_db_alias"


def current_schema_headers() -> dict[str, str]:
    """The headers describing the active schema (``public`` when nothing is active)."""
    schema = get_current_schema()
    return {SCHEMA_HEADER: schema.schema_name, ALIAS_HEADER: schema.db_alias}


def add_schema_headers(headers: dict[str, Any] | None = None, **_kwargs: Any) -> None:
    """``before_task_publish`` receiver: stamp the message with the active schema."""
    if headers is not None:
        headers.update(current_schema_headers())


def read_schema_headers(request: Any) -> tuple[str, str | None] | None:
    """``(schema_name, alias)`` from a task request, or None when the message has none.

    Celery exposes message headers as attributes of ``task.request`` (protocol 2) and,
    for headers passed to ``apply_async(headers=...)``, in ``request.headers``.
    """
    name = getattr(request, SCHEMA_HEADER, None)
    alias = getattr(request, ALIAS_HEADER, None)
    extra = getattr(request, "headers", None)
    if name is None and isinstance(extra, dict):
        name = extra.get(SCHEMA_HEADER)
        alias = extra.get(ALIAS_HEADER)
    if not isinstance(name, str) or not name:
        return None
    return name, alias if isinstance(alias, str) and alias else None
