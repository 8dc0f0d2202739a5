"""Which schema is active, per thread and per asyncio task.

The active schema lives in a :class:`contextvars.ContextVar`, so every thread and every
asyncio task sees its own value, and ``asgiref``'s ``sync_to_async``/``async_to_sync``
carry it across the sync/async boundary. ``with schema:`` keeps the schemas it replaced on
a context-local stack rather than on the schema object, so one ``Schema`` (or tenant row)
can be entered by many threads at once.

``schema_activated`` is sent once per real change of the active schema: activating the
schema that is already active sends nothing, and leaving a block sends it for the schema
restored when that one differs.
"""

from __future__ import annotations

from contextlib import ContextDecorator
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


_schema_activated = signals.schema_activated


def same_schema(first: SchemaLike | None, second: SchemaLike | None) -> bool:
    """True when activating ``second`` over ``first`` changes nothing a query or a listener
    could see: same schema name, same database, same routing (None stands for public)."""
    if first is second:
        return True
    if first is None or second is None:
        from .schema import get_public_schema

        first = first or get_public_schema()
        second = second or get_public_schema()
    return (
        first.schema_name == second.schema_name
        and first.db_alias == second.db_alias
        and getattr(first, "routing", None) == getattr(second, "routing", None)
    )


def _signal(previous: SchemaLike | None, schema: SchemaLike | None) -> None:
    """``schema_activated``, once per real change of the active schema."""
    if not _schema_activated.receivers or same_schema(previous, schema):
        return
    if schema is None:
        from .schema import get_public_schema

        schema = get_public_schema()
    _schema_activated.send(sender=type(schema), schema=schema)


def activate(schema: SchemaLike) -> None:
    """Make ``schema`` the active schema for the current thread or task."""
    previous = _active.get()
    _active.set(schema)
    # Every request activates twice: skip the comparison when nobody listens.
    if _schema_activated.receivers:
        _signal(previous, schema)


def deactivate() -> None:
    """Return to ``public``."""
    from .schema import get_public_schema

    activate(get_public_schema())


def activate_public() -> None:
    """Alias of :func:`deactivate`, named for what it does."""
    deactivate()


class override(ContextDecorator):
    """Activate ``schema`` for the block and restore what was active before, even on error.

    A class rather than a generator-based context manager: routing enters one per request,
    and this is the cheapest way to do it. Also usable as a decorator.
    """

    __slots__ = ("_previous", "_schema")

    def __init__(self, schema: SchemaLike) -> None:
        self._schema = schema
        self._previous: SchemaLike | None = None

    def __enter__(self) -> SchemaLike:
        self._previous = _active.get()
        activate(self._schema)
        return self._schema

    def __exit__(self, *exc: object) -> None:
        _restore(self._previous)

    def _recreate_cm(self) -> override:
        # Each decorated call gets its own instance (the previous schema is per call).
        return type(self)(self._schema)


def _restore(previous: SchemaLike | None) -> None:
    leaving = _active.get()
    _active.set(previous)
    if _schema_activated.receivers:
        _signal(leaving, previous)


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
