"""``DatabaseOperations`` that hide the piggybacked ``SET search_path`` from query logs.

With client-side binding, Django reads the executed query back from the psycopg cursor
for ``connection.queries`` and the ``django.db.backends`` logger; a statement that carried
the ``SET`` (see :mod:`.search_path`) is shown without it, as the caller wrote it.
"""

from __future__ import annotations

from typing import Any

from ._original import import_original

_OriginalOperations: Any = import_original("base").DatabaseWrapper.ops_class


class DatabaseOperations(_OriginalOperations):
    def last_executed_query(self, cursor: Any, sql: Any, params: Any) -> Any:
        query = super().last_executed_query(cursor, sql, params)
        prefix = getattr(cursor, "pgschemas_prefix", None)
        if prefix and isinstance(query, str) and query.startswith(prefix):
            return query[len(prefix) :]
        return query
