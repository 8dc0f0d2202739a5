"""``from django_pgschemas.models import TenantModel, DomainModel``."""

from pgschemas.core.models import TenantModel
from pgschemas.routing.models import DomainModel

__all__ = ["DomainModel", "TenantModel"]
