from django.core.exceptions import FieldDoesNotExist
from django.db import models

from pgschemas.core.models import TenantModel


class Tenant(TenantModel):
    name = models.CharField(max_length=100, blank=True)


try:
    from pgschemas.routing.models import DomainModel
except ImportError:  # pgschemas-routing not in the repository yet
    DomainModel = None

if DomainModel is not None:
    try:
        DomainModel._meta.get_field("tenant")
        _tenant_fk = {}
    except FieldDoesNotExist:
        _tenant_fk = {
            "tenant": models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="domains")
        }

    Domain = type("Domain", (DomainModel,), {"__module__": __name__, **_tenant_fk})
