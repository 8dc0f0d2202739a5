"""Signals sent through a schema's life, from pgschemas-core (both spellings)."""

from pgschemas.core.signals import (
    dynamic_tenant_needs_sync,
    dynamic_tenant_post_rename,
    dynamic_tenant_post_sync,
    dynamic_tenant_pre_drop,
    schema_activate,
    schema_activated,
    schema_post_migration,
    schema_pre_migration,
)

__all__ = [
    "dynamic_tenant_needs_sync",
    "dynamic_tenant_post_rename",
    "dynamic_tenant_post_sync",
    "dynamic_tenant_pre_drop",
    "schema_activate",
    "schema_activated",
    "schema_post_migration",
    "schema_pre_migration",
]
