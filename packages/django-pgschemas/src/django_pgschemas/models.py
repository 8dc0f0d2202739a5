"""``from django_pgschemas.models import TenantModel`` (and ``DomainModel``)."""

from pgschemas.core.models import TenantModel

__all__ = ["TenantModel"]
