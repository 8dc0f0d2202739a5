"""``from django_pgschemas.routing.models import DomainModel``."""

from pgschemas.routing.models import (
    DomainModel,
    get_primary_domain,
    tenant_absolute_url,
)

__all__ = ["DomainModel", "get_primary_domain", "tenant_absolute_url"]
