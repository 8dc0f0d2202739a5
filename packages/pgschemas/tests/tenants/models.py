from django.db import models

from django_pgschemas.models import DomainModel, TenantModel


class Tenant(TenantModel):
    """A tenant model written against the django_pgschemas import path."""

    auto_drop_schema = True

    name = models.CharField(max_length=100, blank=True)


class Domain(DomainModel):
    pass
