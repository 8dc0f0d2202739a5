"""Which schemas ``migrate`` must visit, from one bulk read and the graph loaded once.

- :func:`applied_migrations` reads the ``django_migrations`` rows of every selected schema
  with two queries in total (which schemas have the table, then one ``UNION ALL`` over them,
  in chunks), instead of one executor - and one graph - per schema.
- :func:`pending_schemas` compares those rows with the process-wide graph
  (:class:`.loader.CachedMigrationLoader`): a schema whose plan is empty can be skipped
  without touching it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

from .django_hooks import planner_on
from .loader import CachedMigrationLoader

Key = tuple[str, str]

#: Schemas per ``UNION ALL`` query (keeps statements a reasonable size).
CHUNK = 500


def applied_migrations(names: Sequence[str], alias: str) -> dict[str, set[Key] | None]:
    """``{schema: applied (app, name) keys}``; None for a schema without ``django_migrations``."""
    table = MigrationRecorder.Migration._meta.db_table
    result: dict[str, set[Key] | None] = dict.fromkeys(names)
    if not names:
        return result
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = %s AND c.relkind IN ('r', 'p') AND n.nspname = ANY(%s)",
            [table, list(names)],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        for name in with_table:
            result[name] = set()
        for start in range(0, len(with_table), CHUNK):
            chunk = with_table[start : start + CHUNK]
            query = sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT {}::text, app, name FROM {}.{}").format(
                    sql.Literal(schema), sql.Identifier(schema), sql.Identifier(table)
                )
                for schema in chunk
            )
            cursor.execute(query.as_string(cursor.connection))
            for schema, app, migration in cursor.fetchall():
                applied = result[schema]
                assert applied is not None
                applied.add((app, migration))
    return result


def graph_loader() -> CachedMigrationLoader:
    """A loader on the process-wide graph, with nothing applied (no database read)."""
    return CachedMigrationLoader(None)


def targets_for(loader: Any, app_label: str | None, migration_name: str | None) -> list[Any] | None:
    """The targets ``migrate`` would use, or None when only the full command can tell."""
    graph = loader.graph
    if not app_label:
        return list(graph.leaf_nodes())
    if app_label not in loader.migrated_apps:
        return None
    if not migration_name:
        return [key for key in graph.leaf_nodes() if key[0] == app_label]
    if migration_name == "zero":
        return [(app_label, None)]
    try:
        migration = loader.get_migration_by_prefix(app_label, migration_name)
    except (KeyError, Exception):  # AmbiguityError / KeyError: the full command reports it
        return None
    return [(app_label, migration.name)]


def pending_schemas(
    names: Sequence[str],
    alias: str,
    targets: list[Any],
    loader: Any,
    atomic: dict[str, bool] | None = None,
) -> dict[str, bool]:
    """``{schema: True if its plan towards targets is not empty}`` from one bulk read.

    ``atomic``, when given, receives for each schema whose plan could be computed whether
    every planned migration is atomic (so ``migrate`` need not read the history again).
    """
    replaced = {key for squash in loader.replacements.values() for key in squash.replaces}
    planner = planner_on(loader)
    pending: dict[str, bool] = {}
    for schema, applied in applied_migrations(names, alias).items():
        if applied is None or applied & replaced:
            # No history yet, or a partially applied squash: the full command decides.
            pending[schema] = True
            continue
        loader.applied_migrations = dict.fromkeys(applied)
        plan = planner.migration_plan(targets)
        pending[schema] = bool(plan)
        if atomic is not None:
            atomic[schema] = all(migration.atomic for migration, _backwards in plan)
    loader.applied_migrations = {}
    return pending
