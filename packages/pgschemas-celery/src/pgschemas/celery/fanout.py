"""Queueing one task per schema, chosen with the family's schema selectors.

The selectors are those of ``runschema -s`` (``:dynamic:``, ``:all:``, ``:static:``,
``:tenants:``, schema names, domains); each queued task carries its schema in its headers
like any task queued inside that tenant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from celery import current_app, signature
from celery.canvas import Signature
from pgschemas.core.activation import override


def _as_list(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _signature(task: Any, args: Sequence[Any], kwargs: Mapping[str, Any] | None) -> Any:
    app = current_app._get_current_object()
    sig = task.clone() if isinstance(task, Signature) else None
    if sig is None:
        name = task if isinstance(task, str) else getattr(task, "name", None)
        if not isinstance(name, str):
            raise TypeError(
                f"for_each_schema() needs a task name, a task or a signature, got {task!r}."
            )
        sig = signature(name, args=tuple(args), kwargs=dict(kwargs or {}), app=app)
    if sig.task not in app.tasks:
        raise LookupError(
            f"No task named {sig.task!r} is registered with the Celery app {app.main!r}: "
            "check the name (the task's dotted name, e.g. 'billing.tasks.send_invoices') "
            "and that its module is imported (app.autodiscover_tasks())."
        )
    return sig


def queue_for_each_schema(
    task: Any,
    selectors: str | Iterable[str] = ":dynamic:",
    exclude: str | Iterable[str] = (),
    *,
    args: Sequence[Any] = (),
    kwargs: Mapping[str, Any] | None = None,
    **options: Any,
) -> list[Any]:
    """Queue ``task`` once in every schema the selectors name; return the ``AsyncResult``s.

    ``task`` is a task, its name or a signature (``args``/``kwargs`` apply to the first two).
    ``options`` go to ``apply_async`` (``countdown``, ``queue``...). A selector that matches
    nothing or several tenants raises before anything is queued.
    """
    from pgschemas.commands.selectors import resolve_selectors

    sig = _signature(task, args, kwargs)
    selection = resolve_selectors(_as_list(selectors), _as_list(exclude))
    results = []
    for schema in selection.schemas:
        with override(schema):
            results.append(sig.clone().apply_async(**options))
    return results
