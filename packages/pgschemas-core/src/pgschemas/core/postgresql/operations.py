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

    def sql_flush(
        self,
        style: Any,
        tables: Any,
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> Any:
        """Django's ``TRUNCATE``, with ``CASCADE`` when a table of another schema refers
        to one of ``tables``.

        Tenant schemas' tables commonly point at ``public``'s (``auth_permission`` at
        ``django_content_type``), so without it ``flush`` - which Django's
        ``TransactionTestCase`` runs after every test - is refused by PostgreSQL as soon as
        one tenant schema exists. Emptying ``public`` empties what refers to it.
        """
        if tables and not allow_cascade:
            allow_cascade = self._referenced_from_other_schemas(tables)
        return super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )

    def _referenced_from_other_schemas(self, tables: Any) -> bool:
        query = (
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k "
            "JOIN pg_catalog.pg_class r ON r.oid = k.confrelid "
            "JOIN pg_catalog.pg_class c ON c.oid = k.conrelid "
            "WHERE k.contype = 'f' AND c.relnamespace <> r.relnamespace "
            "AND r.oid = ANY (SELECT pg_catalog.to_regclass(pg_catalog.quote_ident(t)) "
            "FROM pg_catalog.unnest(%s::text[]) AS t))"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(query, [list(tables)])
            row = cursor.fetchone()
        return bool(row and row[0])
