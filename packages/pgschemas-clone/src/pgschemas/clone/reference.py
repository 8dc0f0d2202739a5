"""Is the clone reference there and fully migrated? Answered cheaply, cached per process.

A reference is ready when its schema exists and its ``django_migrations`` holds every leaf
of the migration graph (Django records a migration in every schema it runs on, including
those of apps the router keeps out, so "all leaves applied" is exactly "``migrate`` has
nothing left to do"). The graph comes from core's process-wide cache; the check itself is
one query. A positive answer is cached until migrations run in this process (core's
``schema_post_migration`` or Django's ``post_migrate`` signal) or :func:`invalidate` is called; a negative one is never
cached, so a reference migrated by another process is picked up on the next tenant.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models.signals import post_migrate
from psycopg import sql

from pgschemas.core.config import get_config
from pgschemas.core.migration import CachedMigrationLoader
from pgschemas.core.signals import schema_post_migration

_lock = threading.Lock()
_ready: set[tuple[str, str]] = set()


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
    if (alias, name) in _ready:
        return ReferenceStatus(name, exists=True)
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
    status = ReferenceStatus(name, exists=True, missing=missing)
    if status.ready:
        with _lock:
            _ready.add((alias, name))
    return status


def invalidate(*_args: Any, **_kwargs: Any) -> None:
    """Forget cached answers (migrations ran, the reference was recreated or dropped)."""
    with _lock:
        _ready.clear()


schema_post_migration.connect(invalidate, dispatch_uid="pgschemas.clone.reference.invalidate")
# `manage.py migrate` (Django's or pgschemas.commands') sends post_migrate when it ran.
post_migrate.connect(invalidate, dispatch_uid="pgschemas.clone.reference.invalidate_post_migrate")
