"""The schema-aware ``DatabaseWrapper``.

The search path is ``<active schema>, <PGSCHEMAS_EXTRA_SEARCH_PATHS>, public``. Every
transaction that runs a statement sets it (in the statement's own message, see
:mod:`.search_path`), so it is right whatever sits between Django and PostgreSQL: no
pooler, session pooling or transaction pooling. Inside one transaction it is sent again
only when the active schema changes; a rollback or savepoint rollback forgets it.
``PGSCHEMAS_LIMIT_SET_CALLS`` is accepted and ignored; ``PGSCHEMAS_PIGGYBACK_SEARCH_PATH =
False`` sends the ``SET`` as a statement of its own (the plain path).
``PGSCHEMAS_RECYCLE_AFTER_SCHEMAS`` replaces a connection that has served too many schemas
(see :mod:`.recycle`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from psycopg import pq

from ._original import import_original
from .introspection import DatabaseSchemaIntrospection
from .operations import DatabaseOperations
from .recycle import counter_for, recycle_after_schemas
from .search_path import (
    STATE_ATTR,
    SearchPathState,
    search_path_cursor,
    search_path_for,
    send_alone,
)

_OriginalWrapper: Any = import_original("base").DatabaseWrapper


__all__ = ["DatabaseWrapper", "search_path_for"]


class DatabaseWrapper(_OriginalWrapper):
    introspection_class = DatabaseSchemaIntrospection
    ops_class = DatabaseOperations

    #: Marks connections whose search path follows the active schema (read by the router).
    pgschemas_aware = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pgschemas = SearchPathState(self.alias)
        self._pgschemas_attached = False

    @property
    def pgschemas_search_path(self) -> tuple[str, ...] | None:
        """The search path this connection was last given, or None when unknown."""
        return self._pgschemas.known

    @pgschemas_search_path.setter
    def pgschemas_search_path(self, value: tuple[str, ...] | None) -> None:
        self._pgschemas.known = value

    @property
    def pgschemas_search_path_sets(self) -> int:
        """How many ``SET search_path`` statements this wrapper has sent (diagnostics)."""
        return self._pgschemas.sets

    def get_new_connection(self, conn_params: Any) -> Any:
        limit = recycle_after_schemas()  # an invalid setting refuses before connecting
        connection = super().get_new_connection(conn_params)
        state = self._pgschemas
        state.known = None
        state.piggyback = bool(getattr(settings, "PGSCHEMAS_PIGGYBACK_SEARCH_PATH", True))
        state.counter = counter_for(connection, limit)
        try:
            # The connection's cursors find the pending SET here (see .search_path).
            setattr(connection, STATE_ATTR, state)
            connection.cursor_factory = search_path_cursor(connection.cursor_factory)
            self._pgschemas_attached = True
        except AttributeError:  # a connection class that takes no attributes: send eagerly
            self._pgschemas_attached = False
        return connection

    @property
    def pgschemas_recycle_due(self) -> bool:
        """Whether the open connection has served more schemas than
        ``PGSCHEMAS_RECYCLE_AFTER_SCHEMAS`` allows (False when the setting is off)."""
        counter = self._pgschemas.counter
        return self.connection is not None and counter is not None and counter.due

    def _pgschemas_may_recycle(self) -> bool:
        """Due, and at a point where closing loses nothing: no transaction is open."""
        return (
            self.pgschemas_recycle_due
            and not self.in_atomic_block
            and self.connection.pgconn.transaction_status == pq.TransactionStatus.IDLE
        )

    @property
    def _pgschemas_pooled(self) -> bool:
        # Django 5.1+ has ``pool`` (``OPTIONS["pool"]``); older versions have no pool.
        return getattr(self, "pool", None) is not None

    def close_if_unusable_or_obsolete(self) -> None:
        # Django calls this on request_started and request_finished: the end of a
        # request is where a persistent connection is replaced.
        if self.connection is not None and self._pgschemas_may_recycle():
            self.close()
            return
        super().close_if_unusable_or_obsolete()

    def _close(self) -> Any:
        self._pgschemas.known = None
        connection = self.connection
        if connection is not None and self._pgschemas_attached:
            # A pooled connection outlives us: its cursors must not follow our schema.
            setattr(connection, STATE_ATTR, None)
        if connection is not None and self._pgschemas_pooled and self._pgschemas_may_recycle():
            # Handed back to a psycopg pool: have the pool discard it (and open a new one)
            # instead of keeping its grown backend. An expired connection is the pool's
            # own quiet discard path; closing it would be logged as a broken connection.
            if hasattr(connection, "_expire_at"):
                connection._expire_at = 0.0
            else:
                connection.close()
        self._pgschemas.counter = None
        return super()._close()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self._pgschemas.known = None

    def _savepoint_rollback(self, sid: str) -> Any:
        try:
            return super()._savepoint_rollback(sid)
        finally:
            self._pgschemas.known = None

    def _cursor(self, name: str | None = None) -> Any:
        cursor = super()._cursor(name)
        if name is not None or not self._pgschemas_attached:
            # Server-side cursors (and connections our cursor class could not be attached
            # to) get the SET on its own, now.
            state = self._pgschemas
            statement = state.needed(self.connection)
            if statement is not None:
                with self.wrap_database_errors:
                    send_alone(self.connection, state, statement)
        return cursor
