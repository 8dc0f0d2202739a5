"""``manage.py migrate``: Django's migrate, over every selected schema (all by default).

Each schema that has something to do runs Django's own ``migrate`` logic - so every option
(``--fake``, ``--fake-initial``, ``--plan``, ``--check``, ``--prune``, app label and migration
name, ``--run-syncdb``) means what it means in Django, and the router decides which app's
tables go where - on the process-wide cached migration graph, under a per-schema advisory
lock, inside one transaction per schema when every planned migration is atomic. The lock and
the timeouts are transaction-scoped (safe behind a transaction pooler such as PgBouncer).

Schemas with nothing to apply are found from one bulk read and skipped without running the
executor (and without pre/post-migrate signals). ``--prune`` and ``--run-syncdb`` always run
the full command, since only it can tell.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.management.base import no_translations
from django.core.management.commands import migrate as django_migrate
from django.db import connections, transaction

from pgschemas.commands.base import WrappedSchemaOption
from pgschemas.commands.migrating import (
    lock_schema_in_transaction,
    own_transaction,
    schema_lock_outside_transaction,
    set_local_timeouts,
)
from pgschemas.commands.options import SchemaOptions
from pgschemas.commands.results import SchemaResult, Status
from pgschemas.commands.selectors import WILDCARD_ALL
from pgschemas.core.migration import CachedMigrationExecutor
from pgschemas.core.migration.django_hooks import migrate_command_executor
from pgschemas.core.migration.planning import graph_loader, pending_schemas, targets_for
from pgschemas.core.migration.shared_states import StateCache, executor_class
from pgschemas.core.schema import SchemaLike

#: Django's own ``migrate`` handle: run with :func:`migrate_command_executor` around it,
#: it builds our executor instead of Django's.
_django_handle = django_migrate.Command.handle


class Command(WrappedSchemaOption, django_migrate.Command):
    help = (
        "Updates database schema: runs Django's migrate on the selected schemas "
        "(all schemas by default). Manages both apps with migrations and those without."
    )
    default_selectors = (WILDCARD_ALL,)
    pgschemas_read_only = False

    def handle(self, *args: Any, **options: Any) -> None:
        no_translations(self._handle)(*args, **options)

    def _handle(self, *args: Any, **options: Any) -> None:
        database = options["database"]
        if not getattr(connections[database], "pgschemas_aware", False):
            with migrate_command_executor(CachedMigrationExecutor):
                _django_handle(self, *args, **options)  # not a schema database: plain Django
            return
        options["skip_checks"] = True  # checked once by execute() already
        # Project states rendered once per run (and per worker thread), not per schema.
        self.state_cache = StateCache()
        executor = executor_class(self.state_cache, around_migration=own_transaction)

        def task(schema: SchemaLike) -> None:
            self.migrate_one(schema, *args, **options)

        # Every schema's run of Django's handle, in every worker thread, builds `executor`.
        with migrate_command_executor(executor):
            self.run_on_schemas(task, options, what="migrate")

    def partition_up_to_date(
        self, schemas: list[SchemaLike], schema_options: SchemaOptions
    ) -> tuple[list[SchemaLike], dict[str, SchemaResult]]:
        """Leave out schemas whose plan is empty (one bulk read, graph loaded once)."""
        options = schema_options.command
        if options.get("prune") or options.get("run_syncdb") or not schemas:
            return schemas, {}
        loader = graph_loader()
        targets = targets_for(loader, options.get("app_label"), options.get("migration_name"))
        if targets is None:
            return schemas, {}
        alias = schemas[0].db_alias
        if any(schema.db_alias != alias for schema in schemas):
            return schemas, {}
        self._atomic_plans: dict[str, bool] = {}
        pending = pending_schemas(
            [s.schema_name for s in schemas], alias, targets, loader, self._atomic_plans
        )
        to_run = [s for s in schemas if pending[s.schema_name]]
        done = {
            s.schema_name: SchemaResult(s.schema_name, Status.OK, "up to date")
            for s in schemas
            if not pending[s.schema_name]
        }
        self._report_up_to_date(list(done), to_run, options)
        return to_run, done

    def _report_up_to_date(
        self, done: list[str], to_run: list[SchemaLike], options: Mapping[str, Any]
    ) -> None:
        """What skipped schemas print (docs/commands.md, "What migrate prints").

        Scripts grep Django's "No migrations to apply" to tell a no-op deploy: at ``-v 1``
        it is printed once when no selected schema had anything to apply, at ``-v 2`` once
        per up-to-date schema, at ``-v 0`` never.
        """
        verbosity = options.get("verbosity", 1)
        if not done or verbosity < 1:
            return
        if options.get("plan"):
            for name in done:
                self.stdout.write(self.schema_line(name, "No planned migration operations."))
        elif verbosity >= 2:
            for name in done:
                self.stdout.write(self.schema_line(name, "No migrations to apply."))
        elif not to_run:
            several = f" ({len(done)} schemas up to date)" if len(done) > 1 else ""
            self.stdout.write(f"No migrations to apply{several}.")

    def migrate_one(self, schema: SchemaLike, *args: Any, **options: Any) -> None:
        """Django's migrate on the active schema: locked, time-limited, all-or-nothing.

        The lock is taken inside the schema's transaction and Django's migrate reads the
        applied migrations after it, so a run that waited for another one finds what that
        one applied. A plan that cannot be one transaction holds the lock from a second
        connection instead (see ``schema_lock_outside_transaction``). ``--plan`` and
        ``--check`` only read: no lock, no transaction.
        """
        connection = connections[schema.db_alias]
        if options.get("plan") or options.get("check_unapplied"):
            _django_handle(self, *args, **options)
        elif self._schema_atomic(connection, schema.schema_name, options):
            with transaction.atomic(using=connection.alias):
                lock_schema_in_transaction(connection, schema.schema_name)
                set_local_timeouts(connection)
                _django_handle(self, *args, **options)
        else:
            with schema_lock_outside_transaction(connection, schema.schema_name):
                _django_handle(self, *args, **options)

    def _schema_atomic(self, connection: Any, schema_name: str, options: dict[str, Any]) -> bool:
        """One transaction for the schema unless disabled or a planned migration is not atomic."""
        if not getattr(settings, "PGSCHEMAS_MIGRATION_ATOMIC", True):
            return False
        if options.get("plan") or options.get("check_unapplied"):
            return False
        # Known from the bulk read (the lock may have let another run apply some of that
        # plan since: what is left of an all-atomic plan is all atomic too).
        known = getattr(self, "_atomic_plans", {}).get(schema_name)
        if known is not None:
            return bool(known)
        executor = CachedMigrationExecutor(connection)
        targets = targets_for(
            executor.loader, options.get("app_label"), options.get("migration_name")
        )
        if targets is None:
            return False
        plan = executor.migration_plan(targets)
        return all(migration.atomic for migration, _backwards in plan)
