"""``django_pgschemas.contrib.channels``: pgschemas-channels under its spec-page path."""

from pgschemas.channels import (
    TenantActivationMiddleware,
    TenantAuthMiddlewareStack,
    TenantProtocolRouter,
    tenant_group_name,
)

__all__ = [
    "TenantActivationMiddleware",
    "TenantAuthMiddlewareStack",
    "TenantProtocolRouter",
    "tenant_group_name",
]
