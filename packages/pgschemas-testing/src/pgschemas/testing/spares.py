"""Spare tenant schemas: built once per test process, renamed into a test's tenant.

Building a tenant schema runs its migrations (or a clone), which costs far more than a
test. A spare is a fully provisioned tenant schema kept under a name no tenant can take;
a test's tenant is a spare renamed to the tenant's name. ``ALTER SCHEMA ... RENAME`` is
transactional, so when the test's transaction rolls back, the spare is back under its own
name, empty again, for the next test. Tests that commit (transactional tests) get the
spare renamed back and its tables emptied at teardown instead.

Spare names carry the test worker (pytest-xdist's ``gw0``, ``gw1``...; ``main`` otherwise),
so parallel workers never share one even on a shared database.
"""

from __future__ import annotations

import contextlib
import os
import threading
import warnings
from collections.abc import Iterator

from django.conf import settings
from django.db import connections, transaction
from psycopg import sql

from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.provisioning import provision_schema
from pgschemas.core.schema import Schema

#: Every spare's name starts with this.
SPARE_PREFIX = "pgschemas_testing_spare"
#: Spares per database and worker unless ``PGSCHEMAS_TESTING_SPARES`` says otherwise: how
#: many fresh dynamic tenants one test can have before the next one is built the slow way.
DEFAULT_SPARES = 3


def worker_id() -> str:
    """The pytest-xdist worker running this process (``main`` outside xdist)."""
    return os.environ.get("PYTEST_XDIST_WORKER") or "main"


def spare_count() -> int:
    value = getattr(settings, "PGSCHEMAS_TESTING_SPARES", DEFAULT_SPARES)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError(
            f"PGSCHEMAS_TESTING_SPARES must be a whole number >= 0, got {value!r}; "
            f"leave it unset for {DEFAULT_SPARES}."
        )
    return value


def spare_names(count: int | None = None) -> list[str]:
    """The names of this worker's spares."""
    total = spare_count() if count is None else count
    return [f"{SPARE_PREFIX}_{worker_id()}_{index}" for index in range(total)]


_lock = threading.Lock()
_ready: set[str] = set()  # database aliases whose spares were built in this process


def ensure_spares(using: str) -> list[str]:
    """Build (or bring up to date) this worker's spares on ``using``, committed.

    Runs once per process and database. Inside a transaction it builds nothing (whatever
    it built would roll back with the test): tenants are then built the slow way.
    """
    names = spare_names()
    with _lock:
        if using in _ready:
            return names
        connection = connections[using]
        if connection.in_atomic_block:
            return names
        for name in names:
            spare = Schema(name, is_dynamic=True, alias=using)
            with transaction.atomic(using=using):
                if ddl.schema_exists(name, using=using):
                    migrate_schema(spare)  # a kept test database may predate new migrations
                else:
                    with _without_reference_warning():
                        provision_schema(spare)  # creates the schema
        _ready.add(using)
    return names


@contextlib.contextmanager
def _without_reference_warning() -> Iterator[None]:
    """Spares are built before a test database has a clone reference (nothing builds one
    there), so pgschemas-clone's advice to run ``createrefschema`` is noise here: once per
    spare per test session."""
    with warnings.catch_warnings():
        try:
            from pgschemas.clone.provisioning import ReferenceNotReadyWarning
        except ImportError:  # pgschemas-clone is not installed: nothing to hide
            pass
        else:
            warnings.simplefilter("ignore", ReferenceNotReadyWarning)
        yield


def forget_spares(using: str) -> None:
    """Let the next :func:`ensure_spares` check and rebuild the spares (one was lost)."""
    with _lock:
        _ready.discard(using)


def take_spare(new_name: str, using: str) -> str | None:
    """Rename a free spare to ``new_name`` and return the spare's name (None if none is free).

    A spare is free when it exists under its own name in the current transaction.
    """
    names = spare_names()
    if not names:
        return None
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%s) "
            "ORDER BY nspname LIMIT 1",
            [names],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    spare = str(row[0])
    ddl.rename_schema(spare, new_name, using=using)
    return spare


def applied_migrations(schema_name: str, using: str) -> frozenset[tuple[str, str]]:
    """The migrations recorded in a schema (empty when it has no migration table)."""
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s "
            "AND tablename = 'django_migrations'",
            [schema_name],
        )
        if cursor.fetchone() is None:
            return frozenset()
        query = sql.SQL("SELECT app, name FROM {}").format(
            sql.Identifier(schema_name, "django_migrations")
        )
        cursor.execute(query.as_string(cursor.connection))
        return frozenset((str(app), str(name)) for app, name in cursor.fetchall())


def give_back_spare(
    current_name: str, spare: str, using: str, migrations: frozenset[tuple[str, str]]
) -> None:
    """After a committing test: empty the tenant's tables and rename it back to ``spare``.

    A schema the test dropped, or migrated to other ``migrations`` than it had when taken,
    is not given back (dropped instead): the spares are rebuilt on next use.
    """
    if not ddl.schema_exists(current_name, using=using):
        forget_spares(using)
        return
    if applied_migrations(current_name, using) != migrations:
        ddl.drop_schema(current_name, using=using)
        forget_spares(using)
        return
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = %s "
            "AND tablename <> 'django_migrations' ORDER BY tablename",
            [current_name],
        )
        tables = [sql.Identifier(current_name, row[0]) for row in cursor.fetchall()]
        if tables:
            query = sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                sql.SQL(", ").join(tables)
            )
            cursor.execute(query.as_string(cursor.connection))
        ddl.rename_schema(current_name, spare, using=using)
