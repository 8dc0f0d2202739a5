from django.db import models

from pgschemas.core.models import TenantModel


class Tenant(TenantModel):
    auto_drop_schema = True

    name = models.CharField(max_length=100, blank=True)


class Domain(models.Model):
    """The fields a domain model offers to selectors: domain, folder, tenant."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(max_length=253)
    folder = models.CharField(max_length=100, blank=True)
