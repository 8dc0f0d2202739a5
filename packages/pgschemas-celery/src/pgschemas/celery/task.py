"""Running a task in the schema it was queued in.

The ``task_prerun`` receiver (connected by the ``pgschemas.celery`` app) activates the
schema named in the message before the task starts, and ``task_postrun`` restores the
previous one after everything Celery does for the task: the body, its retries, the next
task of a chain and a chord's callback are all published while the schema is active.
Celery runs both receivers for every task, whatever its base class.

Celery ignores errors raised by signal receivers, so a deleted tenant cannot stop the task
from there. The prerun receiver logs it and activates the missing schema (every statement
of the task then fails with core's ``SchemaNotFound`` instead of running in ``public``);
:class:`TenantTask`, the base class to give the Celery app (``Celery(...,
task_cls="pgschemas.celery:TenantTask")``), goes further and fails the task with
:class:`TaskSchemaNotFound` before its body runs.
"""

from __future__ import annotations

import logging
from typing import Any

import celery
from pgschemas.core import activation
from pgschemas.core.config import get_config
from pgschemas.core.schema import Schema, SchemaLike, get_public_schema

from .exceptions import TaskSchemaNotFound
from .headers import read_schema_headers
from .resolve import schema_by_name

logger = logging.getLogger("pgschemas.celery")

#: Task ids whose schema the prerun receiver entered (postrun leaves exactly those).
_entered: set[str] = set()
#: Task ids whose schema is gone, with the error :class:`TenantTask` raises for them.
_missing: dict[str, TaskSchemaNotFound] = {}


def schema_for_request(request: Any, task_name: str) -> SchemaLike | None:
    """The schema a task request must run in; None to leave the active one alone.

    A direct call (``task(...)``) and ``task.apply()`` run in the caller's schema. A message
    without our headers (queued by a process without ``pgschemas.celery``) runs in public.
    """
    if getattr(request, "called_directly", True) or getattr(request, "is_eager", False):
        return None
    found = read_schema_headers(request)
    if found is None:
        return get_public_schema()
    schema_name, alias = found
    return schema_by_name(schema_name, alias, task_name)


def enter_task_schema(task: Any = None, task_id: str | None = None, **_kwargs: Any) -> None:
    """``task_prerun`` receiver: activate the schema the task was queued in."""
    if task is None or task_id is None:
        return
    try:
        schema = schema_for_request(task.request, task.name)
    except TaskSchemaNotFound as exc:
        logger.error("%s", exc)
        _missing[task_id] = exc
        schema_name, alias = read_schema_headers(task.request) or ("", None)
        # Not public: statements in a schema that does not exist fail in core's backend.
        schema = Schema(schema_name, is_dynamic=True, alias=alias or get_config().tenant_db_alias)
    if schema is None:
        return
    activation.enter(schema)
    _entered.add(task_id)


def leave_task_schema(task_id: str | None = None, **_kwargs: Any) -> None:
    """``task_postrun`` receiver: restore what was active before :func:`enter_task_schema`."""
    if task_id is None:
        return
    _missing.pop(task_id, None)
    if task_id in _entered:
        _entered.discard(task_id)
        activation.leave()


class TenantTask(celery.Task):
    """A Celery task that fails, without running its body, when its tenant is gone."""

    def before_start(self, task_id: str, args: Any, kwargs: Any) -> None:
        error = _missing.get(task_id)
        if error is not None:
            raise error
        super().before_start(task_id, args, kwargs)
