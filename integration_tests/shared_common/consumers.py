"""A websocket echo every tenant serves (the demo's "live" part).

Each reply says which tenant the websocket was routed to (``scope["tenant"]``), which
schema was active while the consumer ran, and how many notes that schema holds: a round
trip that proves routing, activation and ORM access inside a consumer all agree.
"""

from __future__ import annotations

import json
from typing import Any

from channels.generic.websocket import WebsocketConsumer

from pgschemas.core import get_current_schema

from .models import Note


class EchoConsumer(WebsocketConsumer):
    def connect(self) -> None:
        self.accept()

    def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        tenant: Any = self.scope.get("tenant")
        self.send(
            text_data=json.dumps(
                {
                    "tenant": getattr(tenant, "schema_name", None),
                    "schema": get_current_schema().schema_name,
                    "notes": Note.objects.count(),
                    "echo": (text_data or "")[:200],
                }
            )
        )
