"""pgschemas-channels: websockets routed to their tenant.

``application = TenantProtocolRouter()`` serves HTTP through Django (and its routing
middleware) and routes websockets by host and folder to the tenant's ``WS_URLCONF``, with
``scope["tenant"]`` set and the tenant's schema active in every consumer.
"""

from .__about__ import __version__
from .auth import TenantActivationMiddleware, TenantAuthMiddlewareStack
from .groups import tenant_group_name
from .middleware import DomainRoutingMiddleware, HeadersRoutingMiddleware, TenantURLRouter
from .router import TenantProtocolRouter

__all__ = [
    "DomainRoutingMiddleware",
    "HeadersRoutingMiddleware",
    "TenantActivationMiddleware",
    "TenantAuthMiddlewareStack",
    "TenantProtocolRouter",
    "TenantURLRouter",
    "__version__",
    "tenant_group_name",
]
