"""Websocket consumers every tenant serves: an echo (the demo's "live" part) and a chat.

The echo's reply says which tenant the websocket was routed to (``scope["tenant"]``), which
schema was active while the consumer ran, and how many notes that schema holds: a round
trip that proves routing, activation and ORM access inside a consumer all agree.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, WebsocketConsumer

from pgschemas.channels import tenant_group_name
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


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """A chat room per tenant: every socket of a tenant joins the group ``"chat"``.

    The group name goes through :func:`tenant_group_name`, so ``"chat"`` is a different
    group in every tenant and a broadcast never reaches another tenant's sockets. Each
    message is also stored as a ``Note`` (in the tenant's schema, the consumer's schema).
    """

    group = ""

    async def connect(self) -> None:
        self.group = tenant_group_name(self.scope, "chat")
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        text = str(content.get("text", ""))[:200]
        note_id, schema_name = await database_sync_to_async(self._store)(text)
        await self.channel_layer.group_send(
            self.group,
            {"type": "chat.message", "text": text, "note": note_id, "schema": schema_name},
        )

    def _store(self, text: str) -> tuple[int, str]:
        note = Note.objects.create(text=text)
        return note.pk, get_current_schema().schema_name

    async def chat_message(self, event: dict[str, Any]) -> None:
        tenant: Any = self.scope["tenant"]
        await self.send_json(
            {
                "tenant": tenant.schema_name,
                "group": self.group,
                "schema": event["schema"],
                "note": event["note"],
                "text": event["text"],
            }
        )
