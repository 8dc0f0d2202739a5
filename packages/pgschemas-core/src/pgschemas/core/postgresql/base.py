"""The schema-aware ``DatabaseWrapper``.

The search path is ``<active schema>, <PGSCHEMAS_EXTRA_SEARCH_PATHS>, public``. It is checked
when a cursor is created and, only when it differs from what this connection was last
told, a ``SET search_path`` is queued; it travels in front of the cursor's next statement,
in the same message (see :mod:`.search_path`), so switching tenants costs no extra round
trip and a request that stays in one tenant pays one ``SET`` however many queries it runs.
Anything that may undo or lose a ``SET`` - a rollback, a savepoint rollback, a failed
statement, a new or pooled connection - forgets what was sent, so the next cursor sends it
again. There is nothing to configure: ``PGSCHEMAS_LIMIT_SET_CALLS`` is accepted and ignored.
"""

from __future__ import annotations

import functools
from typing import Any

from psycopg import pq

from ..activation import get_current_schema
from ..config import PUBLIC_KEY, get_config
from ._original import import_original
from .introspection import DatabaseSchemaIntrospection
from .operations import DatabaseOperations
from .search_path import (
    STATE_ATTR,
    SearchPathState,
    search_path_cursor,
    send_pending,
    set_statement,
)

_INERROR = pq.TransactionStatus.INERROR

_OriginalWrapper: Any = import_original("base").DatabaseWrapper


def search_path_for(schema_name: str) -> tuple[str, ...]:
    """The search path for a schema, without duplicates, ``public`` last."""
    return _search_path(schema_name, get_config().extra_search_paths)


@functools.lru_cache(maxsize=8192)
def _search_path(schema_name: str, extra: tuple[str, ...]) -> tuple[str, ...]:
    # Called for every cursor: cached so the steady state is one dict lookup.
    path: list[str] = [schema_name]
    for name in (*extra, PUBLIC_KEY):
        if name not in path:
            path.append(name)
    return tuple(path)


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
        state.known = state.pending = None
        try:
            # The connection's cursors find the pending SET here (see .search_path).
            setattr(connection, STATE_ATTR, state)
            connection.cursor_factory = search_path_cursor(connection.cursor_factory)
            self._pgschemas_attached = True
        except AttributeError:  # a connection class that takes no attributes: send eagerly
            self._pgschemas_attached = False
        return connection

    def _close(self) -> Any:
        self._pgschemas.known = self._pgschemas.pending = None
        if self.connection is not None and self._pgschemas_attached:
            # A pooled connection outlives us: its cursors must not send our pending SETs.
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
        state = self._pgschemas
        wanted = search_path_for(get_current_schema().schema_name)
        if wanted != state.known:
            raw = self.connection
            if raw.info.transaction_status == _INERROR:
                # Nothing runs in an aborted transaction; the rollback that must follow
                # resets us.
                return cursor
            state.pending = set_statement(wanted, raw)
            state.known = wanted
        if state.pending is not None and (name is not None or not self._pgschemas_attached):
            # Named (server-side) cursors and unattached connections get it on its own, now.
            with self.wrap_database_errors:
                send_pending(self.connection, state)
        return cursor
