"""Tenant-aware auth middleware stack for websocket consumers (pgschemas-channels)."""

from pgschemas.channels.auth import TenantActivationMiddleware, TenantAuthMiddlewareStack

__all__ = ["TenantActivationMiddleware", "TenantAuthMiddlewareStack"]
