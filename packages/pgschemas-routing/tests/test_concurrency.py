"""The real ASGI application, and concurrent requests (threads and asyncio tasks) to
different tenants: each sees only its own schema, urlconf and folder."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.asgi import get_asgi_application
from django.test import Client, override_settings

from pgschemas.core.activation import get_current_schema
from tests.asgi import asgi_get
from tests.conftest import close_thread_connections


@pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators")
@pytest.mark.django_db(transaction=True)
def test_asgi_routes_static_dynamic_folder_and_404(committed_tenant: Any, asgi_app: Any) -> None:
    tenant = committed_tenant(domains=("shared.test.com/a1",), items=("asgi-item",))

    async def scenario() -> None:
        response = await asgi_get(asgi_app, "www.test.com", "/whoami/")
        assert (response.status, response.json()["schema"]) == (200, "www")
        response = await asgi_get(asgi_app, "shared.test.com", "/a1/async-items/")
        assert response.json() == {
            "schema": tenant.schema_name,
            "schema_after": tenant.schema_name,
            "tenant": tenant.schema_name,
            "items": ["asgi-item"],
            "reverse": "/a1/whoami/",
        }
        response = await asgi_get(asgi_app, "shared.test.com", "/a1/items/")
        assert response.json()["items"] == ["asgi-item"]
        response = await asgi_get(asgi_app, "shared.test.com", "/a1/stream/")
        assert (
            response.body.decode().splitlines()
            == [f"{tenant.schema_name}|/a1/whoami/|asgi-item"] * 3
        )
        response = await asgi_get(asgi_app, "shared.test.com", "/a1/nothing/")
        assert response.status == 404
        assert response.body.startswith(f"tenant-404:{tenant.schema_name}".encode())
        response = await asgi_get(asgi_app, "nobody.test.com", "/whoami/")
        assert response.status == 404
        response = await asgi_get(asgi_app, "old.example.org", "/whoami/")
        assert response.status == 400

    async_to_sync(scenario)()
    assert get_current_schema().schema_name == "public"


@pytest.mark.django_db(transaction=True)
@override_settings(
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "pgschemas.routing.middleware.HeadersRoutingMiddleware",
        "pgschemas.routing.middleware.SessionRoutingMiddleware",
        "pgschemas.routing.middleware.DomainRoutingMiddleware",
    ]
)
def test_asgi_stacked_middlewares(committed_tenant: Any) -> None:
    tenant = committed_tenant(domains=("t1.test.com",), items=("i",))
    asgi_app = get_asgi_application()  # after override_settings: loads the stacked MIDDLEWARE

    async def scenario() -> None:
        response = await asgi_get(asgi_app, "t1.test.com", "/whoami/", {"tenant": "blog"})
        assert (response.json()["schema"], response.json()["urlconf"]) == ("blog", "blog")
        response = await asgi_get(asgi_app, "t1.test.com", "/async-items/")
        assert response.json()["schema"] == tenant.schema_name
        response = await asgi_get(
            asgi_app, "nobody.test.com", "/items/", {"tenant": str(tenant.pk)}
        )
        assert response.json()["items"] == ["i"]

    async_to_sync(scenario)()


def _world(committed_tenant: Any) -> list[tuple[str, str, str, str]]:
    """8 tenants: 4 by domain, 4 by folder on one host; each with its own item."""
    targets = []
    for i in range(8):
        if i % 2:
            entry, host, prefix = f"c{i}.test.com", f"c{i}.test.com", ""
        else:
            entry, host, prefix = f"conc.test.com/c{i}", "conc.test.com", f"/c{i}"
        tenant = committed_tenant(domains=(entry,), items=(f"only-{i}",))
        targets.append((host, prefix, tenant.schema_name, f"only-{i}"))
    return targets


@pytest.mark.django_db(transaction=True)
def test_threads_never_see_each_others_tenant_or_folder(committed_tenant: Any) -> None:
    targets = _world(committed_tenant)
    barrier = threading.Barrier(8)

    def worker(target: tuple[str, str, str, str]) -> int:
        host, prefix, schema, item = target
        client = Client()
        try:
            barrier.wait()
            for _ in range(40):
                data = client.get(f"{prefix}/whoami/", HTTP_HOST=host).json()
                assert (data["schema"], data["tenant"]) == (schema, schema)
                assert data["reverse"] == data["url_tag"] == f"{prefix}/whoami/"
                assert client.get(f"{prefix}/items/", HTTP_HOST=host).json() == {
                    "schema": schema,
                    "items": [item],
                }
            return 40
        finally:
            close_thread_connections()

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(worker, targets)) == 320


@pytest.mark.django_db(transaction=True)
def test_asgi_concurrent_requests_never_see_each_others_data(committed_tenant: Any) -> None:
    targets = _world(committed_tenant)
    app = get_asgi_application()
    app_is_real = app.__class__.__name__ == "ASGIHandler"
    assert app_is_real

    async def one(target: tuple[str, str, str, str], path: str) -> None:
        host, prefix, schema, item = target
        data = (await asgi_get(app, host, f"{prefix}/{path}/")).json()
        assert data["schema"] == schema
        assert data["items"] == [item]
        if path == "async-items":
            assert (data["schema_after"], data["tenant"]) == (schema, schema)
            assert data["reverse"] == f"{prefix}/whoami/"

    async def scenario() -> None:
        # 160 requests, 24 in flight at a time: each in-flight request holds a database
        # connection of its own, and the server may allow only 100 (PostgreSQL's default)
        # while another test runs in the other xdist worker.
        in_flight = asyncio.Semaphore(24)

        async def limited(target: tuple[str, str, str, str], path: str) -> None:
            async with in_flight:
                await one(target, path)

        await asyncio.gather(
            *(limited(targets[n % 8], "async-items" if n % 3 else "items") for n in range(160))
        )

    try:
        asyncio.run(scenario())
    finally:
        close_thread_connections()


@pytest.mark.django_db(transaction=True)
def test_reverse_inside_folder_tenants_from_8_threads(committed_tenant: Any) -> None:
    folders = [f"r{i}" for i in range(8)]
    for folder in folders:
        committed_tenant(domains=(f"rev.test.com/{folder}",))
    barrier = threading.Barrier(8)

    def worker(folder: str) -> set[str]:
        client = Client()
        seen: set[str] = set()
        try:
            barrier.wait()
            for _ in range(50):
                data = client.get(f"/{folder}/whoami/", HTTP_HOST="rev.test.com").json()
                seen.add(data["reverse"])
                seen.add(data["url_tag"])
            return seen
        finally:
            close_thread_connections()

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(worker, folders))
    assert results == [{f"/{folder}/whoami/"} for folder in folders]
