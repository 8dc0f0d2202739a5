from django.db import models

from pgschemas.core.models import TenantModel


class Tenant(TenantModel):
    auto_drop_schema = True

    name = models.CharField(max_length=100, blank=True)
