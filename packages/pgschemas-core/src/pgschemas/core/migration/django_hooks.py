"""Every private piece of Django's migration machinery this package relies on, in one place.

The cached loader, the lean states, the shared-state executor and the ``migrate`` command
lean on details Django does not promise to keep: attributes an overridden method must set,
methods and signatures we override, a module global we patch. :data:`HOOKS` names each one
with a check of the exact shape we rely on, and one test (``tests/test_django_hooks.py``)
runs them all, so a Django release that moves one fails that test naming the hook, instead
of making ``migrate`` silently slower or wrong.

The two places where we reach into Django at run time are here too:
:func:`migrate_command_executor` (the ``migrate`` command's executor, patched for one run)
and :func:`planner_on` (an executor that only plans, without a connection).
"""

from __future__ import annotations

import inspect
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.management import sql as management_sql
from django.core.management.commands import migrate as django_migrate
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState, StateApps

# --- run-time hooks -------------------------------------------------------------------

_patch_lock = threading.RLock()


@contextmanager
def migrate_command_executor(executor: type[MigrationExecutor]) -> Iterator[None]:
    """Make Django's ``migrate`` command build ``executor`` instead of its own, for a block.

    The command creates its executor from the ``MigrationExecutor`` global of its module at
    call time; that global is swapped for the block and put back after. The lock makes
    ``migrate`` runs of one process take turns (the swap is process-wide); a block nested
    in the same thread (a migration calling ``migrate``) is let through.
    """
    with _patch_lock:
        saved = django_migrate.MigrationExecutor
        django_migrate.MigrationExecutor = executor
        try:
            yield
        finally:
            django_migrate.MigrationExecutor = saved


def planner_on(loader: MigrationLoader) -> MigrationExecutor:
    """A ``MigrationExecutor`` that only plans, on ``loader``'s graph and applied set.

    ``migration_plan()`` reads nothing but ``self.loader``, so no connection, recorder or
    second loader (another read of the graph) is made.
    """
    planner = MigrationExecutor.__new__(MigrationExecutor)
    planner.loader = loader
    return planner


# --- the hooks and their checks ---------------------------------------------------------


@dataclass(frozen=True)
class Hook:
    """One detail of Django we rely on: what it is, who relies on it, and a check."""

    name: str
    used_by: str
    check: Callable[[], bool]


def _names(function: Any) -> set[str]:
    return set(function.__code__.co_names)


def _parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def _django_migrate_handle() -> Any:
    """The command's own ``handle``, under its ``no_translations`` wrapper."""
    handle = django_migrate.Command.handle
    for cell in handle.__closure__ or ():
        inner = cell.cell_contents
        if isinstance(inner, types.FunctionType) and inner.__name__ == "handle":
            return inner
    return handle


def _loader_attributes() -> set[str]:
    return set(vars(MigrationLoader(None, ignore_no_migrations=True)))


