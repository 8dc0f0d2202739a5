"""``TenantAppsRouter``: an app migrates into a schema iff it is in that schema's ``APPS``."""

from __future__ import annotations

from typing import Any

from django.db import connections

from .activation import get_current_schema
from .apps_map import app_labels_for, installed_app_labels
from .config import get_config


def apps_allowed_in(schema_name: str, *, is_dynamic: bool) -> frozenset[str]:
    """App labels that live in a schema (empty for a schema no ``TENANTS`` entry covers)."""
    entry = get_config().tenant_config_for(schema_name, is_dynamic=is_dynamic)
    return app_labels_for(entry) if entry is not None else frozenset()


class TenantAppsRouter:
    """Add to ``DATABASE_ROUTERS``; only speaks for databases using the pgschemas backend."""

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if not getattr(connections[db], "pgschemas_aware", False):
            return None
        if app_label not in installed_app_labels():
            # Not an app at all (e.g. the database cache's "django_cache" pseudo-app):
            # no TENANTS entry can speak for it, so leave the decision to Django.
            return None
        schema = get_current_schema()
        return app_label in apps_allowed_in(schema.schema_name, is_dynamic=schema.is_dynamic)
