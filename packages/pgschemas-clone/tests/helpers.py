"""Small database helpers shared by the tests (plain SQL, no pgschemas internals)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections
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


def relations(schema_name: str) -> set[tuple[str, str]]:
    """``(kind, name)`` of every table, view, sequence and index in the schema."""
    return set(
        run(
            "SELECT c.relkind::text, c.relname FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s",
            [schema_name],
        )
    )


def elsewhere(function: Callable[[], Any]) -> Any:
    """Run ``function`` in a thread, on its own connection, outside the test's transaction."""
    outcome: dict[str, Any] = {}

    def body() -> None:
        try:
            outcome["value"] = function()
        except BaseException as exc:
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=body)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
