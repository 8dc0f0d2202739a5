"""django-pgschemas 1.x's composition: a routing middleware, the auth stack, TenantURLRouter."""

from channels.auth import AuthMiddlewareStack
from channels.routing import ProtocolTypeRouter

from pgschemas.channels import DomainRoutingMiddleware, HeadersRoutingMiddleware, TenantURLRouter

domain_application = ProtocolTypeRouter(
    {"websocket": DomainRoutingMiddleware(AuthMiddlewareStack(TenantURLRouter()))}
)
headers_application = ProtocolTypeRouter(
    {"websocket": HeadersRoutingMiddleware(AuthMiddlewareStack(TenantURLRouter()))}
)
