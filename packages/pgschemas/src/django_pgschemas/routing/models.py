"""``from django_pgschemas.routing.models import DomainModel``.

The name is 1.x's, so it is the model with 1.x's field set (``CompatDomainModel``): an
existing project's domain migration then matches, and ``makemigrations`` finds nothing to
do after the switch.
"""

from pgschemas.routing.models import CompatDomainModel as DomainModel
from pgschemas.routing.models import (
    get_primary_domain,
    tenant_absolute_url,
)

#: django-pgschemas 1.x's name for :func:`get_primary_domain` (the tenant's primary row,
#: or None).
get_primary_domain_for_tenant = get_primary_domain

__all__ = [
    "DomainModel",
    "get_primary_domain",
    "get_primary_domain_for_tenant",
    "tenant_absolute_url",
]
