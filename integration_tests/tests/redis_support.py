"""The real Redis the cache and channels tests use when one answers."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

#: Shared with other users: tests use key prefixes of their own and delete only those.
REDIS_URL = os.environ.get("PGSCHEMAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_unavailable(*modules: str) -> str | None:
    """Why a Redis run cannot happen (a module missing, no PONG), or None when it can."""
    for module in ("redis", *modules):
        try:
            __import__(module)
        except ImportError:
            return f"the {module} package is not installed (pip install {module.replace('_', '-')})"
    url = urlsplit(REDIS_URL)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(64).startswith(b"+PONG"):
                return f"{host}:{port} did not answer PING like Redis"
    except OSError as exc:
        return f"no Redis answers at {host}:{port} ({exc}); set PGSCHEMAS_TEST_REDIS_URL"
    return None
