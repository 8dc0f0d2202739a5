"""Signals sent through a schema's life.

Arguments (besides ``sender``):

- ``schema_activated``: ``schema`` - the schema (or tenant) just made active.
- ``dynamic_tenant_needs_sync``: ``tenant`` - a new tenant whose schema is about to be
  provisioned (created by migrations, a clone or a spare clone; it does not exist yet).
- ``dynamic_tenant_post_sync``: ``tenant``, ``provisioned_by`` (``"migrations"``,
  ``"clone"``, ``"spare clone"``, ...) - the tenant's schema is provisioned.
- ``dynamic_tenant_pre_drop``: ``tenant`` - the tenant's schema is about to be dropped.
- ``dynamic_tenant_post_rename``: ``tenant``, ``old_name``, ``new_name`` - the schema and
  the row were renamed (sent inside the renaming transaction).
- ``schema_pre_migration`` / ``schema_post_migration``: ``schema``, ``plan`` (the list of
  ``(migration, backwards)`` pairs that runs or ran) - around migrations of one schema.
"""

from django.dispatch import Signal

schema_activated = Signal()
dynamic_tenant_needs_sync = Signal()
dynamic_tenant_post_sync = Signal()
dynamic_tenant_pre_drop = Signal()
dynamic_tenant_post_rename = Signal()
schema_pre_migration = Signal()
schema_post_migration = Signal()

#: Name used by django-pgschemas for :data:`schema_activated`.
schema_activate = schema_activated

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
