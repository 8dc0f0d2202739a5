from django.db import models

from django_pgschemas.models import TenantModel
from django_pgschemas.routing.models import DomainModel


class Tenant(TenantModel):
    name = models.CharField(max_length=100, blank=True)


class Domain(DomainModel):
    pass
