"""Composable websocket routing: ``DomainRoutingMiddleware`` / ``HeadersRoutingMiddleware``
in front of ``TenantURLRouter``, as django-pgschemas 1.x composes them::

    application = ProtocolTypeRouter({
        "websocket": AllowedHostsOriginValidator(
            DomainRoutingMiddleware(AuthMiddlewareStack(TenantURLRouter()))
        ),
    })

A routing middleware finds the tenant of the handshake with pgschemas-routing's lookup
(the same tenants, cache and ``tenant.routing`` values as HTTP requests), sets
``scope["tenant"]`` (None when no tenant matches) and runs the inner application with the
tenant's schema active, so the session and user of ``AuthMiddlewareStack`` are read from
the tenant's schema. ``TenantURLRouter`` serves the tenant's ``WS_URLCONF`` (below its
folder, for folder tenants). ``TenantProtocolRouter`` does all of this in one object.
"""

from __future__ import annotations

import threading
from typing import Any

from channels.db import database_sync_to_async
from pgschemas.core.activation import override
from pgschemas.core.routing_info import routed_folder
from pgschemas.routing import conf
from pgschemas.routing.routes import Route
from pgschemas.routing.table import UNAVAILABLE, route_table

from .auth import ASGIApp
from .lookup import header, host_of, path_info, route_for_scope
from .refusal import refuse
from .routed import run_in_tenant
from .urlconf import load_patterns, matches, ws_urlconf_for


class BaseRoutingMiddleware:
    """Set ``scope["tenant"]`` and activate it around the inner application."""

    def __init__(self, inner: ASGIApp) -> None:
        self.inner = inner

    async def route(self, scope: dict[str, Any]) -> Route | None:
        """The pgschemas-routing ``Route`` of the handshake, or None."""
        raise NotImplementedError

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        route = await self.route(scope)
        tenant = route.tenant() if route is not None else None
        scope = {**scope, "tenant": tenant}
        if tenant is None:
            return await self.inner(scope, receive, send)
        return await run_in_tenant(tenant, self.inner, scope, receive, send)


class DomainRoutingMiddleware(BaseRoutingMiddleware):
    """The tenant of the handshake's host (and first path segment, for folder tenants);
    ``ALLOWED_HOSTS`` applies as for HTTP."""

    async def route(self, scope: dict[str, Any]) -> Route | None:
        return await route_for_scope(scope)


class HeadersRoutingMiddleware(BaseRoutingMiddleware):
    """The tenant named by the handshake header ``PGSCHEMAS_TENANT_HEADER`` (default
    ``tenant``): a static tenant's ``HEADER`` or key, a dynamic tenant's schema_name or pk."""

    async def route(self, scope: dict[str, Any]) -> Route | None:
        name = conf.tenant_header()
        if name is None:
            return None
        value = (header(scope, name.lower().encode("latin-1")) or "").strip()
        if not value:
            return None
        route = route_table.lookup_header(value, allow_db=False)
        if route is UNAVAILABLE:
            resolved: Route | None = await database_sync_to_async(route_table.resolve_header)(value)
            return resolved
        return route


class TenantURLRouter:
    """Dispatch a websocket to a consumer of its tenant's ``WS_URLCONF``.

    Needs ``scope["tenant"]`` from a routing middleware. A folder tenant's urlconf sees
    paths below its folder. A handshake without a tenant, a ``WS_URLCONF`` or a matching
    route is refused (HTTP 403 on the wire) and the reason logged.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routers: dict[str, tuple[list[Any], ASGIApp]] = {}

    def _router(self, ws_urlconf: str) -> tuple[list[Any], ASGIApp]:
        found = self._routers.get(ws_urlconf)
        if found is None:
            from channels.routing import URLRouter

            patterns = load_patterns(ws_urlconf)
            found = (patterns, URLRouter(patterns))
            with self._lock:
                self._routers[ws_urlconf] = found
        return found

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        tenant = scope.get("tenant")
        if tenant is None:
            reason = f"no tenant for host {host_of(scope)!r}"
            return await refuse(receive, send, reason, scope)
        ws_urlconf = ws_urlconf_for(tenant.schema_name, is_dynamic=tenant.is_dynamic)
        if ws_urlconf is None:
            reason = f"tenant {tenant.schema_name!r} has no WS_URLCONF (nor has 'default')"
            return await refuse(receive, send, reason, scope)
        patterns, router = self._router(ws_urlconf)
        path = path_info(scope)
        inner = dict(scope)
        folder = routed_folder(getattr(tenant, "routing", None))
        if folder and path.startswith(f"/{folder}/"):
            path = path[len(folder) + 1 :] or "/"
            inner["path_remaining"] = path
        if not matches(patterns, path):
            reason = f"no route for {path!r} in {ws_urlconf} (tenant {tenant.schema_name!r})"
            return await refuse(receive, send, reason, scope)
        with override(tenant):
            return await router(inner, receive, send)


__all__ = [
    "BaseRoutingMiddleware",
    "DomainRoutingMiddleware",
    "HeadersRoutingMiddleware",
    "TenantURLRouter",
]
