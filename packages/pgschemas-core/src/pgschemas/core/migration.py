"""Migrating one schema, with the migration graph loaded once per process.

Django's ``MigrationLoader`` reads every migration module and rebuilds the graph each time
it is created, which is most of the cost of migrating a schema that is already up to date.
The graph only depends on the code (and, for squashed migrations, on which replaced
migrations a schema has applied), so :class:`CachedMigrationLoader` builds it once and
reads only the applied migrations per schema.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import cached_property
from typing import Any, ClassVar

from django.apps import apps as global_apps
from django.conf import settings
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connections
from django.db.migrations.exceptions import InconsistentMigrationHistory
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ModelState, ProjectState, StateApps

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


class RunRecorder(MigrationRecorder):
    """The ``MigrationRecorder`` of one migrate run: asks once whether its table exists.

    Django's recorder only remembers that ``django_migrations`` exists, and the loader,
    the history check and the executor each make their own: a new tenant's schema was
    asked four times per creation. Nothing but ``ensure_schema()`` creates the table
    during a run, so the answer is kept either way.
    """

    _exists: bool | None = None

    def has_table(self) -> bool:
        if self._exists is None:
            self._exists = self._table_in_current_schema()
        return self._exists

    def _table_in_current_schema(self) -> bool:
        # Django lists every table of the schema to answer this (a scan of pg_class that
        # grows with the number of tenants); one indexed lookup answers the same question.
        table = self.Migration._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass(format('%%I.%%I', current_schema(), %s::text)) IS NOT NULL",
                [table],
            )
            return bool(cursor.fetchone()[0])

    def ensure_schema(self) -> None:
        if not self.has_table():
            super().ensure_schema()
            self._exists = True


class CachedMigrationLoader(MigrationLoader):
    """A ``MigrationLoader`` that reuses the process-wide graph built from disk.

    ``recorder`` (optional) reads the applied migrations; by default a new one.
    """

    _graphs: ClassVar[dict[tuple[Any, ...], MigrationLoader]] = {}

    def __init__(
        self, connection: Any, *args: Any, recorder: MigrationRecorder | None = None, **kwargs: Any
    ) -> None:
        self._recorder = recorder
        super().__init__(connection, *args, **kwargs)

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
        applied = {}
        if self.connection is not None:
            recorder = self._recorder or RunRecorder(self.connection)
            applied = recorder.applied_migrations()
        replaced = {key for squash in base.replacements.values() for key in squash.replaces}
        if replaced & set(applied):
            # A partially applied squash changes the graph for this schema: build it fully.
            self._recorded = None
            super().build_graph()
            return
        self._recorded = applied
        self.disk_migrations = base.disk_migrations
        self.unmigrated_apps = base.unmigrated_apps
        self.migrated_apps = base.migrated_apps
        self.replacements = base.replacements
        self.graph = base.graph
        self.applied_migrations = applied

    _recorded: dict[Any, Any] | None = None

    def check_consistent_history(self, connection: Any) -> None:
        """Django's history check, on the applied migrations this loader already read.

        Django reads ``django_migrations`` again through a recorder of its own. On the
        cached path no replaced migration is applied, so Django's squash exception cannot
        apply and the check is: every applied migration has its parents applied.
        """
        applied = self._recorded
        if applied is None or connection is not self.connection:
            super().check_consistent_history(connection)
            return
        for migration in applied:
            if migration not in self.graph.nodes:
                continue
            for parent in self.graph.node_map[migration].parents:
                if parent.key in applied:
                    continue
                if parent.key in self.replacements:
                    super().check_consistent_history(connection)
                    return
                raise InconsistentMigrationHistory(
                    f"Migration {migration[0]}.{migration[1]} is applied before its "
                    f"dependency {parent.key[0]}.{parent.key[1]} on database "
                    f"'{connection.alias}'."
                )

    @classmethod
    def clear_cache(cls) -> None:
        cls._graphs.clear()


class LeanProjectState(ProjectState):
    """A ``ProjectState`` whose ``CreateModel`` re-renders only the new model's neighbours.

    Django re-renders, for every new model, every model reachable from it through
    relations (``reload_model(delay=False)``): a tenant app whose models are linked (a
    chain of foreign keys, everything pointing at one model) costs quadratic renders, the
    bulk of creating a tenant by migrations. A brand-new model has no stale class to
    replace; what changes is the reverse side of the models it points to, and re-rendering
    those and their direct neighbours (Django's own ``delay=True``) is enough for the
    schema editor. Django already renders delayed states fully where full consistency
    matters: ``RunPython`` (``clear_delayed_apps_cache()`` before calling the code) and the
    post-migrate state, so migrations see the same models as with plain ``migrate``.

    When ``RunPython`` renders a delayed clone afresh, the fresh registry is handed back to
    the state it was cloned from (if neither changed since), so a later ``RunPython`` does
    not render everything again. Nothing is rendered for a ``RunPython`` that the router
    skips in this schema, as with Django's states.
    """

    is_delayed: bool
    _generation = 0
    _give_back = False
    _source: tuple[weakref.ref[LeanProjectState], int] | None = None

    def add_model(self, model_state: ModelState) -> None:
        model_key = model_state.app_label, model_state.name_lower
        self.models[model_key] = model_state
        if self._relations is not None:
            self.resolve_model_relations(model_key)
        self._generation += 1
        if "apps" in self.__dict__:
            self.reload_model(*model_key, delay=True)

    def remove_model(self, app_label: str, model_name: str) -> None:
        self._generation += 1
        super().remove_model(app_label, model_name)

    def reload_model(self, app_label: str, model_name: str, delay: bool = False) -> None:
        self._generation += 1
        super().reload_model(app_label, model_name, delay=delay)

    def reload_models(self, models: Any, delay: bool = True) -> None:
        self._generation += 1
        super().reload_models(models, delay=delay)

    def clone(self) -> LeanProjectState:
        new_state: LeanProjectState = super().clone()
        new_state.__class__ = LeanProjectState
        new_state._generation = 0
        new_state._source = (weakref.ref(self), self._generation)
        return new_state

    def clear_delayed_apps_cache(self) -> None:
        if not (self.is_delayed and "apps" in self.__dict__):
            return
        del self.__dict__["apps"]
        self.is_delayed = False
        self._give_back = self._source is not None and not self._generation

    @cached_property
    def apps(self) -> Any:
        apps = StateApps(self.real_apps, self.models)
        source = self._source[0]() if self._give_back and self._source else None
        if (
            source is not None
            and self._source is not None
            and not self._generation
            and source._generation == self._source[1]
            and source.is_delayed
        ):
            # Neither state changed since the clone: the source has the same models, and
            # this registry was rendered from scratch.
            source.__dict__["apps"] = apps.clone()
            source.is_delayed = False
        self._give_back = False
        return apps


class CachedMigrationExecutor(MigrationExecutor):
    """``MigrationExecutor`` on top of :class:`CachedMigrationLoader`, with lean states."""

    def __init__(
        self, connection: Any, progress_callback: Callable[..., Any] | None = None
    ) -> None:
        self.connection = connection
        self.recorder = RunRecorder(self.connection)
        self.loader = CachedMigrationLoader(self.connection, recorder=self.recorder)
        self.progress_callback = progress_callback

    def _create_project_state(self, with_applied_migrations: bool = False) -> ProjectState:
        state = super()._create_project_state(with_applied_migrations=with_applied_migrations)
        return LeanProjectState(models=state.models, real_apps=state.real_apps)


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
        if executor.loader.applied_migrations:  # nothing applied is consistent: no re-read
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
