from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from pgschemas.core import Schema, ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import get_static_schemas

#: Dynamic tenants: schema name -> (domain, folder).
DYNAMIC = {
    "tenant1": ("tenant1.test.com", ""),
    "tenant2": ("tenant2.test.com", ""),
    "client1": ("test.com", "client1"),
    "client2": ("test.com", "client2"),
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Every schema is created and migrated once; tenant rows are made per test."""
    with django_db_blocker.unblock():
        schemas = get_static_schemas(include_public=False)
        schemas += [Schema(name, is_dynamic=True) for name in DYNAMIC]
        for schema in schemas:
            ddl.create_schema(schema.schema_name)
            migrate_schema(schema)
    yield
    # Server and executor threads keep connections of their own; end them so the test
    # database can be dropped.
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _empty_tenant_tables() -> None:
    from django.contrib.auth.models import User
    from django.contrib.sessions.models import Session

    from tests.tenant_app.models import Item

    for schema in [*get_static_schemas(include_public=False), *DYNAMIC]:
        target = schema if isinstance(schema, Schema) else Schema(schema, is_dynamic=True)
        with target:
            Item.objects.all().delete()
            Session.objects.all().delete()
            User.objects.all().delete()


#: Mark for tests needing committed rows. Tenant schemas hold auth tables whose foreign keys
#: point at public's content types, so the flush after each test must TRUNCATE ... CASCADE,
#: which Django does only when ``available_apps`` is given (here: every installed app).
committed = pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))


@pytest.fixture
def tenants(transactional_db: Any) -> Iterator[dict[str, Any]]:
    """Committed tenant and domain rows (other threads serve the websockets)."""
    from pgschemas.routing import cache
    from tests.shared_app.models import Domain, Tenant

    made = {}
    for name, (domain, folder) in DYNAMIC.items():
        tenant = Tenant.objects.create(schema_name=name)
        Domain.objects.create(tenant=tenant, domain=domain, folder=folder, is_primary=True)
        made[name] = tenant
    yield made
    _empty_tenant_tables()
    # The flush after this test truncates the rows without signals: forget cached routes.
    cache.invalidate()


def _redis_reason() -> str | None:
    url = urlsplit(settings.REDIS_URL)
    host, port = url.hostname or "127.0.0.1", url.port or 6379
    try:
        import channels_redis  # noqa: F401
    except ImportError:
        return "channels-redis is not installed (pip install channels-redis)"
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(64).startswith(b"+PONG"):
                return f"{host}:{port} did not answer PING like Redis"
    except OSError as exc:
        return f"no Redis answers at {host}:{port} ({exc}); set PGSCHEMAS_TEST_REDIS_URL"
    return None


@pytest.fixture(params=["memory", "redis"])
def channel_layer(request: Any, settings: Any) -> str:
    """Run a test on the in-memory layer and on channels-redis (skipped, saying why)."""
    if request.param == "redis":
        reason = _redis_reason()
        if reason:
            pytest.skip(reason)
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [settings.REDIS_URL],
                    # Shared Redis: a prefix of our own per test process.
                    "prefix": f"pgschemas-channels-tests-{os.getpid()}",
                },
            }
        }
    return str(request.param)
