"""What makes ``migrate`` over hundreds of schemas safe to run twice at once.

(Which schemas have something to apply is found by core: ``pgschemas.core.migration
.planning``.)

- :func:`lock_schema_in_transaction` takes a transaction-scoped advisory lock per schema,
  so two ``migrate`` runs never interleave on one schema (the second waits, then finds
  nothing to do); :func:`schema_lock_outside_transaction` holds the same lock for a plan
  that cannot run in one transaction.
- :func:`set_local_timeouts` applies ``PGSCHEMAS_MIGRATION_LOCK_TIMEOUT`` and
  ``PGSCHEMAS_MIGRATION_STATEMENT_TIMEOUT`` to the current transaction;
  :func:`own_transaction` gives each atomic migration of a plan that is not one
  transaction a transaction of its own, with those timeouts.

Nothing here leaves state on a session: behind a *transaction* pooler (PgBouncer's
``pool_mode = transaction``) consecutive transactions of one client may run on different
server connections, so a session lock could be released on a connection that does not hold
it (and never be released), and a session setting would stay behind for other clients.
Transaction-scoped locks and ``SET LOCAL`` settings end with the transaction, wherever it ran.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

_LOCK_NAMESPACE = b"pgschemas.commands.migrate:"


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


@contextmanager
def own_transaction(connection: Any, migration: Any) -> Iterator[None]:
    """Outside the schema's transaction (a plan with a non-atomic migration, or
    ``PGSCHEMAS_MIGRATION_ATOMIC = False``), each atomic migration runs in a transaction of
    its own with the migration timeouts ``SET LOCAL``; a non-atomic one runs without them."""
    if connection.in_atomic_block or not migration.atomic or not wanted_timeouts():
        yield
        return
    with transaction.atomic(using=connection.alias):
        set_local_timeouts(connection)
        yield
