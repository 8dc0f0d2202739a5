"""Refusing a websocket handshake: a close before accept (HTTP 403 on the wire), logged."""

from __future__ import annotations

import logging
from typing import Any

logger = logging.getLogger("pgschemas.channels")

#: Close code sent when a handshake is refused (the client sees HTTP 403).
REFUSED = 4403


async def refuse(receive: Any, send: Any, reason: str, scope: dict[str, Any]) -> None:
    """Answer the handshake with a close instead of raising; log why."""
    logger.info("Websocket %s refused: %s", scope.get("path"), reason)
    message = await receive()
    if message["type"] == "websocket.connect":
        await send({"type": "websocket.close", "code": REFUSED})
