"""``from django_pgschemas.models import TenantModel, DomainModel``.

``DomainModel`` here is the one with django-pgschemas 1.x's field set (see
``django_pgschemas.routing.models``).
"""

from django_pgschemas.routing.models import DomainModel
from pgschemas.core.models import TenantModel

__all__ = ["DomainModel", "TenantModel"]
