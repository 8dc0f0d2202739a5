"""The spec page's "Channels (websockets)" section in the sandbox, set up as written.

``sandbox/routing.py`` is the spec's ``application = TenantProtocolRouter()`` (imported
from ``django_pgschemas.contrib.channels.router``) and ``ASGI_APPLICATION`` points at it;
``TENANTS["default"]["WS_URLCONF"]`` routes the websockets of dynamic tenants and of the
static ones, which have none of their own. Everything runs in-process with channels'
communicators against that application: static tenants by domain, dynamic tenants by
domain (``shared_public.Domain``) and by folder.

The consumers run their ORM work on the test thread's connection outside any test
transaction, so the dynamic tenants here are committed (created once for the module,
dropped at its end) and the notes written in static schemas are deleted after each test.
Group broadcasts run on the sandbox's in-memory layer and on channels-redis against a real
Redis (``PGSCHEMAS_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/0``), that run
skipped with the reason printed when nothing answers.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.conf import settings
from django.test import override_settings
from django.utils.module_loading import import_string

from pgschemas.channels import TenantProtocolRouter
from pgschemas.core import Schema
from pgschemas.core.schema import get_static_schema
from tests.redis_support import REDIS_URL, redis_unavailable

#: Dynamic tenants of this module: schema name -> (domain, folder).
DYNAMIC = {"ws_acme": ("ws-acme.localhost", ""), "ws_globex": ("ws-tenants.localhost", "globex")}
#: Where each tenant's websockets are: (host, path prefix).
WHERE = {
    "www": ("localhost", ""),
    "blog": ("blog.localhost:8000", ""),
    "ws_acme": ("ws-acme.localhost", ""),
    "ws_globex": ("ws-tenants.localhost", "/globex"),
}
#: Every note written by these tests starts with this, so cleanup touches nothing else.
MARK = "channels-sandbox:"


def application() -> Any:
    return import_string(settings.ASGI_APPLICATION)


def schema_of(name: str) -> Schema:
    return Schema(name, is_dynamic=True) if name in DYNAMIC else get_static_schema(name)


def notes(name: str) -> list[str]:
    from shared_common.models import Note

    with schema_of(name):
        return sorted(Note.objects.filter(text__startswith=MARK).values_list("text", flat=True))


def socket(name: str, route: str) -> WebsocketCommunicator:
    host, prefix = WHERE[name]
    return WebsocketCommunicator(
        application(), f"{prefix}{route}", headers=[(b"host", host.encode())]
    )


@pytest.fixture(scope="module")
def dynamic(request: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Committed dynamic tenants with their domains (routing reads shared_public.Domain)."""
    if not any(item.get_closest_marker("django_db") for item in request.session.items):
        pytest.fail(
            "pytest-django creates the test database only for a run that has a test marked "
            "django_db: select one too (e.g. -k 'spec_router or broadcasts')"
        )
    request.getfixturevalue("django_db_setup")
    from shared_public.models import Domain, Tenant

    made: dict[str, Any] = {}
    with django_db_blocker.unblock():
        Tenant.objects.filter(schema_name__in=DYNAMIC).delete()  # an interrupted earlier run
        try:
            for name, (domain, folder) in DYNAMIC.items():
                made[name] = Tenant.objects.create(schema_name=name)
                Domain.objects.create(tenant=made[name], domain=domain, folder=folder)
            yield made
        finally:
            for tenant in made.values():
                tenant.delete(force_drop=True)


@pytest.fixture
def live_db(dynamic: dict[str, Any], django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Database access outside a test transaction; the notes written are deleted after."""
    from shared_common.models import Note

    with django_db_blocker.unblock():
        try:
            yield dynamic
        finally:
            for name in WHERE:
                with schema_of(name):
                    Note.objects.filter(text__startswith=MARK).delete()
            from django.db import connections

            connections.close_all()


@pytest.fixture(params=["memory", "redis"])
def channel_layer(request: Any) -> Iterator[str]:
    """The sandbox's in-memory layer, then channels-redis on a real Redis."""
    if request.param == "memory":
        assert settings.CHANNEL_LAYERS["default"]["BACKEND"].endswith("InMemoryChannelLayer")
        yield "memory"
        return
    reason = redis_unavailable("channels_redis")
    if reason:
        print(f"skipping the channels-redis run: {reason}")
        pytest.skip(reason)
    layers = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            # Shared Redis: a prefix of this run's own, flushed (only it) afterwards.
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": f"pgschemas-sandbox-{os.getpid()}-{uuid.uuid4().hex[:8]}",
            },
        }
    }
    with override_settings(CHANNEL_LAYERS=layers):
        yield "redis"


@pytest.mark.django_db  # (also makes pytest-django create the test database for this module)
def test_the_sandbox_application_is_the_spec_router() -> None:
    assert settings.ASGI_APPLICATION == "sandbox.routing.application"
    assert isinstance(application(), TenantProtocolRouter)
    assert settings.TENANTS["default"]["WS_URLCONF"] == "shared_common.ws_urls"
    assert "WS_URLCONF" not in settings.TENANTS["www"]  # static: falls back to default's


