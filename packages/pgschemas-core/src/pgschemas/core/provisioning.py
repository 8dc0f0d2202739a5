"""How a new dynamic tenant's schema gets its tables: the provisioning extension point.

Core asks the registered provisioners, most recently registered first, and the first one
that accepts the tenant builds it. The fallback runs migrations; ``pgschemas.clone``
registers a provisioner that clones ``CLONE_REFERENCE`` when it is ready. Provisioners run
inside the transaction that creates the tenant, so a failure leaves nothing behind.
"""

from __future__ import annotations

import threading
from typing import Protocol

from .migration import migrate_schema
from .schema import SchemaLike


class Provisioner(Protocol):
    """Builds the contents of a freshly created, empty tenant schema."""

    def provision(self, tenant: SchemaLike, *, verbosity: int = 0) -> bool:
        """Fill the schema and return True, or return False to let the next one try."""
        ...


class MigrationProvisioner:
    """The default: run every migration of ``TENANTS["default"]["APPS"]``."""

    def provision(self, tenant: SchemaLike, *, verbosity: int = 0) -> bool:
        migrate_schema(tenant, verbosity=verbosity)
        return True


_lock = threading.Lock()
_provisioners: list[Provisioner] = []


def register_provisioner(provisioner: Provisioner) -> None:
    """Give ``provisioner`` the first say on new tenants (idempotent)."""
    with _lock:
        if provisioner not in _provisioners:
            _provisioners.insert(0, provisioner)


def unregister_provisioner(provisioner: Provisioner) -> None:
    with _lock:
        if provisioner in _provisioners:
            _provisioners.remove(provisioner)


def provision_schema(tenant: SchemaLike, *, verbosity: int = 0) -> None:
    """Build a new tenant's schema with the first provisioner that accepts it."""
    for provisioner in list(_provisioners):
        if provisioner.provision(tenant, verbosity=verbosity):
            return
    MigrationProvisioner().provision(tenant, verbosity=verbosity)
