"""``DatabaseOperations`` for schemas: query logs and ``flush``.

With client-side binding, Django reads the executed query back from the psycopg cursor
for ``connection.queries`` and the ``django.db.backends`` logger; a statement that carried
the ``SET`` (see :mod:`.search_path`) is shown without it, as the caller wrote it.

``flush`` (also run after every ``TransactionTestCase``) truncates the tables of the active
schema. Tables of *other* schemas may reference them - a tenant's ``django_admin_log``
points at ``public.django_content_type`` - and PostgreSQL refuses to truncate a table
referenced from outside the statement. :meth:`DatabaseOperations.sql_flush` adds those
referencing tables, schema-qualified, to the same ``TRUNCATE`` (what ``CASCADE`` would
empty, named instead of implied).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from psycopg import sql

from ._original import import_original

_REFERENCING_ELSEWHERE = """
    SELECT DISTINCT cn.nspname, cc.relname
    FROM pg_catalog.pg_constraint con
    JOIN pg_catalog.pg_class cc ON cc.oid = con.conrelid
    JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
    JOIN pg_catalog.pg_class rc ON rc.oid = con.confrelid
    JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
    WHERE con.contype = 'f'
        AND rn.nspname = pg_catalog.current_schema()
        AND rc.relname = ANY(%s)
        AND cn.nspname <> pg_catalog.current_schema()
    ORDER BY 1, 2
"""

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
        tables: Iterable[str],
        *,
        reset_sequences: bool = False,
        allow_cascade: bool = False,
    ) -> list[str]:
        tables = list(tables)
        statements: list[str] = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not tables or allow_cascade:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute(_REFERENCING_ELSEWHERE, [tables])
            elsewhere = [(str(schema), str(table)) for schema, table in cursor.fetchall()]
        if not elsewhere:
            return statements
        names = [sql.Identifier(table) for table in tables]
        names += [sql.Identifier(schema, table) for schema, table in elsewhere]
        statement = sql.SQL("TRUNCATE {}{};").format(
            sql.SQL(", ").join(names),
            sql.SQL(" RESTART IDENTITY" if reset_sequences else ""),
        )
        return [statement.as_string(self.connection.connection)]
