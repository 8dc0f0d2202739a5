"""Drive a real ASGI application with asgiref's ApplicationCommunicator."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from asgiref.testing import ApplicationCommunicator


@dataclass
class AsgiResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        import json

        return json.loads(self.body)


async def asgi_get(
    app: Any, host: str, path: str, headers: dict[str, str] | None = None, query: str = ""
) -> AsgiResponse:
    raw_headers = [(b"host", host.encode())]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }
    communicator = ApplicationCommunicator(app, scope)
    await communicator.send_input({"type": "http.request", "body": b"", "more_body": False})
    start = await communicator.receive_output(timeout=10)
    body = b""
    while True:
        message = await communicator.receive_output(timeout=10)
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    await communicator.wait(timeout=10)
    headers_out = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
    return AsgiResponse(start["status"], headers_out, body)
