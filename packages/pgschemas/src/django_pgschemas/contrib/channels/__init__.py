"""``django_pgschemas.contrib.channels``: pgschemas-channels under its spec-page path."""

from pgschemas.channels import (
    DomainRoutingMiddleware,
    HeadersRoutingMiddleware,
    TenantActivationMiddleware,
    TenantAuthMiddlewareStack,
    TenantProtocolRouter,
    TenantURLRouter,
    tenant_group_name,
)

__all__ = [
    "DomainRoutingMiddleware",
    "HeadersRoutingMiddleware",
    "TenantActivationMiddleware",
    "TenantAuthMiddlewareStack",
    "TenantProtocolRouter",
    "TenantURLRouter",
    "tenant_group_name",
]
