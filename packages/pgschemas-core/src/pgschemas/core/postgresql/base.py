"""The schema-aware ``DatabaseWrapper``.

The search path is ``<active schema>, <PGSCHEMAS_EXTRA_SEARCH_PATHS>, public``. It is set
lazily, when a cursor is created, and only when it differs from what this connection was
last told: a request that stays in one tenant pays one ``SET`` however many queries it runs.
Anything that may undo or lose a ``SET`` - a rollback, a savepoint rollback, a new or pooled
connection - forgets what was sent, so the next cursor sends it again. There is nothing to
configure: ``PGSCHEMAS_LIMIT_SET_CALLS`` is accepted and ignored.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from psycopg import pq, sql

from ..activation import get_current_schema
from ..config import PUBLIC_KEY, get_config
from ._original import import_original
from .introspection import DatabaseSchemaIntrospection

logger = logging.getLogger("pgschemas.core.postgresql")

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


def set_search_path_sql(path: tuple[str, ...]) -> sql.Composed:
    return sql.SQL("SET search_path = {}").format(sql.SQL(", ").join(map(sql.Identifier, path)))


class DatabaseWrapper(_OriginalWrapper):
    introspection_class = DatabaseSchemaIntrospection

    #: Marks connections whose search path follows the active schema (read by the router).
    pgschemas_aware = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: The search path this connection was last given, or None when unknown.
        self.pgschemas_search_path: tuple[str, ...] | None = None
        #: How many ``SET search_path`` statements this wrapper has sent (for diagnostics).
        self.pgschemas_search_path_sets = 0

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        self.pgschemas_search_path = None
        return connection

    def _close(self) -> Any:
        self.pgschemas_search_path = None
        return super()._close()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()
        finally:
            self.pgschemas_search_path = None

    def _savepoint_rollback(self, sid: str) -> Any:
        try:
            return super()._savepoint_rollback(sid)
        finally:
            self.pgschemas_search_path = None

    def _cursor(self, name: str | None = None) -> Any:
        cursor = super()._cursor(name)
        self._sync_search_path()
        return cursor

    def _sync_search_path(self) -> None:
        wanted = search_path_for(get_current_schema().schema_name)
        if wanted == self.pgschemas_search_path:
            return
        raw = self.connection
        if raw.info.transaction_status == pq.TransactionStatus.INERROR:
            # Nothing runs in an aborted transaction; the rollback that must follow resets us.
            return
        query = set_search_path_sql(wanted)
        with self.wrap_database_errors, raw.cursor() as cursor:
            cursor.execute(query)
        self.pgschemas_search_path = wanted
        self.pgschemas_search_path_sets += 1
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s (alias=%s)", query.as_string(raw), self.alias)
