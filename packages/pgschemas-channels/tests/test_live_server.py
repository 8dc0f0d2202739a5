"""End to end: uvicorn on 127.0.0.1 (random free port) serving ``tests.routing.application``,
a real websocket client (``websockets``), committed tenants, the channel layer in memory and
on Redis. Skipped, saying why, when uvicorn or websockets is not installed."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from pgschemas.core import Schema
from tests.conftest import committed
from tests.tenant_app.models import Item

uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed (pip install uvicorn)")
ws_client = pytest.importorskip(
    "websockets.sync.client", reason="websockets is not installed (pip install websockets)"
)

pytestmark = committed


@pytest.fixture(scope="module")
def server_port() -> Iterator[int]:
    from tests.routing import application

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(application, lifespan="on", log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield sock.getsockname()[1]
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


def connect(port: int, host: str, path: str) -> Any:
    """A websocket to ``ws://<host><path>`` through 127.0.0.1:<port> (Host header = host)."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    return ws_client.connect(f"ws://{host}:{port}{path}", sock=raw, open_timeout=5)


def ask(port: int, host: str, path: str, message: dict[str, Any]) -> Any:
    with connect(port, host, path) as ws:
        ws.send(json.dumps(message))
        return json.loads(ws.recv(timeout=5))


def test_two_tenants_do_orm_work_over_real_websockets(tenants: Any, server_port: int) -> None:
    for path in ("/ws/items/", "/ws/async/"):
        one = ask(server_port, "tenant1.test.com", path, {"add": f"one{path}"})
        two = ask(server_port, "test.com", f"/client2{path}", {"add": f"two{path}"})
        assert (one["tenant"], one["schema"]) == ("tenant1", "tenant1")
        assert (two["tenant"], two["schema"]) == ("client2", "client2")
    with Schema("tenant1", is_dynamic=True):
        assert sorted(Item.objects.values_list("name", flat=True)) == [
            "one/ws/async/",
            "one/ws/items/",
        ]
    with Schema("client2", is_dynamic=True):
        assert sorted(Item.objects.values_list("name", flat=True)) == [
            "two/ws/async/",
            "two/ws/items/",
        ]


def test_same_group_name_in_two_tenants_over_real_websockets(
    tenants: Any, server_port: int, channel_layer: str
) -> None:
    with (
        connect(server_port, "tenant1.test.com", "/ws/chat/") as one,
        connect(server_port, "tenant2.test.com", "/ws/chat/") as two,
    ):
        assert json.loads(one.recv(timeout=5)) == {"joined": "tenant1.chat"}
        assert json.loads(two.recv(timeout=5)) == {"joined": "tenant2.chat"}
        one.send(json.dumps({"text": "from tenant1"}))
        two.send(json.dumps({"text": "from tenant2"}))
        assert json.loads(one.recv(timeout=5)) == {"text": "from tenant1", "tenant": "tenant1"}
        assert json.loads(two.recv(timeout=5)) == {"text": "from tenant2", "tenant": "tenant2"}
        for ws in (one, two):
            with pytest.raises(TimeoutError):
                ws.recv(timeout=0.5)


def test_unknown_host_is_refused_at_the_handshake(tenants: Any, server_port: int) -> None:
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as refused:
        connect(server_port, "nobody.test.com", "/ws/items/")
    assert refused.value.response.status_code == 403
    # The server is fine afterwards.
    assert ask(server_port, "tenant1.test.com", "/ws/items/", {})["tenant"] == "tenant1"


def test_http_through_the_same_server_is_routed_by_django(tenants: Any, server_port: int) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server_port}/client1/whoami/", headers={"Host": "test.com"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        body = json.loads(response.read())
    assert body == {"tenant": "client1", "schema": "client1", "user": ""}
