"""What makes ``migrate`` over hundreds of schemas cheap, and safe to run twice at once.

- :func:`applied_migrations` reads the ``django_migrations`` rows of every selected schema
  with two queries in total (which schemas have the table, then one ``UNION ALL`` over them,
  in chunks), instead of one executor - and one graph - per schema.
- :func:`pending_schemas` compares those rows with the graph loaded once per process
  (core's ``CachedMigrationLoader``): a schema whose plan is empty is skipped without
  touching it.
- :func:`lock_schema_in_transaction` takes a transaction-scoped advisory lock per schema,
  so two ``migrate`` runs never interleave on one schema (the second waits, then finds
  nothing to do); :func:`schema_lock_outside_transaction` holds the same lock for a plan
  that cannot run in one transaction.
- :func:`set_local_timeouts` applies ``PGSCHEMAS_MIGRATION_LOCK_TIMEOUT`` and
  ``PGSCHEMAS_MIGRATION_STATEMENT_TIMEOUT`` to the current transaction.

Nothing here leaves state on a session: behind a *transaction* pooler (PgBouncer's
``pool_mode = transaction``) consecutive transactions of one client may run on different
server connections, so a session lock could be released on a connection that does not hold
it (and never be released), and a session setting would stay behind for other clients.
Transaction-scoped locks and ``SET LOCAL`` settings end with the transaction, wherever it ran.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from psycopg import sql

from pgschemas.core.migration import CachedMigrationLoader

Key = tuple[str, str]

#: Schemas per ``UNION ALL`` query (keeps statements a reasonable size).
CHUNK = 500

_LOCK_NAMESPACE = b"pgschemas.commands.migrate:"


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
    planner = MigrationExecutor.__new__(MigrationExecutor)
    planner.loader = loader
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


def _lock_key(schema_name: str) -> int:
    digest = hashlib.blake2b(_LOCK_NAMESPACE + schema_name.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def _require_transaction(connection: Any, what: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(
            f"{what} must run inside transaction.atomic() (it is transaction-scoped)."
        )


def lock_schema_in_transaction(connection: Any, schema_name: str) -> None:
    """Wait for, then hold until the end of the current transaction, the schema's lock."""
    _require_transaction(connection, "lock_schema_in_transaction()")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(schema_name)])


@contextmanager
def schema_lock_outside_transaction(connection: Any, schema_name: str) -> Iterator[None]:
    """Hold the schema's lock while a plan that cannot be one transaction runs.

    A migration with ``atomic = False`` (say ``CREATE INDEX CONCURRENTLY``) cannot run inside
    the transaction holding the lock, so a second connection opens a transaction, takes the
    same transaction-scoped lock and keeps the transaction open until the schema is done.
    An open transaction keeps its server connection through a transaction pooler, and the
    lock ends with it (rollback here, or the server aborting it if this process dies).
    """
    holder = connection.copy()
    try:
        holder.set_autocommit(False)
        with holder.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key(schema_name)])
        yield
    finally:
        try:
            if holder.connection is not None:
                holder.rollback()
        finally:
            holder.close()


def _timeout(setting: str) -> str | None:
    value = getattr(settings, setting, None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ImproperlyConfigured(
            f"{setting} must be milliseconds (int) or a PostgreSQL interval string like "
            f"'5s', got {value!r}."
        )
    return str(int(value)) if isinstance(value, int | float) else value


def wanted_timeouts() -> dict[str, str]:
    """``{"lock_timeout": ..., "statement_timeout": ...}`` from the settings that are set."""
    wanted = {
        "lock_timeout": _timeout("PGSCHEMAS_MIGRATION_LOCK_TIMEOUT"),
        "statement_timeout": _timeout("PGSCHEMAS_MIGRATION_STATEMENT_TIMEOUT"),
    }
    return {name: value for name, value in wanted.items() if value is not None}


def set_local_timeouts(connection: Any) -> None:
    """``SET LOCAL`` the migration timeouts: they end with the current transaction."""
    wanted = wanted_timeouts()
    if not wanted:
        return
    _require_transaction(connection, "set_local_timeouts()")
    with connection.cursor() as cursor:
        for name, value in wanted.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
