"""``"django_pgschemas.routing.middleware.DomainRoutingMiddleware"`` and friends."""

from pgschemas.routing.middleware import (
    DomainRoutingMiddleware,
    HeadersRoutingMiddleware,
    SessionRoutingMiddleware,
)

__all__ = ["DomainRoutingMiddleware", "HeadersRoutingMiddleware", "SessionRoutingMiddleware"]
