"""``CachedMigrationLoader``: the migration graph read from disk once per process.

Django's ``MigrationLoader`` reads every migration module and rebuilds the graph each time
it is created, which is most of the cost of migrating a schema that is already up to date.
The graph only depends on the code (and, for squashed migrations, on which replaced
migrations a schema has applied), so the loader builds it once and reads only the applied
migrations per schema.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import apps as global_apps
from django.conf import settings
from django.db.migrations.exceptions import InconsistentMigrationHistory
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from .recorder import RunRecorder


def _graph_cache_key(loader: MigrationLoader) -> tuple[Any, ...]:
    return (
        tuple(app.name for app in global_apps.get_app_configs()),
        repr(sorted(getattr(settings, "MIGRATION_MODULES", {}).items())),
        loader.ignore_no_migrations,
        loader.replace_migrations,
    )


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
