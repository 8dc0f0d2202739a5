"""Introspection scoped to the active schema.

Django's PostgreSQL introspection lists every table *visible* on the search path, which in a
tenant includes the tables of ``public``. Migrations ask "does django_migrations exist?" and
``inspectdb`` lists tables through it, so both would see public's tables from inside a
tenant. Scoping to ``current_schema()`` makes them see the tenant's own tables only.
"""

from __future__ import annotations

from typing import Any

from ._original import import_original

# Import the original backend first: Django's postgresql introspection module imports its
# base module, so importing the introspection module first would be circular.
_OriginalIntrospection: Any = import_original("base").DatabaseWrapper.introspection_class

from django.db.backends.postgresql.introspection import TableInfo  # noqa: E402


class DatabaseSchemaIntrospection(_OriginalIntrospection):
    def get_table_list(self, cursor: Any) -> list[TableInfo]:
        cursor.execute(
            """
            SELECT
                c.relname,
                CASE
                    WHEN c.relispartition THEN 'p'
                    WHEN c.relkind IN ('m', 'v') THEN 'v'
                    ELSE 't'
                END,
                obj_description(c.oid, 'pg_class')
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('f', 'm', 'p', 'r', 'v')
                AND n.nspname = current_schema()
            """
        )
        return [TableInfo(*row) for row in cursor.fetchall() if row[0] not in self.ignored_tables]
