"""In-process: channels' WebsocketCommunicator against the spec's ``application``."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.test import override_settings

from pgschemas.channels.routed import GONE
from pgschemas.channels.router import REFUSED
from pgschemas.core import Schema
from pgschemas.core.schema import get_static_schema
from tests.conftest import committed
from tests.routing import application
from tests.tenant_app.models import Item

pytestmark = committed

#: channels' default handshake timeout is 1 s: too short on a loaded 2-core CI machine.
CONNECT_TIMEOUT = 10


def communicator(path: str, host: str, cookie: str | None = None) -> WebsocketCommunicator:
    headers = [(b"host", host.encode())]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def exchange(path: str, host: str, message: dict[str, Any], cookie: str | None = None) -> Any:
    ws = communicator(path, host, cookie)
    connected, code = await ws.connect(timeout=CONNECT_TIMEOUT)
    assert connected, f"{host}{path} was refused ({code})"
    await ws.send_json_to(message)
    reply = await ws.receive_json_from(timeout=5)
    await ws.disconnect()
    return reply


async def refused(path: str, host: str) -> Any:
    ws = communicator(path, host)
    connected, code = await ws.connect(timeout=CONNECT_TIMEOUT)
    assert not connected
    return code


def names(schema_name: str) -> list[str]:
    with Schema(schema_name, is_dynamic=True):
        return sorted(Item.objects.values_list("name", flat=True))


@pytest.mark.parametrize("path", ["/ws/items/", "/ws/async/"])
def test_dynamic_tenants_by_domain_run_orm_in_their_schema(tenants: Any, path: str) -> None:
    one = async_to_sync(exchange)(path, "tenant1.test.com", {"add": "apple"})
    two = async_to_sync(exchange)(path, "tenant2.test.com:8000", {"add": "pear"})
    assert one["tenant"] == one["schema"] == "tenant1"
    assert two["tenant"] == two["schema"] == "tenant2"
    assert one["items"] == ["apple"]
    assert two["items"] == ["pear"]
    assert names("tenant1") == ["apple"]
    assert names("tenant2") == ["pear"]
    if path == "/ws/async/":
        assert one["loop_schema"] == "tenant1"  # active on the event loop too


def test_folder_tenants_share_a_host(tenants: Any) -> None:
    one = async_to_sync(exchange)("/client1/ws/items/", "test.com", {"add": "a"})
    two = async_to_sync(exchange)("/client2/ws/async/", "test.com", {"add": "b"})
    assert (one["tenant"], one["schema"], one["items"]) == ("client1", "client1", ["a"])
    assert (two["tenant"], two["schema"], two["items"]) == ("client2", "client2", ["b"])
    # The folder is part of the route: without it there is no tenant on test.com's /ws/.
    assert async_to_sync(refused)("/ws/items/", "test.com") == REFUSED


def test_static_tenant_uses_its_own_ws_urlconf(tenants: Any) -> None:
    reply = async_to_sync(exchange)("/ws/www/", "www.test.com", {})
    assert reply["consumer"] == "www"
    assert reply["tenant"] == reply["schema"] == "www"
    # default's routes are not www's routes.
    assert async_to_sync(refused)("/ws/items/", "www.test.com") == REFUSED


def test_static_tenant_without_ws_urlconf_uses_defaults(tenants: Any) -> None:
    by_domain = async_to_sync(exchange)("/ws/items/", "blog.test.com", {"add": "post"})
    by_folder = async_to_sync(exchange)("/blog/ws/async/", "test.com", {})
    assert by_domain["tenant"] == by_domain["schema"] == "blog"
    assert by_folder["tenant"] == by_folder["schema"] == "blog"
    assert by_folder["items"] == ["post"]
    with get_static_schema("blog"):
        assert list(Item.objects.values_list("name", flat=True)) == ["post"]
    assert async_to_sync(refused)("/ws/www/", "blog.test.com") == REFUSED


def test_unknown_host_unknown_path_and_disallowed_host_are_refused_cleanly(tenants: Any) -> None:
    assert async_to_sync(refused)("/ws/items/", "nobody.test.com") == REFUSED
    assert async_to_sync(refused)("/ws/nothing/", "tenant1.test.com") == REFUSED
    assert async_to_sync(refused)("/ws/items/", "tenant1.evil.com") == REFUSED  # ALLOWED_HOSTS


def test_without_any_ws_urlconf_the_handshake_is_refused(tenants: Any) -> None:
    from django.conf import settings

    tenants_setting = {key: dict(value) for key, value in settings.TENANTS.items()}
    del tenants_setting["default"]["WS_URLCONF"]
    with override_settings(TENANTS=tenants_setting):
        assert async_to_sync(refused)("/ws/items/", "tenant1.test.com") == REFUSED


def _login(schema_name: str, username: str) -> str:
    """A logged-in session in ``schema_name``; returns the cookie header value."""
    with Schema(schema_name, is_dynamic=True):
        user = User.objects.create_user(username)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return f"sessionid={session.session_key}"


def test_sessions_and_users_come_from_the_tenant(tenants: Any) -> None:
    alice = _login("tenant1", "alice")
    _login("tenant2", "bob")  # same user pk in another schema: must not be reachable
    assert async_to_sync(exchange)("/ws/items/", "tenant1.test.com", {}, alice)["user"] == "alice"
    assert async_to_sync(exchange)("/ws/async/", "tenant1.test.com", {}, alice)["user"] == "alice"
    # The same cookie sent to another tenant names no session there: anonymous.
    assert async_to_sync(exchange)("/ws/items/", "tenant2.test.com", {}, alice)["user"] == ""
    assert async_to_sync(exchange)("/ws/items/", "tenant1.test.com", {})["user"] == ""


def test_broadcasts_stay_in_their_tenant(tenants: Any, channel_layer: str) -> None:
    """tenant1 (two sockets) and client1 both use the group name "chat"."""

    async def scenario() -> dict[str, list[Any]]:
        sockets = {
            "tenant1-a": communicator("/ws/chat/", "tenant1.test.com"),
            "tenant1-b": communicator("/ws/chat/", "tenant1.test.com"),
            "client1": communicator("/client1/ws/chat/", "test.com"),
        }
        joined = {}
        for name, ws in sockets.items():
            assert (await ws.connect(timeout=CONNECT_TIMEOUT))[0]
            joined[name] = (await ws.receive_json_from(timeout=5))["joined"]
        assert joined == {
            "tenant1-a": "tenant1.chat",
            "tenant1-b": "tenant1.chat",
            "client1": "client1.chat",
        }
        await sockets["tenant1-a"].send_json_to({"text": "hello from tenant1"})
        await sockets["client1"].send_json_to({"text": "hello from client1"})
        received = {}
        for name, ws in sockets.items():
            received[name] = [await ws.receive_json_from(timeout=5)]
            assert await ws.receive_nothing(timeout=0.3), f"{name} got a second message"
            await ws.disconnect()
        return received

    received = async_to_sync(scenario)()
    tenant1 = {"text": "hello from tenant1", "tenant": "tenant1"}
    assert received == {
        "tenant1-a": [tenant1],
        "tenant1-b": [tenant1],
        "client1": [{"text": "hello from client1", "tenant": "client1"}],
    }


def test_http_goes_to_django_with_the_routing_middleware(tenants: Any) -> None:
    async def get(host: str, path: str) -> Any:
        http = HttpCommunicator(application, "GET", path, headers=[(b"host", host.encode())])
        return await http.get_response(timeout=5)

    response = async_to_sync(get)("tenant1.test.com", "/whoami/")
    assert response["status"] == 200
    assert b'"tenant": "tenant1"' in response["body"]
    assert b'"schema": "tenant1"' in response["body"]
    folder = async_to_sync(get)("test.com", "/client2/whoami/")
    assert b'"tenant": "client2"' in folder["body"]
    assert async_to_sync(get)("nobody.test.com", "/whoami/")["status"] == 404


def test_lifespan_is_acknowledged() -> None:
    async def run() -> list[Any]:
        import asyncio

        inbox: asyncio.Queue[Any] = asyncio.Queue()
        sent: list[Any] = []
        for message in ("lifespan.startup", "lifespan.shutdown"):
            inbox.put_nowait({"type": message})

        async def send(message: Any) -> None:
            sent.append(message["type"])

        await application({"type": "lifespan"}, inbox.get, send)
        return sent

    assert async_to_sync(run)() == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


@pytest.mark.parametrize("path", ["/ws/items/", "/ws/async/"])
def test_a_stale_route_ends_the_websocket_without_a_traceback(
    tenants: Any, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Another process deletes tenant1 (no signal reaches this one; its schema stays): the
    # consumer's first query is refused, the connection ends, the reconnect is refused.
    from django.db import connection

    from tests.shared_app.models import Domain, Tenant

    assert async_to_sync(exchange)(path, "tenant1.test.com", {})["schema"] == "tenant1"
    with connection.cursor() as cursor:
        for model in (Domain, Tenant):
            column = "tenant_id" if model is Domain else "id"
            cursor.execute(
                f'DELETE FROM "{model._meta.db_table}" WHERE "{column}" = %s',
                [tenants["tenant1"].pk],
            )

    async def stale() -> Any:
        ws = communicator(path, "tenant1.test.com")
        connected, _ = await ws.connect(timeout=CONNECT_TIMEOUT)
        assert connected  # the handshake needs no query: the route is still cached
        await ws.send_json_to({"add": "must not be written"})
        output = await ws.receive_output(timeout=5)
        await ws.wait()
        return output

    caplog.set_level("WARNING", logger="pgschemas.channels")
    output = async_to_sync(stale)()
    assert output == {"type": "websocket.close", "code": GONE}
    assert "changed in another process" in caplog.text
    assert names("tenant1") == []  # the kept schema was not written to
    assert async_to_sync(refused)(path, "tenant1.test.com") == REFUSED


def test_websockets_use_routing_s_route_table_and_its_cache(tenants: Any) -> None:
    # One cache for HTTP and websockets: the handshake's lookup is routing's own, counted
    # in its stats, and what it loaded answers later lookups from memory.
    from pgschemas.routing import cache, cache_stats
    from pgschemas.routing.routes import Route
    from pgschemas.routing.table import UNAVAILABLE, route_table

    route_table.invalidate(everywhere=False)
    cache.reset_counters()
    assert route_table.lookup("tenant1.test.com", "/ws/items/", allow_db=False) is UNAVAILABLE
    assert async_to_sync(exchange)("/ws/items/", "tenant1.test.com", {})["schema"] == "tenant1"
    warm = route_table.lookup("tenant1.test.com", "/ws/items/", allow_db=False)
    assert isinstance(warm, Route) and warm.schema_name == "tenant1"
    assert cache_stats().misses == 1
    hits = cache_stats().hits
    assert async_to_sync(exchange)("/ws/items/", "tenant1.test.com", {})["schema"] == "tenant1"
    assert (cache_stats().misses, cache_stats().hits > hits) == (1, True)
