"""Running on a Citus cluster with schema-based sharding (docs/citus.md).

With ``citus.enable_schema_based_sharding = on`` every ``CREATE SCHEMA`` on the coordinator
makes a *distributed schema*: its tables live together on one worker and queries are routed
there by the search path pgschemas already sets. Tables in ``public`` stay on the
coordinator, so a tenant table may only point (foreign key) at a public table that has been
made a *reference table* (copied to every node). This module gives:

- :class:`CreateReferenceTable`: the migration operation that makes a public table a
  reference table on Citus (and does nothing on plain PostgreSQL, so the same migrations
  run everywhere);
- :func:`check_citus`: a database system check (``manage.py check --database default``,
  and ``migrate``) reporting what cannot work: sharding off, a connection to a worker
  instead of the coordinator, a tenant foreign key to a public table that is not a
  reference table.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.checks import CheckMessage, Error, Warning
from django.db import connections
from django.db.migrations.operations.base import Operation
from psycopg import sql

from .config import PUBLIC_KEY, get_config

__all__ = [
    "CreateReferenceTable",
    "check_citus",
    "citus_installed",
    "is_reference_table",
    "tenant_foreign_keys_to_public",
]


def citus_installed(connection: Any) -> bool:
    """Whether the database behind ``connection`` (Django) has the citus extension."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def _qualified(table: str) -> str:
    """``"public"."table"``: the text PostgreSQL's ``regclass`` input reads back exactly."""
    return sql.Identifier(PUBLIC_KEY, table).as_string(None)


def is_reference_table(connection: Any, table: str) -> bool:
    """Whether ``public.<table>`` is a Citus reference table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_catalog.pg_dist_partition p"
            " JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid"
            " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = %s AND p.partmethod = 'n'"
            " AND p.repmodel = 't'",
            [PUBLIC_KEY, table],
        )
        return cursor.fetchone() is not None


class CreateReferenceTable(Operation):
    """Make a public model's table a Citus reference table (a no-op without Citus).

    Put it in a migration of an app in ``TENANTS["public"]["APPS"]``, after the migration
    creating the table and before any tenant table points at it::

        operations = [CreateReferenceTable("contenttypes.ContentType")]

    The rows are copied to every node; later writes go to all of them. Reversing it turns
    the table back into a coordinator-only table (``undistribute_table``).
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, model: str) -> None:
        if not isinstance(model, str) or model.count(".") != 1:
            raise ValueError(
                f"CreateReferenceTable expects 'app_label.ModelName', got {model!r}: "
                'e.g. CreateReferenceTable("contenttypes.ContentType")'
            )
        self.model = model

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (type(self).__qualname__, [self.model], {})

    def state_forwards(self, app_label: str, state: Any) -> None:
        """The table's shape does not change: nothing to record in the migration state."""

    def _table(self, apps: Any) -> str:
        return str(apps.get_model(self.model)._meta.db_table)

    def _applies(self, schema_editor: Any) -> bool:
        from .activation import get_current_schema

        return get_current_schema().schema_name == PUBLIC_KEY and citus_installed(
            schema_editor.connection
        )

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if not self._applies(schema_editor):
            return
        table = self._table(to_state.apps)
        if is_reference_table(schema_editor.connection, table):
            return
        schema_editor.execute("SELECT create_reference_table(%s)", [_qualified(table)])

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if not self._applies(schema_editor):
            return
        table = self._table(from_state.apps)
        if is_reference_table(schema_editor.connection, table):
            schema_editor.execute("SELECT undistribute_table(%s)", [_qualified(table)])

    def describe(self) -> str:
        return f"Make the table of {self.model} a Citus reference table"

    @property
    def migration_name_fragment(self) -> str:
        return f"reference_table_{self.model.split('.')[1].lower()}"


def _models_of(labels: Iterable[str]) -> list[Any]:
    from django.apps import apps

    found = []
    for label in labels:
        try:
            found.extend(apps.get_app_config(label).get_models(include_auto_created=True))
        except LookupError:
            continue
    return found


def tenant_foreign_keys_to_public() -> list[tuple[Any, Any]]:
    """``(tenant model, public model)`` pairs: tenant tables pointing into ``public``.

    A model is a tenant model when its app is in a static tenant's or ``default``'s APPS;
    its foreign keys to models of apps that are *only* in public's APPS point into public.
    """
    from .apps_map import app_labels_for

    config = get_config()
    public_labels = app_labels_for(config.public)
    tenant_labels: set[str] = set()
    for entry in (*config.static.values(), *([config.default] if config.default else [])):
        tenant_labels |= app_labels_for(entry)
    shared_only = public_labels - tenant_labels
    pairs = []
    for model in _models_of(sorted(tenant_labels)):
        for field in model._meta.concrete_fields:
            target = getattr(field, "related_model", None)
            if target is not None and target._meta.app_label in shared_only:
                pairs.append((model, target))
    return pairs


def _setting(connection: Any, name: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_catalog.current_setting(%s, true)", [name])
        row = cursor.fetchone()
        return None if row is None else row[0]


def _is_coordinator(connection: Any) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT citus_is_coordinator()")
        return bool(cursor.fetchone()[0])


def _public_table_exists(connection: Any, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
            [PUBLIC_KEY, table],
        )
        return cursor.fetchone() is not None


def check_citus(
    app_configs: Iterable[Any] | None = None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """What cannot work on the Citus cluster behind the tenant database, if it is one."""
    alias = get_config().tenant_db_alias
    if not databases or alias not in databases:
        return []
    connection = connections[alias]
    if not citus_installed(connection):
        return []
    messages: list[CheckMessage] = []
    if not _is_coordinator(connection):
        messages.append(
            Error(
                f"DATABASES[{alias!r}] is connected to a Citus worker, not the coordinator.",
                hint="Point it at the coordinator: schemas, migrations and pgschemas' "
                "transaction advisory locks (migrate, spare clones) are coordinated there.",
                id="pgschemas.E040",
            )
        )
        return messages
    if _setting(connection, "citus.enable_schema_based_sharding") != "on":
        messages.append(
            Warning(
                "Citus is installed but citus.enable_schema_based_sharding is off: new "
                "tenant schemas stay on the coordinator instead of being distributed.",
                hint="ALTER SYSTEM SET citus.enable_schema_based_sharding = on (or set it "
                "for the database/role pgschemas connects as) and reload.",
                id="pgschemas.W041",
            )
        )
    reported: set[str] = set()
    for model, target in tenant_foreign_keys_to_public():
        table = str(target._meta.db_table)
        if table in reported or not _public_table_exists(connection, table):
            continue
        if not is_reference_table(connection, table):
            reported.add(table)
            messages.append(
                Error(
                    f"Tenant model {model._meta.label} has a foreign key to "
                    f"{target._meta.label}, whose table public.{table} is not a Citus "
                    "reference table: tenant migrations would fail on the cluster.",
                    hint=f'Add a migration in a public app with CreateReferenceTable("'
                    f'{target._meta.label}") (pgschemas.core.citus) and migrate public.',
                    id="pgschemas.E042",
                )
            )
    return messages
