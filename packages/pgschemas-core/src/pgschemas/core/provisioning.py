"""How a new dynamic tenant's schema comes to exist: the provisioning extension point.

The contract (docs/configuration.md, "Provisioning"): a provisioner is called with a tenant
whose schema **does not exist yet**, and either creates it - empty schema and contents
together, e.g. ``CREATE SCHEMA`` + migrations, a clone into the name, or renaming a spare
to it - and answers how (``"migrations"``, ``"clone"``, ``"spare clone"``), or creates
nothing and answers None to let the next one try. Creating the schema is the
provisioner's job because the fast ways to build a tenant (renaming a prepared schema)
cannot start from an empty one that already holds the name.

Core asks the registered provisioners, most recently registered first; when none accepts,
:class:`MigrationProvisioner` builds the tenant. Provisioners run inside the transaction
that creates the tenant, so a failure leaves neither schema nor row behind.

Every provisioned tenant is logged (logger ``pgschemas.core.provisioning``, INFO) with how
it was built, because a slow tenant creation or a tenant missing reference data is
otherwise hard to explain after the fact.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

from . import ddl
from .migration import migrate_schema
from .schema import SchemaLike

logger = logging.getLogger("pgschemas.core.provisioning")

#: ``provisioned_by`` of a tenant built by the default provisioner.
BY_MIGRATIONS = "migrations"


class Provisioner(Protocol):
    """Creates a new tenant's schema, with everything in it, under a name that is free."""

    def provision(self, tenant: SchemaLike, *, verbosity: int = 0) -> str | None:
        """Create schema ``tenant.schema_name`` (on ``tenant.db_alias``; it does not exist)
        and return how, in a few words (``"clone"``): that text becomes
        ``tenant.provisioned_by``. Return None, having created nothing, to decline."""
        ...


class MigrationProvisioner:
    """The default: create the schema, then run every migration of its apps
    (``TENANTS["default"]["APPS"]``)."""

    def provision(self, tenant: SchemaLike, *, verbosity: int = 0) -> str:
        ddl.create_schema(tenant.schema_name, using=tenant.db_alias, if_not_exists=False)
        migrate_schema(tenant, verbosity=verbosity)
        return BY_MIGRATIONS


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


def _answer(provisioner: object, answer: object) -> str | None:
    """``answer`` if it keeps the contract; a clear error naming the culprit if not."""
    if answer is None or (isinstance(answer, str) and answer):
        return answer
    raise TypeError(
        f"Provisioner {provisioner!r} returned {answer!r}: a provisioner returns a short "
        "non-empty text saying how it created the schema (e.g. 'clone'), or None when it "
        "created nothing (see the provisioning contract in pgschemas.core.provisioning)."
    )


def _first_accepting(tenant: SchemaLike, verbosity: int) -> str:
    for provisioner in list(_provisioners):
        method = _answer(provisioner, provisioner.provision(tenant, verbosity=verbosity))
        if method is not None:
            return method
    return MigrationProvisioner().provision(tenant, verbosity=verbosity)


def provision_schema(tenant: SchemaLike, *, verbosity: int = 0) -> str:
    """Create and fill ``tenant``'s schema, which must not exist yet; say how.

    Asks each registered provisioner in turn and falls back to :class:`MigrationProvisioner`.
    Returns (and logs) the accepting provisioner's answer. Call it inside a transaction
    (``TenantModel`` does): a provisioner that fails part-way may leave its work behind
    otherwise.
    """
    started = time.perf_counter()
    method = _first_accepting(tenant, verbosity)
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
