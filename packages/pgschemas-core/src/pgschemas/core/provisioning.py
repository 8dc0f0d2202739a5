"""How a new dynamic tenant's schema gets its tables: the provisioning extension point.

Core asks the registered provisioners, most recently registered first, and the first one
that accepts the tenant builds it. The fallback runs migrations; ``pgschemas.clone``
registers a provisioner that clones ``CLONE_REFERENCE`` when it is ready. Provisioners run
inside the transaction that creates the tenant, so a failure leaves nothing behind.

Every provisioned tenant is logged (logger ``pgschemas.core.provisioning``, INFO) with how
it was built - ``migrations``, or what the provisioner that took it answered (``clone``,
``spare clone``) - because a slow tenant creation or a tenant missing reference data is
otherwise hard to explain after the fact.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from .migration import migrate_schema
from .schema import SchemaLike

logger = logging.getLogger("pgschemas.core.provisioning")

#: ``provisioned_by`` of a tenant built by the default provisioner.
BY_MIGRATIONS = "migrations"


class Provisioner(Protocol):
    """Builds the contents of a freshly created, empty tenant schema."""

    def provision(self, tenant: SchemaLike, *, verbosity: int = 0) -> bool | str:
        """Fill the schema and say how (a short text such as ``"clone"``, or True), or
        return False to let the next one try."""
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


def provision_schema(tenant: SchemaLike, *, verbosity: int = 0) -> str:
    """Build a new tenant's schema with the first provisioner that accepts it; say how.

    Returns (and logs) how the schema was built: :data:`BY_MIGRATIONS`, the text the
    accepting provisioner returned, or that provisioner's class name when it returned True.
    """
    started = time.perf_counter()
    method = ""
    for provisioner in list(_provisioners):
        answer = provisioner.provision(tenant, verbosity=verbosity)
        if answer:
            method = answer if isinstance(answer, str) else type(provisioner).__name__
            break
    else:
        MigrationProvisioner().provision(tenant, verbosity=verbosity)
        method = BY_MIGRATIONS
    seconds = time.perf_counter() - started
    logger.info(
        "Provisioned schema %r by %s in %.3fs",
        tenant.schema_name,
        method,
        seconds,
        extra={
            "provisioned_schema": tenant.schema_name,
            "provisioned_by": method,
            "provision_seconds": seconds,
        },
    )
    return method
