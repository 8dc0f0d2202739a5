"""The provisioner core asks when a tenant is created: clone the reference when it is ready.

Registered in ``PgschemasCloneConfig.ready()``. It never clones a missing or outdated
reference: it warns (``ReferenceNotReadyWarning`` and a log record) and lets core migrate
the tenant instead, so a deploy that forgot ``createrefschema`` is slower, never wrong.
With ``CLONE_SPARES`` set it first tries to rename a spare clone made ahead of time
(:mod:`.spares`), and clones directly when no fresh spare is left.
"""

from __future__ import annotations

import logging
import time
import warnings

from pgschemas.core.config import get_config
from pgschemas.core.schema import SchemaLike

from .clone import clone_schema
from .reference import reference_status
from .spares import configured_spares, take_spare

logger = logging.getLogger("pgschemas.clone")


class ReferenceNotReadyWarning(UserWarning):
    """A tenant was migrated instead of cloned because the reference is missing or behind."""


class CloneProvisioner:
    """Fills a new dynamic tenant's (empty) schema with a copy of ``CLONE_REFERENCE``."""

    def provision(self, tenant: SchemaLike, *, verbosity: int = 0) -> bool:
        reference = get_config().clone_reference
        if not reference or tenant.schema_name == reference:
            return False
        status = reference_status(reference, using=tenant.db_alias)
        if not status.ready:
            message = (
                f"Tenant {tenant.schema_name!r} is provisioned with migrations: "
                f"{status.describe()}."
            )
            logger.warning(message)
            warnings.warn(message, ReferenceNotReadyWarning, stacklevel=2)
            return False
        if configured_spares():
            started = time.perf_counter()
            spare = take_spare(tenant.schema_name, reference, using=tenant.db_alias)
            if spare is not None:
                if verbosity >= 1:
                    logger.info(
                        "Turned spare clone %r of %r into %r in %.3fs",
                        spare,
                        reference,
                        tenant.schema_name,
                        time.perf_counter() - started,
                    )
                return True
        result = clone_schema(
            reference, tenant.schema_name, using=tenant.db_alias, create_schema=False
        )
        if verbosity >= 1:
            logger.info("Cloned %r into %r in %.3fs", reference, tenant.schema_name, result.seconds)
        return True

    def __eq__(self, other: object) -> bool:
        # register_provisioner is idempotent per equal provisioner: one per process.
        return isinstance(other, CloneProvisioner)

    def __hash__(self) -> int:
        return hash(CloneProvisioner)


provisioner = CloneProvisioner()
