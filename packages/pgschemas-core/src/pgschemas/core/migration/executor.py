"""``CachedMigrationExecutor``: Django's executor on the cached graph, with lean states."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import ProjectState

from .loader import CachedMigrationLoader
from .recorder import RunRecorder
from .state import LeanProjectState


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
