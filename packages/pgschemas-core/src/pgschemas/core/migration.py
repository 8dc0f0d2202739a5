"""Migrating one schema, with the migration graph loaded once per process.

Django's ``MigrationLoader`` reads every migration module and rebuilds the graph each time
it is created, which is most of the cost of migrating a schema that is already up to date.
The graph only depends on the code (and, for squashed migrations, on which replaced
migrations a schema has applied), so :class:`CachedMigrationLoader` builds it once and
reads only the applied migrations per schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.apps import apps as global_apps
from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ModelState, ProjectState

from . import signals
from .schema import SchemaLike

Plan = list[tuple[Any, bool]]


def _graph_cache_key(loader: MigrationLoader) -> tuple[Any, ...]:
    return (
        tuple(app.name for app in global_apps.get_app_configs()),
        repr(sorted(getattr(settings, "MIGRATION_MODULES", {}).items())),
        loader.ignore_no_migrations,
        loader.replace_migrations,
    )


class CachedMigrationLoader(MigrationLoader):
    """A ``MigrationLoader`` that reuses the process-wide graph built from disk."""

    _graphs: ClassVar[dict[tuple[Any, ...], MigrationLoader]] = {}

    def build_graph(self) -> None:
        key = _graph_cache_key(self)
        base = self._graphs.get(key)
        if base is None:
            base = MigrationLoader(
                None,
                ignore_no_migrations=self.ignore_no_migrations,
                replace_migrations=self.replace_migrations,
            )
            self._graphs[key] = base
        applied = MigrationRecorder(self.connection).applied_migrations() if self.connection else {}
        replaced = {key for squash in base.replacements.values() for key in squash.replaces}
        if replaced & set(applied):
            # A partially applied squash changes the graph for this schema: build it fully.
            super().build_graph()
            return
        self.disk_migrations = base.disk_migrations
        self.unmigrated_apps = base.unmigrated_apps
        self.migrated_apps = base.migrated_apps
        self.replacements = base.replacements
        self.graph = base.graph
        self.applied_migrations = applied

    @classmethod
    def clear_cache(cls) -> None:
        cls._graphs.clear()


class CachedMigrationExecutor(MigrationExecutor):
    """``MigrationExecutor`` on top of :class:`CachedMigrationLoader`."""

    def __init__(
        self, connection: Any, progress_callback: Callable[..., Any] | None = None
    ) -> None:
        self.connection = connection
        self.loader = CachedMigrationLoader(self.connection)
        self.recorder = MigrationRecorder(self.connection)
        self.progress_callback = progress_callback


def migrate_schema(
    schema: SchemaLike,
    *,
    verbosity: int = 0,
    interactive: bool = False,
    fake: bool = False,
) -> Plan:
    """Bring ``schema`` to the latest migrations of the apps that belong in it.

    Does what ``manage.py migrate`` does for one database (pre/post migrate signals
    included, so permissions and the like are created) without loading the graph again.
    Returns the plan that ran.
    """
    with schema:
        connection = connections[schema.db_alias]
        connection.prepare_database()
        executor = CachedMigrationExecutor(connection)
        executor.loader.check_consistent_history(connection)
        targets = executor.loader.graph.leaf_nodes()
        plan = executor.migration_plan(targets)
        pre_state = executor._create_project_state(with_applied_migrations=True)
        emit_pre_migrate_signal(
            verbosity, interactive, connection.alias, apps=pre_state.apps, plan=plan
        )
        signals.schema_pre_migration.send(sender=type(schema), schema=schema, plan=plan)
        post_state: ProjectState = executor.migrate(
            targets, plan=plan, state=pre_state.clone(), fake=fake
        )
        post_state.clear_delayed_apps_cache()
        post_apps = post_state.apps
        with post_apps.bulk_update():
            model_keys = []
            for model_state in post_apps.real_models:
                model_key = model_state.app_label, model_state.name_lower
                model_keys.append(model_key)
                post_apps.unregister_model(*model_key)
        post_apps.render_multiple(
            [ModelState.from_model(global_apps.get_model(*key)) for key in model_keys]
        )
        emit_post_migrate_signal(
            verbosity, interactive, connection.alias, apps=post_apps, plan=plan
        )
        signals.schema_post_migration.send(sender=type(schema), schema=schema, plan=plan)
        return list(plan)