HOOKS: tuple[Hook, ...] = (
    Hook(
        "django.core.management.commands.migrate.MigrationExecutor, read by "
        "migrate.Command.handle at call time",
        "migrate_command_executor() (the migrate command's cached, shared-state executor)",
        lambda: (
            django_migrate.MigrationExecutor is MigrationExecutor
            and "MigrationExecutor" in _names(_django_migrate_handle())
        ),
    ),
    Hook(
        "MigrationExecutor.__init__ sets exactly connection, loader, recorder, progress_callback",
        "CachedMigrationExecutor.__init__ (replaces it without calling it)",
        lambda: (
            _names(MigrationExecutor.__init__)
            == {"connection", "loader", "recorder", "progress_callback"}
            | {"MigrationLoader", "MigrationRecorder"}
        ),
    ),
    Hook(
        "MigrationExecutor.migration_plan reads only self.loader",
        "planner_on() (pending_schemas plans without a connection)",
        lambda: not {"connection", "recorder"} & _names(MigrationExecutor.migration_plan),
    ),
    Hook(
        "MigrationExecutor._create_project_state(self, with_applied_migrations)",
        "migrate_schema, CachedMigrationExecutor, shared_states.executor_class",
        lambda: (
            _parameters(MigrationExecutor._create_project_state)
            == ["self", "with_applied_migrations"]
        ),
    ),
    Hook(
        "MigrationExecutor.migrate/apply_migration/unapply_migration signatures",
        "shared_states.executor_class (overrides them)",
        lambda: (
            _parameters(MigrationExecutor.migrate)
            == ["self", "targets", "plan", "state", "fake", "fake_initial"]
            and _parameters(MigrationExecutor.apply_migration)
            == ["self", "state", "migration", "fake", "fake_initial"]
            and _parameters(MigrationExecutor.unapply_migration)
            == ["self", "state", "migration", "fake"]
        ),
    ),
    Hook(
        "MigrationLoader.build_graph sets disk_migrations, unmigrated_apps, migrated_apps, "
        "replacements, graph, applied_migrations (and nothing else)",
        "CachedMigrationLoader.build_graph (copies them from the process-wide graph)",
        lambda: (
            # Django 6.1 adds replacements_progress: scratch state of build_graph's own
            # squash replacement, finished before build_graph returns (the cached path
            # copies the graph that replacement produced, so it needs none of it).
            _loader_attributes() - {"replacements_progress"}
            == {
                "connection",
                "ignore_no_migrations",
                "replace_migrations",
                "disk_migrations",
                "unmigrated_apps",
                "migrated_apps",
                "replacements",
                "graph",
                "applied_migrations",
            }
        ),
    ),
    Hook(
        "MigrationGraph.node_map[key].parents (nodes with .key)",
        "CachedMigrationLoader.check_consistent_history",
        lambda: (
            "node_map" in vars(MigrationLoader(None, ignore_no_migrations=True).graph)
            and "parents" in _names(MigrationLoader.check_consistent_history)
        ),
    ),
    Hook(
        "MigrationRecorder.has_table / ensure_schema / Migration._meta.db_table",
        "RunRecorder (answers has_table once; ensure_schema goes through it)",
        lambda: (
            "has_table" in _names(MigrationRecorder.ensure_schema)
            and hasattr(MigrationRecorder.Migration._meta, "db_table")
        ),
    ),
    Hook(
        "ProjectState.add_model body (models, _relations, resolve_model_relations, "
        "__dict__['apps'], reload_model)",
        "LeanProjectState.add_model (the same steps, with delay=True)",
        lambda: (
            _names(ProjectState.add_model)
            == {
                "__dict__",
                "_relations",
                "app_label",
                "models",
                "name_lower",
                "reload_model",
                "resolve_model_relations",
            }
        ),
    ),
    Hook(
        "ProjectState: is_delayed, real_apps, reload_model(delay), reload_models(delay), "
        "clear_delayed_apps_cache, apps cached in __dict__",
        "LeanProjectState",
        lambda: (
            {"is_delayed", "real_apps", "models", "_relations"} <= set(vars(ProjectState()))
            and _parameters(ProjectState.reload_model)
            == ["self", "app_label", "model_name", "delay"]
            and _parameters(ProjectState.reload_models) == ["self", "models", "delay"]
            and "__dict__" in _names(ProjectState.clear_delayed_apps_cache)
            and getattr(ProjectState.__dict__.get("apps"), "name", None) == "apps"
        ),
    ),
    Hook(
        "StateApps(real_apps, models), bulk_update, real_models, unregister_model, render_multiple",
        "LeanProjectState.apps, migrate_schema (post-migrate state)",
        lambda: (
            _parameters(StateApps.__init__)[:3] == ["self", "real_apps", "models"]
            and all(
                hasattr(StateApps, name)
                for name in ("bulk_update", "unregister_model", "render_multiple", "clone")
            )
            and "real_models" in _names(StateApps.__init__)
        ),
    ),
    Hook(
        "django.core.management.sql.emit_pre_migrate_signal / emit_post_migrate_signal"
        "(verbosity, interactive, db, **kwargs)",
        "migrate_schema",
        lambda: all(
            _parameters(getattr(management_sql, name))
            == ["verbosity", "interactive", "db", "kwargs"]
            for name in ("emit_pre_migrate_signal", "emit_post_migrate_signal")
        ),
    ),
)


def broken_hooks(hooks: tuple[Hook, ...] = HOOKS) -> list[Hook]:
    """The hooks whose check fails (or raises) on the installed Django."""
    broken = []
    for hook in hooks:
        try:
            ok = hook.check()
        except Exception:  # a moved attribute raises: that is what we are looking for
            ok = False
        if not ok:
            broken.append(hook)
    return broken
