"""Schema DDL: create, drop, rename, exists, list.

Every name is validated before SQL is built and reaches PostgreSQL only as a quoted
identifier (``psycopg.sql.Identifier``); existence checks compare names exactly, so
``Acme`` and ``acme`` are never confused.
"""

from __future__ import annotations

from django.db import connections
from psycopg import sql

from .config import get_config
from .validation import check_schema_name


def _alias(using: str | None) -> str:
    return using or get_config().tenant_db_alias


def _execute(query: sql.Composable, using: str | None, params: tuple[object, ...] = ()) -> None:
    with connections[_alias(using)].cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), params or None)


def schema_exists(schema_name: str, using: str | None = None) -> bool:
    """True when a schema with exactly this name exists."""
    with connections[_alias(using)].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None


def list_schemas(using: str | None = None, *, include_system: bool = False) -> list[str]:
    """Schema names in the database, sorted; system schemas only when asked for."""
    query = "SELECT nspname FROM pg_catalog.pg_namespace"
    if not include_system:
        query += " WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'"
    with connections[_alias(using)].cursor() as cursor:
        cursor.execute(query + " ORDER BY nspname")
        return [row[0] for row in cursor.fetchall()]


def create_schema(
    schema_name: str, using: str | None = None, *, if_not_exists: bool = True
) -> None:
    """Create an empty schema."""
    check_schema_name(schema_name)
    template = "CREATE SCHEMA IF NOT EXISTS {}" if if_not_exists else "CREATE SCHEMA {}"
    _execute(sql.SQL(template).format(sql.Identifier(schema_name)), using)


def drop_schema(schema_name: str, using: str | None = None, *, if_exists: bool = True) -> None:
    """Drop a schema and everything in it."""
    check_schema_name(schema_name)
    connection = connections[_alias(using)]
    if connection.in_atomic_block:
        # Deferred foreign-key checks queued earlier in this transaction (e.g. rows the
        # schema's own migrations inserted) would block the DROP: run them now.
        connection.check_constraints()
    template = "DROP SCHEMA IF EXISTS {} CASCADE" if if_exists else "DROP SCHEMA {} CASCADE"
    _execute(sql.SQL(template).format(sql.Identifier(schema_name)), using)


def rename_schema(old_name: str, new_name: str, using: str | None = None) -> None:
    """Rename a schema in place (the tenant row, if any, is the caller's to update)."""
    check_schema_name(old_name)
    check_schema_name(new_name)
    _execute(
        sql.SQL("ALTER SCHEMA {} RENAME TO {}").format(
            sql.Identifier(old_name), sql.Identifier(new_name)
        ),
        using,
    )
