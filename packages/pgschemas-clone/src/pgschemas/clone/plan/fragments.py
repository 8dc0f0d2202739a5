"""SQL fragments shared by the plan's steps: names, deparsed text, storage options, and
the text searches over definitions (a name mentioned, a schema used as qualifier); plus
the dependency sort."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from psycopg import sql


def _ident(*names: str) -> sql.Identifier:
    return sql.Identifier(*names)


def _text(fragment: str) -> sql.SQL:
    """SQL text deparsed by PostgreSQL itself (never user input)."""
    return sql.SQL(fragment)


def _options(reloptions: list[str] | None) -> sql.Composable:
    if not reloptions:
        return sql.SQL("")
    items = []
    for option in reloptions:
        key, _, value = option.partition("=")
        items.append(sql.SQL("{} = {}").format(_ident(key), sql.Literal(value)))
    return sql.SQL(" WITH ({})").format(sql.SQL(", ").join(items))


def _toposort(
    items: list[dict[str, Any]], key: str, deps: Callable[[dict[str, Any]], Iterable[Any]]
) -> list[dict[str, Any]]:
    """Order items so that each comes after the items it depends on (stable otherwise)."""
    by_key = {item[key]: item for item in items}
    done: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    visiting: set[Any] = set()

    def visit(item: dict[str, Any]) -> None:
        k = item[key]
        if k in done or k in visiting:
            return
        visiting.add(k)
        for dep in deps(item):
            if dep in by_key and dep != k:
                visit(by_key[dep])
        visiting.discard(k)
        done.add(k)
        ordered.append(item)

    for item in items:
        visit(item)
    return ordered


def _mentions(text: str, names: set[str]) -> bool:
    return any(re.search(r"(?<![\w$])" + re.escape(name) + r"(?![\w$])", text) for name in names)


def _qualified_reference(schema: str) -> re.Pattern[str]:
    """``schema.`` or ``"schema".`` as a qualifier, not inside a longer identifier."""
    quoted = re.escape('"' + schema.replace('"', '""') + '"')
    parts = [quoted]
    if re.fullmatch(r"[a-z_][a-z0-9_$]*", schema):
        parts.append(re.escape(schema))
    return re.compile(r'(?<![\w$".])(?:' + "|".join(parts) + r")\s*\.(?=\s*[\w\"])")
