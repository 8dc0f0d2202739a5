"""The provisioner core asks when a tenant is created: clone the reference when it is ready.

It keeps core's provisioning contract (:mod:`pgschemas.core.provisioning`): the tenant's
schema does not exist yet, and this provisioner creates it - a spare renamed to the
tenant's name, or a clone into that name - or creates nothing and declines.

Registered in ``PgschemasCloneConfig.ready()``. It never clones a missing, outdated or
half-built reference (checked in the tenant's transaction, see :mod:`.reference`): it
warns (``ReferenceNotReadyWarning`` and a log record) and lets core migrate the tenant
instead, so a deploy that forgot ``createrefschema`` is slower, never wrong.
With ``CLONE_SPARES`` set it first tries to rename a spare clone made ahead of time
(:mod:`.spares`), and clones directly when no fresh spare is left.
"""

from __future__ import annotations

import logging
import time

from django.db import DatabaseError, transaction

from pgschemas.core import ddl
from pgschemas.core.caller import warn
from pgschemas.core.config import get_config
from pgschemas.core.schema import SchemaLike

from .clone import CloneError, clone_schema
from .reference import ReferenceStatus, lock_reference, reference_status
from .spares import configured_spares, take_spare

logger = logging.getLogger("pgschemas.clone")

#: ``provisioned_by`` (core's provisioning log record, ``tenant.provisioned_by``).
BY_CLONE = "clone"
BY_SPARE = "spare clone"


class ReferenceNotReadyWarning(UserWarning):
    """A tenant was migrated, not cloned: the reference is missing, half-built or behind."""


class CloneProvisioner:
    """Creates a new dynamic tenant's schema as a copy of ``CLONE_REFERENCE``."""

    def provision(self, tenant: SchemaLike, *, verbosity: int = 0) -> str | None:
        """``"spare clone"`` or ``"clone"`` when it created the schema; None (nothing
        created) to let core migrate it."""
        reference = get_config().clone_reference
        if not reference or tenant.schema_name == reference:
            return None
        alias = tenant.db_alias
        try:
            # A savepoint inside tenant creation: a clone that fails leaves nothing behind
            # and the tenant's transaction usable, so it can still be migrated.
            with transaction.atomic(using=alias):
                status = self._copy_if_ready(tenant, reference, verbosity=verbosity)
        except (CloneError, DatabaseError):
            # The reference vanished or changed under the copy (dropped in another
            # connection between our check and our read): fall back like any reference
            # that is not ready. A failure with a ready reference is a real error.
            status = reference_status(reference, using=alias)
            if status.ready:
                raise
        if isinstance(status, str):
            return status
        _warn_migrated(tenant, status)
        return None

    def _copy_if_ready(
        self, tenant: SchemaLike, reference: str, *, verbosity: int
    ) -> ReferenceStatus | str:
        """Create the tenant's schema from the reference and say how; the reference's
        status (nothing created) if it is not ready.

        The readiness check runs in the tenant's transaction, under the reference's shared
        lock, right before the copy: what another process did to the reference a moment
        ago counts, what this process saw earlier does not.
        """
        alias = tenant.db_alias
        lock_reference(reference, using=alias)
        status = reference_status(reference, using=alias)
        if not status.ready:
            return status
        if configured_spares():
            started = time.perf_counter()
            spare = take_spare(tenant.schema_name, reference, using=alias)
            if spare is not None:
                if verbosity >= 1:
                    logger.info(
                        "Turned spare clone %r of %r into %r in %.3fs",
                        spare,
                        reference,
                        tenant.schema_name,
                        time.perf_counter() - started,
                    )
                return BY_SPARE
        # Created here rather than by clone_schema(): a name that is taken fails with the
        # same error whichever provisioner meets it.
        ddl.create_schema(tenant.schema_name, using=alias, if_not_exists=False)
        result = clone_schema(reference, tenant.schema_name, using=alias, create_schema=False)
        if verbosity >= 1:
            logger.info("Cloned %r into %r in %.3fs", reference, tenant.schema_name, result.seconds)
        return BY_CLONE

    def __eq__(self, other: object) -> bool:
        # register_provisioner is idempotent per equal provisioner: one per process.
        return isinstance(other, CloneProvisioner)

    def __hash__(self) -> int:
        return hash(CloneProvisioner)


def _warn_migrated(tenant: SchemaLike, status: ReferenceStatus) -> None:
    message = f"Tenant {tenant.schema_name!r} is provisioned with migrations: {status.describe()}."
    logger.warning(message)
    warn(message, ReferenceNotReadyWarning)


provisioner = CloneProvisioner()
