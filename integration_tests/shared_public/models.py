from django.db import models

from pgschemas.core.models import TenantModel
from pgschemas.routing.models import DomainModel


class Tenant(TenantModel):
    """A dynamic tenant of the sandbox (one schema each)."""

    auto_drop_schema = True

    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["schema_name"]


class Domain(DomainModel):
    """Domains (and folders) of dynamic tenants, read by pgschemas-routing."""
