"""``DomainRoutingMiddleware`` / ``HeadersRoutingMiddleware`` + ``TenantURLRouter``, composed
with channels' own ``AuthMiddlewareStack`` as django-pgschemas 1.x documents it."""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from pgschemas.channels.router import REFUSED
from tests.composed_routing import domain_application, headers_application
from tests.conftest import committed
from tests.test_websockets import CONNECT_TIMEOUT, _login

pytestmark = committed


async def talk(application: Any, path: str, headers: list[tuple[bytes, bytes]]) -> Any:
    ws = WebsocketCommunicator(application, path, headers=headers)
    connected, code = await ws.connect(timeout=CONNECT_TIMEOUT)
    if not connected:
        return code
    await ws.send_json_to({"add": "x"})
    reply = await ws.receive_json_from(timeout=5)
    await ws.disconnect()
    return reply


def test_by_domain_and_folder_with_the_tenants_session(tenants: Any) -> None:
    alice = _login("tenant1", "alice")
    by_host = async_to_sync(talk)(
        domain_application,
        "/ws/items/",
        [(b"host", b"tenant1.test.com"), (b"cookie", alice.encode())],
    )
    assert (by_host["tenant"], by_host["schema"], by_host["user"]) == (
        "tenant1",
        "tenant1",
        "alice",
    )
    by_folder = async_to_sync(talk)(
        domain_application, "/client1/ws/async/", [(b"host", b"test.com")]
    )
    assert (by_folder["tenant"], by_folder["schema"]) == ("client1", "client1")
    www = async_to_sync(talk)(domain_application, "/ws/www/", [(b"host", b"www.test.com")])
    assert www["tenant"] == "www"


def test_by_header_default_name_static_key_and_dynamic_name(tenants: Any) -> None:
    dynamic = async_to_sync(talk)(headers_application, "/ws/items/", [(b"tenant", b"tenant2")])
    assert (dynamic["tenant"], dynamic["schema"]) == ("tenant2", "tenant2")
    static = async_to_sync(talk)(headers_application, "/ws/www/", [(b"tenant", b"www")])
    assert (static["tenant"], static["schema"]) == ("www", "www")


def test_no_tenant_or_no_route_is_refused(tenants: Any) -> None:
    assert async_to_sync(talk)(domain_application, "/ws/items/", [(b"host", b"x.test.com")]) == (
        REFUSED
    )
    assert async_to_sync(talk)(headers_application, "/ws/items/", [(b"tenant", b"nobody")]) == (
        REFUSED
    )
    assert async_to_sync(talk)(headers_application, "/ws/items/", []) == REFUSED
    assert async_to_sync(talk)(headers_application, "/ws/none/", [(b"tenant", b"tenant1")]) == (
        REFUSED
    )
