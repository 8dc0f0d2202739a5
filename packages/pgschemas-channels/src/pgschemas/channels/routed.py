"""Running a websocket application in its tenant, and ending it cleanly when the tenant is gone.

A process may hold a stale route (another process deleted the tenant, moved its domain or
renamed its schema). The consumer's first query is then refused by the backend
(``SchemaNotFound`` / ``RouteChanged``: the statement does not run). For HTTP the routing
middleware answers 404 or 307; a websocket has no such answer once its consumer runs, so
the connection is closed with code :data:`GONE`, the stale routes dropped (the client's
reconnect is routed afresh) and one warning logged instead of a traceback.
"""

from __future__ import annotations

import contextlib
from typing import Any

from pgschemas.core.activation import override
from pgschemas.core.exceptions import SchemaNotFound
from pgschemas.routing.table import route_table

from .auth import ASGIApp
from .refusal import logger

#: Close code of a websocket whose tenant's route no longer holds ("not found").
GONE = 4404


async def run_in_tenant(
    tenant: Any, application: ASGIApp, scope: dict[str, Any], receive: Any, send: Any
) -> Any:
    """``application`` with ``tenant`` active; a refused stale route ends the connection."""
    try:
        with override(tenant):
            return await application(scope, receive, send)
    except SchemaNotFound as error:
        if not getattr(tenant, "is_dynamic", False) or error.schema_name != tenant.schema_name:
            raise
        route_table.invalidate(everywhere=False)
        logger.warning("Websocket %s closed: %s", scope.get("path"), error)
        # The server may have closed it already (client gone): nothing is left to end then.
        with contextlib.suppress(RuntimeError, OSError):
            await send({"type": "websocket.close", "code": GONE})
        return None
