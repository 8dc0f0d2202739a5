"""Hostile Host headers against real servers: uvicorn (ASGI) and gunicorn (WSGI).

Each server runs as a subprocess on a free loopback port, serving ``tests.server_app``
with ``tests.server_settings`` (every host allowed, Django's warnings and errors on
stderr) on this worker's test database. Raw HTTP requests go through a socket, so the
Host header arrives exactly as written. Every hostile host must be answered 400 (no
domain name can be like this) or 404 (a well-formed name no tenant lives on), and the
server's stderr must hold no traceback. Skipped, saying why, when a server is missing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

# The test database must exist (pytest-django sets up only the databases tests ask for);
# the servers read only what the session setup committed (static tenants' schemas).
pytestmark = pytest.mark.django_db

PACKAGE_DIR = Path(__file__).resolve().parent.parent
HUGE = "a" * 10_000 + ".test.com"

#: (Host header as sent, expected status, why)
CASES: list[tuple[bytes, int, str]] = [
    (b"test.com", 200, "the static tenant www"),
    (b"test.com.", 200, "a trailing dot is the same host (fully qualified)"),
    (b"TEST.com.:8000", 200, "case and port are ignored"),
    (b"xn--bcher-kva.test.com", 404, "punycode is an ordinary, unknown host"),
    (b"nobody.test.com", 404, "unknown host"),
    (HUGE.encode(), 400, "longer than any DNS name"),
    ("bücher.test.com".encode(), 400, "non-ASCII (UTF-8 bytes)"),
    ("bücher.test.com".encode("latin-1"), 400, "non-ASCII (Latin-1 bytes)"),
    (b"test.com:abc", 400, "port is not a number"),
    (b"test.com:99999", 400, "port above 65535"),
    (b":99999", 400, "no domain"),
    (b"*", 400, "not a host"),
    (b"test.com..", 400, "empty label"),
    (b"a.." + b"b" * 64 + b".test.com", 400, "label over 63 characters"),
    (b"", 400, "empty Host"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def http_get(port: int, host: bytes, path: str = "/ping/") -> tuple[int, bytes]:
    """Send one raw HTTP/1.1 GET; (status, body)."""
    request = b"GET " + path.encode() + b" HTTP/1.1\r\nHost: " + host
    request += b"\r\nConnection: close\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return int(head.split(b"\r\n", 1)[0].split()[1]), body


def dechunk(body: bytes) -> bytes:
    """The payload of a ``Transfer-Encoding: chunked`` body."""
    payload = b""
    while True:
        size_line, _, body = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return payload
        payload, body = payload + body[:size], body[size + 2 :]


def start_server(command: list[str], stderr_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "PGSCHEMAS_ROUTING_SERVER_DB": str(connection.settings_dict["NAME"]),
        "PYTHONPATH": str(PACKAGE_DIR),
    }
    argv = [arg.replace("{port}", str(port)) for arg in command]
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            argv, cwd=PACKAGE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"{argv[2]} exited at start:\n{stderr_path.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"{argv[2]} did not listen on 127.0.0.1:{port} within 60 s")
            time.sleep(0.1)


@contextmanager
def running_server(command: list[str], stderr_path: Path) -> Iterator[int]:
    """A server started with :func:`start_server` (its port), stopped after the block."""
    process, port = start_server(command, stderr_path)
    try:
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SERVERS = {
    "uvicorn": [
        sys.executable,
        "-m",
        "uvicorn",
        "tests.server_app:asgi_application",
        "--host=127.0.0.1",
        "--port={port}",
        "--lifespan=off",
        "--log-level=warning",
    ],
    "gunicorn": [
        sys.executable,
        "-m",
        "gunicorn",
        "tests.server_app:wsgi_application",
        "--bind=127.0.0.1:{port}",
        "--workers=1",
        # gunicorn answers 431 itself for a header field over 8190 bytes; let the huge
        # host through so that it reaches (and tests) the routing middleware.
        "--limit-request-field_size=32768",
        "--log-level=warning",
    ],
}


@pytest.fixture(params=sorted(SERVERS))
def server(request: Any, django_db_setup: Any, tmp_path: Path) -> Iterator[tuple[int, Path]]:
    name = request.param
    try:
        __import__(name)
    except ImportError:
        print(f"\n[skip] {name} is not installed (pip install {name})")
        pytest.skip(f"{name} is not installed (pip install {name})")
    stderr_path = tmp_path / f"{name}.stderr"
    with running_server(SERVERS[name], stderr_path) as port:
        yield port, stderr_path


def test_hostile_hosts_get_400_or_404_and_no_traceback(server: tuple[int, Path]) -> None:
    port, stderr_path = server
    seen = {}
    for host, expected, why in CASES:
        status, body = http_get(port, host)
        seen[host[:40]] = status
        assert status == expected, f"Host {host[:40]!r} ({why}): {status}, expected {expected}"
        if status == 200:
            assert body == b"www"
    # Still serving after all that.
    assert http_get(port, b"www.test.com") == (200, b"www")
    log = stderr_path.read_text(errors="replace")
    assert "Traceback" not in log, log
    assert "Internal Server Error" not in log, log
    print(f"\n[hosts] {seen}")