def test_echo_reaches_each_tenant_with_its_schema_active(live_db: dict[str, Any]) -> None:
    """A sync consumer: scope["tenant"], the active schema and its ORM reads agree."""
    from shared_common.models import Note

    with schema_of("ws_acme"):
        Note.objects.create(text=f"{MARK} one")
        Note.objects.create(text=f"{MARK} two")
    with schema_of("blog"):
        Note.objects.create(text=f"{MARK} blog")

    async def echo(name: str) -> Any:
        ws = socket(name, "/ws/echo/")
        connected, code = await ws.connect()
        assert connected, f"{name}: refused ({code})"
        await ws.send_to(text_data=f"hi {name}")
        reply = await ws.receive_json_from(timeout=5)
        await ws.disconnect()
        return reply

    replies = {name: async_to_sync(echo)(name) for name in WHERE}
    counts = {}
    for name in WHERE:
        with schema_of(name):
            counts[name] = Note.objects.count()
    assert replies == {
        name: {"tenant": name, "schema": name, "notes": counts[name], "echo": f"hi {name}"}
        for name in WHERE
    }
    assert counts["ws_acme"] == 2 and counts["ws_globex"] == 0


def test_broadcasts_to_the_same_group_name_stay_in_their_tenant(
    live_db: dict[str, Any], channel_layer: str
) -> None:
    """Every socket joins "chat"; each tenant hears its own messages and nothing else.

    The chat consumer is async and stores each message as a Note through
    ``database_sync_to_async``: the note lands in the sender's schema.
    """

    async def scenario() -> dict[str, list[Any]]:
        sockets = {
            "acme-1": socket("ws_acme", "/ws/chat/"),
            "acme-2": socket("ws_acme", "/ws/chat/"),
            "globex": socket("ws_globex", "/ws/chat/"),
            "www": socket("www", "/ws/chat/"),
            "blog": socket("blog", "/ws/chat/"),
        }
        try:
            for label, ws in sockets.items():
                connected, code = await ws.connect()
                assert connected, f"{label}: refused ({code})"
            await sockets["acme-1"].send_json_to({"text": f"{MARK} from acme"})
            await sockets["globex"].send_json_to({"text": f"{MARK} from globex"})
            await sockets["www"].send_json_to({"text": f"{MARK} from www"})

            async def drain(ws: WebsocketCommunicator) -> list[Any]:
                messages = []
                while not await ws.receive_nothing(timeout=0.3):
                    messages.append(await ws.receive_json_from(timeout=5))
                return messages

            drained = await asyncio.gather(*(drain(ws) for ws in sockets.values()))
            return dict(zip(sockets, drained, strict=True))
        finally:
            for ws in sockets.values():
                await ws.disconnect()
            layer = get_channel_layer()
            if channel_layer == "redis":
                await layer.flush()  # only this run's prefix
                await layer.close_pools()

    received = async_to_sync(scenario)()

    def only(tenant: str, text: str) -> list[dict[str, Any]]:
        return [
            {
                "tenant": tenant,
                "group": f"{tenant}.chat",
                "schema": tenant,
                "text": f"{MARK} {text}",
            }
        ]

    seen = {
        label: [{k: v for k, v in m.items() if k != "note"} for m in messages]
        for label, messages in received.items()
    }
    assert seen == {
        "acme-1": only("ws_acme", "from acme"),
        "acme-2": only("ws_acme", "from acme"),
        "globex": only("ws_globex", "from globex"),
        "www": only("www", "from www"),
        "blog": [],
    }
    assert {name: notes(name) for name in WHERE} == {
        "www": [f"{MARK} from www"],
        "blog": [],
        "ws_acme": [f"{MARK} from acme"],
        "ws_globex": [f"{MARK} from globex"],
    }


def test_http_goes_through_django_and_unknown_hosts_are_refused(live_db: dict[str, Any]) -> None:
    """The same application serves HTTP (routing middleware picks the tenant)."""

    async def whoami(host: str, path: str) -> tuple[int, str]:
        http = HttpCommunicator(application(), "GET", path, headers=[(b"host", host.encode())])
        response = await http.get_response(timeout=5)
        # Let Django finish the request (request_finished closes the view thread's
        # database connection) before this event loop ends.
        await http.wait(timeout=5)
        return response["status"], response["body"].decode()

    async def refused(host: str) -> bool:
        ws = WebsocketCommunicator(application(), "/ws/echo/", headers=[(b"host", host.encode())])
        connected, _ = await ws.connect()
        return not connected

    assert async_to_sync(whoami)("ws-tenants.localhost", "/globex/whoami/") == (
        200,
        "tenant=ws_globex schema=ws_globex db=ws_globex",
    )
    assert async_to_sync(whoami)("localhost", "/whoami/") == (200, "tenant=www schema=www db=www")
    assert async_to_sync(refused)("nobody.localhost")
    assert async_to_sync(refused)("ws-tenants.localhost")  # the folder names the tenant
