"""The fan-out task, for Celery beat (found by ``app.autodiscover_tasks()``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from celery import shared_task

from .fanout import queue_for_each_schema

FOR_EACH_SCHEMA = "pgschemas.celery.for_each_schema"


@shared_task(name=FOR_EACH_SCHEMA, ignore_result=False)  # type: ignore[untyped-decorator]
def for_each_schema(
    task: str,
    selectors: str | Sequence[str] = ":dynamic:",
    exclude: str | Sequence[str] = (),
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
) -> list[str]:
    """Queue the task named ``task`` once per selected schema; return the queued task ids."""
    results = queue_for_each_schema(task, selectors, exclude, args=args, kwargs=kwargs)
    return [result.id for result in results]
