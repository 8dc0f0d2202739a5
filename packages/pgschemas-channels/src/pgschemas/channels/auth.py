"""Sessions and users of the tenant a websocket belongs to.

Channels' ``AuthMiddlewareStack`` loads the session and the user in threads
(``database_sync_to_async``); these threads see the schema active in the connection's
context. ``TenantAuthMiddlewareStack`` activates ``scope["tenant"]`` first, so the session
row and the user row are read from that tenant's schema even when the stack is used
outside ``TenantProtocolRouter``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pgschemas.core.activation import override

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[Any]]


class TenantActivationMiddleware:
    """Run the inner application with ``scope["tenant"]`` active (unchanged when absent)."""

    def __init__(self, inner: ASGIApp) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        tenant = scope.get("tenant")
        if tenant is None:
            return await self.inner(scope, receive, send)
        with override(tenant):
            return await self.inner(scope, receive, send)


def TenantAuthMiddlewareStack(inner: ASGIApp) -> ASGIApp:
    """Cookies, session and ``scope["user"]`` from the tenant of ``scope["tenant"]``."""
    from channels.auth import AuthMiddlewareStack

    return TenantActivationMiddleware(AuthMiddlewareStack(inner))
