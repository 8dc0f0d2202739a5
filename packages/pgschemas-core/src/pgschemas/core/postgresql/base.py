"""The schema-aware ``DatabaseWrapper``.

The search path is ``<active schema>, <PGSCHEMAS_EXTRA_SEARCH_PATHS>, public``. Every
transaction that runs a statement sets it (in the statement's own message, see
:mod:`.search_path`), so it is right whatever sits between Django and PostgreSQL: no
pooler, session pooling or transaction pooling. Inside one transaction it is sent again
only when the active schema changes; a rollback or savepoint rollback forgets it.
``PGSCHEMAS_LIMIT_SET_CALLS`` is accepted and ignored; ``PGSCHEMAS_PIGGYBACK_SEARCH_PATH =
False`` sends the ``SET`` as a statement of its own (the plain path).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ._original import import_original
from .introspection import DatabaseSchemaIntrospection
from .operations import DatabaseOperations
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
        connection = super().get_new_connection(conn_params)
        state = self._pgschemas
        state.known = None
        state.piggyback = bool(getattr(settings, "PGSCHEMAS_PIGGYBACK_SEARCH_PATH", True))
        try:
            # The connection's cursors find the pending SET here (see .search_path).
            setattr(connection, STATE_ATTR, state)
            connection.cursor_factory = search_path_cursor(connection.cursor_factory)
            self._pgschemas_attached = True
        except AttributeError:  # a connection class that takes no attributes: send eagerly
            self._pgschemas_attached = False
        return connection

    def _close(self) -> Any:
        self._pgschemas.known = None
        if self.connection is not None and self._pgschemas_attached:
            # A pooled connection outlives us: its cursors must not follow our schema.
            setattr(self.connection, STATE_ATTR, None)
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
