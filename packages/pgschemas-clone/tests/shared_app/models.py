from django.db import models

from pgschemas.core.models import TenantModel


class Tenant(TenantModel):
    auto_drop_schema = True

    name = models.CharField(max_length=100, blank=True)


class Domain(models.Model):
    """A minimal domain model (this package must not depend on pgschemas.routing)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253)
    folder = models.SlugField(max_length=100, blank=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        unique_together = [("domain", "folder")]


class Country(models.Model):
    """Lives in public; tenant tables point at it (foreign keys to public must stay)."""

    code = models.CharField(max_length=2, unique=True)
