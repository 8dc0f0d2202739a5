"""Small database helpers shared by the tests (plain SQL, no pgschemas internals)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from psycopg import sql

#: ``applied`` records when each migration ran: the one column allowed to differ.
EXCLUDE = {"django_migrations": ["applied"]}


def run(query: sql.Composable | str, params: Any = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        text = query if isinstance(query, str) else query.as_string(cursor.cursor.connection)
        cursor.execute(text, params)
        return cursor.fetchall() if cursor.description else []


def one(query: sql.Composable | str, params: Any = None) -> Any:
    return run(query, params)[0][0]


def q(template: str, *names: str | tuple[str, ...]) -> sql.Composed:
    """``q("SELECT * FROM {}", ("schema", "table"))``: names always quoted."""
    return sql.SQL(template).format(
        *(sql.Identifier(*n) if isinstance(n, tuple) else sql.Identifier(n) for n in names)
    )


def schema_exists(schema_name: str) -> bool:
    return bool(run("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name]))
