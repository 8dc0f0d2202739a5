"""``migrate_schema``: what ``manage.py migrate`` does, for one schema, on the cached graph."""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connections
from django.db.migrations.state import ModelState, ProjectState

from .. import signals
from ..schema import SchemaLike
from .executor import CachedMigrationExecutor

Plan = list[tuple[Any, bool]]


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
