"""``TenantProtocolRouter``: the ASGI application of a tenant-aware channels project.

::

    # routing.py
    application = TenantProtocolRouter()

- ``http`` goes to Django's ASGI handler, where the routing middleware in ``MIDDLEWARE``
  picks the tenant as for any request;
- ``websocket`` is routed here: the host (and first path segment, for folder tenants)
  names the tenant, exactly as for HTTP; the tenant's ``WS_URLCONF`` (or ``default``'s)
  picks the consumer; ``scope["tenant"]`` is set and the tenant's schema is active for the
  whole connection, sync handlers and ``database_sync_to_async`` calls included;
- ``lifespan`` is acknowledged, so servers that probe for it (uvicorn) stay quiet.

A handshake that matches no tenant, no websocket urlconf or no route is refused before it
is accepted (the client sees HTTP 403), and the reason is logged.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.signals import setting_changed

from .auth import ASGIApp, TenantAuthMiddlewareStack
from .lookup import host_of, path_info, route_for_scope
from .refusal import REFUSED, logger, refuse
from .routed import run_in_tenant
from .urlconf import load_patterns, matches, ws_urlconf_for

Middleware = Callable[[ASGIApp], ASGIApp]


def default_middleware(inner: ASGIApp) -> ASGIApp:
    """Tenant-aware cookies, session and user when auth and sessions are installed."""
    if apps.is_installed("django.contrib.auth") and apps.is_installed("django.contrib.sessions"):
        return TenantAuthMiddlewareStack(inner)
    return inner


class TenantProtocolRouter:
    """Route ASGI connections by protocol, and websockets by tenant.

    ``http``: the application for HTTP (default: Django's ``get_asgi_application()``).
    ``middleware``: wraps each websocket urlconf's router (default: tenant-aware
    ``AuthMiddlewareStack`` when auth and sessions are installed); it runs inside the
    tenant, with ``scope["tenant"]`` set. Pass ``middleware=lambda app: app`` for none, or
    e.g. ``lambda app: AllowedHostsOriginValidator(TenantAuthMiddlewareStack(app))``.
    """

    def __init__(self, http: ASGIApp | None = None, middleware: Middleware | None = None) -> None:
        self._http = http
        self._middleware = middleware or default_middleware
        self._lock = threading.Lock()
        self._routers: dict[str, tuple[list[Any], ASGIApp]] = {}
        setting_changed.connect(self._forget, weak=True)

    def _forget(self, *, setting: str, **kwargs: Any) -> None:
        if setting in ("TENANTS", "INSTALLED_APPS"):
            self._routers = {}

    @property
    def http(self) -> ASGIApp:
        if self._http is None:
            from django.core.asgi import get_asgi_application

            with self._lock:
                if self._http is None:
                    self._http = get_asgi_application()
        return self._http

    def websocket_application(self, ws_urlconf: str) -> tuple[list[Any], ASGIApp]:
        """(urlpatterns, wrapped URLRouter) for a ``WS_URLCONF``, built once."""
        found = self._routers.get(ws_urlconf)
        if found is None:
            from channels.routing import URLRouter

            patterns = load_patterns(ws_urlconf)
            found = (patterns, self._middleware(URLRouter(patterns)))
            self._routers[ws_urlconf] = found
        return found

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        kind = scope["type"]
        if kind == "http":
            return await self.http(scope, receive, send)
        if kind == "websocket":
            return await self.websocket(scope, receive, send)
        if kind == "lifespan":
            return await self.lifespan(scope, receive, send)
        raise ValueError(
            f"TenantProtocolRouter cannot route ASGI scope type {kind!r} "
            "(it handles http, websocket and lifespan)."
        )

    async def websocket(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        route = await route_for_scope(scope)
        if route is None:
            return await self.refuse(receive, send, f"no tenant for host {host_of(scope)!r}", scope)
        ws_urlconf = ws_urlconf_for(route.schema_name, is_dynamic=route.is_dynamic)
        if ws_urlconf is None:
            reason = f"tenant {route.schema_name!r} has no WS_URLCONF (nor has 'default')"
            return await self.refuse(receive, send, reason, scope)
        patterns, application = self.websocket_application(ws_urlconf)
        path = path_info(scope)
        inner = dict(scope)
        if route.folder:
            # "/client1/ws/chat/" -> "/ws/chat/": the tenant's urlconf never sees its folder.
            path = path[len(route.folder) + 1 :] or "/"
            inner["path_remaining"] = path
        if not matches(patterns, path):
            reason = f"no route for {path!r} in {ws_urlconf} (tenant {route.schema_name!r})"
            return await self.refuse(receive, send, reason, scope)
        tenant = route.tenant()
        inner["tenant"] = tenant
        return await run_in_tenant(tenant, application, inner, receive, send)

    async def refuse(self, receive: Any, send: Any, reason: str, scope: dict[str, Any]) -> None:
        """Answer the handshake with a close (HTTP 403 on the wire) instead of raising."""
        await refuse(receive, send, reason, scope)

    async def lifespan(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return


__all__ = ["REFUSED", "TenantProtocolRouter", "logger"]
