"""Which schema is active, per thread and per asyncio task.

The active schema lives in a :class:`contextvars.ContextVar`, so every thread and every
asyncio task sees its own value, and ``asgiref``'s ``sync_to_async``/``async_to_sync``
carry it across the sync/async boundary. ``with schema:`` keeps the schemas it replaced on
a context-local stack rather than on the schema object, so one ``Schema`` (or tenant row)
can be entered by many threads at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from . import signals

if TYPE_CHECKING:
    from .schema import SchemaLike

_active: ContextVar[SchemaLike | None] = ContextVar("pgschemas_active_schema", default=None)
_entered: ContextVar[tuple[SchemaLike | None, ...]] = ContextVar(
    "pgschemas_entered_schemas", default=()
)


def get_current_schema() -> SchemaLike:
    """The active schema; ``public`` when nothing was activated."""
    schema = _active.get()
    if schema is None:
        from .schema import get_public_schema

        return get_public_schema()
    return schema


def activate(schema: SchemaLike) -> None:
    """Make ``schema`` the active schema for the current thread or task."""
    _active.set(schema)
    signals.schema_activated.send(sender=type(schema), schema=schema)


def deactivate() -> None:
    """Return to ``public``."""
    from .schema import get_public_schema

    activate(get_public_schema())


def activate_public() -> None:
    """Alias of :func:`deactivate`, named for what it does."""
    deactivate()


@contextmanager
def override(schema: SchemaLike) -> Iterator[SchemaLike]:
    """Activate ``schema`` for the block and restore what was active before, even on error."""
    previous = _active.get()
    activate(schema)
    try:
        yield schema
    finally:
        _restore(previous)


def _restore(previous: SchemaLike | None) -> None:
    if previous is None:
        _active.set(None)
        from .schema import get_public_schema

        signals.schema_activated.send(sender=type(get_public_schema()), schema=get_public_schema())
    else:
        activate(previous)


def enter(schema: SchemaLike) -> None:
    """``__enter__`` of every schema-like object: push the current schema, activate ours."""
    _entered.set((*_entered.get(), _active.get()))
    activate(schema)


def leave(*_exc: Any) -> None:
    """``__exit__`` of every schema-like object: restore the schema active before ``enter``."""
    stack = _entered.get()
    if not stack:
        raise RuntimeError("Schema context exited more times than it was entered")
    _entered.set(stack[:-1])
    _restore(stack[-1])
