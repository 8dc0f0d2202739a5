"""Is the clone reference there and fully migrated? Asked of the database every time.

A reference is ready when its schema exists and its ``django_migrations`` holds every leaf
of the migration graph (Django records a migration in every schema it runs on, including
those of apps the router keeps out, so "all leaves applied" is exactly "``migrate`` has
nothing left to do"). A migration is recorded in the transaction that applies it, so a
``migrate`` interrupted after any migration leaves a leaf unrecorded: a half-migrated
reference is never ready. The graph comes from core's process-wide cache; the check
itself is two small queries, made in the caller's transaction. Nothing is cached: another
process may drop, rebuild or migrate the reference at any moment, and an answer one process
saw earlier says nothing about the database now.

:func:`lock_reference` serialises the two things that must not overlap: reading the
reference to make a tenant (shared) and swapping a rebuilt reference in (exclusive).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import connections
from psycopg import sql

from pgschemas.core.config import get_config
from pgschemas.core.migration import CachedMigrationLoader

#: First key of the advisory lock on the reference (the second is the name's hash): "pgrf".
_LOCK_KEY = 0x70677266


@dataclass(frozen=True)
class ReferenceStatus:
    """Where the clone reference stands; ``missing`` lists unapplied leaf migrations."""

    schema_name: str
    exists: bool
    missing: tuple[tuple[str, str], ...] = ()

    @property
    def ready(self) -> bool:
        return self.exists and not self.missing

    def describe(self) -> str:
        if not self.exists:
            return (
                f"the clone reference schema {self.schema_name!r} does not exist; "
                "run `manage.py createrefschema`"
            )
        if self.missing:
            names = ", ".join(f"{app}.{name}" for app, name in self.missing[:5])
            more = f" and {len(self.missing) - 5} more" if len(self.missing) > 5 else ""
            return (
                f"the clone reference schema {self.schema_name!r} is behind its migrations "
                f"(not applied: {names}{more}); run `manage.py migrate` or "
                "`manage.py createrefschema`"
            )
        return f"the clone reference schema {self.schema_name!r} is ready"


def _leaf_nodes() -> tuple[list[tuple[str, str]], dict[tuple[str, str], list[tuple[str, str]]]]:
    loader = CachedMigrationLoader(None, ignore_no_migrations=True)
    return loader.graph.leaf_nodes(), {
        key: list(migration.replaces) for key, migration in loader.replacements.items()
    }


def reference_status(
    schema_name: str | None = None, *, using: str | None = None
) -> ReferenceStatus:
    """Check the reference (``CLONE_REFERENCE`` unless ``schema_name`` is given)."""
    config = get_config()
    name = schema_name or config.clone_reference
    if not name:
        raise LookupError('No clone reference: set TENANTS["default"]["CLONE_REFERENCE"].')
    alias = using or config.tenant_db_alias
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT pg_catalog.to_regclass(pg_catalog.quote_ident(n.nspname) || "
            "'.django_migrations') IS NOT NULL FROM pg_catalog.pg_namespace n "
            "WHERE n.nspname = %s",
            [name],
        )
        row = cursor.fetchone()
        if row is None:
            return ReferenceStatus(name, exists=False)
        applied: set[tuple[str, str]] = set()
        if row[0]:
            query = sql.SQL("SELECT app, name FROM {}").format(
                sql.Identifier(name, "django_migrations")
            )
            cursor.execute(query.as_string(cursor.cursor.connection))
            applied = {(app, migration) for app, migration in cursor.fetchall()}
    leaves, replacements = _leaf_nodes()
    missing = tuple(
        sorted(
            leaf
            for leaf in leaves
            if leaf not in applied
            and not (leaf in replacements and set(replacements[leaf]) <= applied)
        )
    )
    return ReferenceStatus(name, exists=True, missing=missing)


def lock_reference(schema_name: str, *, using: str, exclusive: bool = False) -> None:
    """Hold the reference's advisory lock until the current transaction ends.

    Tenant creation and spare cloning take it shared before checking the reference, so a
    rebuilt reference (``createrefschema --recreate``, exclusive) is swapped in either
    before they look or after they committed, never while they copy. Transaction-level
    only, so it works through a transaction-pooling proxy (PgBouncer); outside a
    transaction it would be released at once, so callers open one.
    """
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT pg_catalog.{function}(%s, pg_catalog.hashtext(%s))",
            [_LOCK_KEY, schema_name],
        )


def invalidate(*_args: Any, **_kwargs: Any) -> None:
    """Kept for compatibility: readiness is no longer cached, so there is nothing to forget."""
