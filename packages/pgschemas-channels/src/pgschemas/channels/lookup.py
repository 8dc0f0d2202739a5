"""Which tenant a websocket handshake is for.

The host (and the first path segment, for folder tenants) is looked up with
``pgschemas.routing``'s route table (:mod:`pgschemas.routing.table`), so HTTP requests and websockets agree
on every tenant and share one warm cache; nothing here queries the database itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host

from channels.db import database_sync_to_async
from pgschemas.core.domains import normalize_host
from pgschemas.routing.routes import Route
from pgschemas.routing.table import UNAVAILABLE, route_table


def header(scope: dict[str, Any], name: bytes) -> str | None:
    """The first value of a handshake header (names are lowercase in ASGI scopes)."""
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _allowed_hosts() -> list[str]:
    allowed: list[str] = list(settings.ALLOWED_HOSTS)
    if settings.DEBUG and not allowed:
        # What Django's HttpRequest.get_host() accepts in the same situation.
        allowed = [".localhost", "127.0.0.1", "[::1]"]
    return allowed


def host_of(scope: dict[str, Any]) -> str | None:
    """The handshake's host, lowercased and without port; None when absent or not allowed.

    ``ALLOWED_HOSTS`` applies exactly as for HTTP requests.
    """
    raw = header(scope, b"host")
    if raw is None:
        server = scope.get("server")
        if not server:
            return None
        raw = str(server[0])
    domain, _port = split_domain_port(raw)
    if not domain or not validate_host(domain, _allowed_hosts()):
        return None
    # Compared like an HTTP request's host (core.domains), so both reach the same tenant.
    return normalize_host(domain)


def path_info(scope: dict[str, Any]) -> str:
    """The path below ``root_path`` (Django's ``request.path_info``)."""
    path: str = scope.get("path", "/") or "/"
    root = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :] or "/"
    return path


async def route_for_scope(scope: dict[str, Any]) -> Route | None:
    """The routing ``Route`` for a websocket scope, or None when no tenant matches.

    Answers from routing's cache on the event loop when it can; hops to a thread (closing
    stale connections like every ``database_sync_to_async`` call) only on a cold lookup.
    """
    host = host_of(scope)
    if host is None:
        return None
    path = path_info(scope)
    route = route_table.lookup(host, path, allow_db=False)
    if route is UNAVAILABLE:
        resolved: Route | None = await database_sync_to_async(route_table.resolve)(host, path)
        return resolved
    return route
