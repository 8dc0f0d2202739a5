"""Consumers reporting what they see: tenant, active schema, user, and tenant rows."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, JsonWebsocketConsumer

from pgschemas.channels import tenant_group_name
from pgschemas.core import get_current_schema
from tests.tenant_app.models import Item


def _report(scope: dict[str, Any]) -> dict[str, Any]:
    return {
        "tenant": scope["tenant"].schema_name,
        "schema": get_current_schema().schema_name,
        "user": scope["user"].get_username() if "user" in scope else None,
        "items": sorted(Item.objects.values_list("name", flat=True)),
    }


class SyncItemsConsumer(JsonWebsocketConsumer):
    """Sync consumer: handlers run in a worker thread."""

    def connect(self) -> None:
        self.accept()

    def receive_json(self, content: Any, **kwargs: Any) -> None:
        if "add" in content:
            Item.objects.create(name=content["add"])
        self.send_json({"consumer": "sync", **_report(self.scope)})


class AsyncItemsConsumer(AsyncJsonWebsocketConsumer):
    """Async consumer: ORM through database_sync_to_async."""

    async def connect(self) -> None:
        await self.accept()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if "add" in content:
            await database_sync_to_async(Item.objects.create)(name=content["add"])
        report = await database_sync_to_async(_report)(self.scope)
        await self.send_json(
            {"consumer": "async", "loop_schema": get_current_schema().schema_name, **report}
        )


class ChatConsumer(AsyncJsonWebsocketConsumer):
    """Joins the tenant's "chat" group; whatever it receives is broadcast to the group."""

    async def connect(self) -> None:
        self.group = tenant_group_name(self.scope, "chat")
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json({"joined": self.group})

    async def disconnect(self, code: int) -> None:
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.channel_layer.group_send(
            self.group, {"type": "chat.message", "text": content["text"]}
        )

    async def chat_message(self, event: dict[str, Any]) -> None:
        await self.send_json({"text": event["text"], "tenant": self.scope["tenant"].schema_name})


class WwwConsumer(JsonWebsocketConsumer):
    def connect(self) -> None:
        self.accept()
        self.send_json({"consumer": "www", **_report(self.scope)})
