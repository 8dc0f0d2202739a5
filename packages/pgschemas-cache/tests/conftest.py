from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command


def redis_unreachable_reason() -> str | None:
    """Why the Redis tests cannot run here, or None when a Redis server answers PING."""
    url = urlsplit(settings.REDIS_URL)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            reply = sock.recv(64)
    except OSError as exc:
        return f"no Redis answers at {host}:{port} ({exc}); set PGSCHEMAS_TEST_REDIS_URL"
    if not reply.startswith(b"+PONG"):
        return f"{host}:{port} did not answer PING like Redis ({reply!r})"
    return None


@pytest.fixture(scope="session")
def redis_client() -> Any:
    """A redis-py client on the test Redis; skips (saying why) without redis-py or a server."""
    redis = pytest.importorskip(
        "redis", reason="redis-py is not installed (pip install redis) for Django's RedisCache"
    )
    reason = redis_unreachable_reason()
    if reason:
        pytest.skip(reason)
    return redis.Redis.from_url(settings.REDIS_URL)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """The DatabaseCache table, in public (see tests/routers.py), and the tenants' (empty)
    schemas: the backend refuses statements in a schema that does not exist."""
    from pgschemas.core import ddl
    from pgschemas.core.schema import get_static_schemas

    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)
        names = [schema.schema_name for schema in get_static_schemas(include_public=False)]
        for name in [*names, "customer1"]:  # customer1: the dynamic tenant of test_keys
            if not ddl.schema_exists(name):
                ddl.create_schema(name)


@pytest.fixture(params=["default", "files", "db", "redis"])
def cache(request: Any) -> Iterator[Any]:
    """Each backend configured with ``make_key``, emptied after the test."""
    client = request.getfixturevalue("redis_client") if request.param == "redis" else None
    backend = caches[request.param]
    yield backend
    if client is not None:
        # Never flush a shared Redis: drop only this run's keys.
        for key in client.scan_iter(match=f"*:{settings.RUN_PREFIX}:*"):
            client.delete(key)
    else:
        backend.clear()
