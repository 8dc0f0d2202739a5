from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connections

from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import get_static_schemas
from pgschemas.routing import cache


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """After Django migrated public, give each static tenant its schema and tables."""
    with django_db_blocker.unblock():
        for schema in get_static_schemas(include_public=False):
            ddl.create_schema(schema.schema_name)
            migrate_schema(schema)


@pytest.fixture(autouse=True)
def _fresh_routing_cache() -> Iterator[None]:
    """Rolled-back rows send no signal: start every test with an empty lookup cache."""
    cache.clear_local()
    yield
    cache.clear_local()


def _make(
    factory: Callable[..., Any],
    schema_name: str | None = None,
    domains: tuple[str, ...] = (),
    items: tuple[str, ...] = (),
) -> Any:
    """A tenant from pgschemas-testing's ``tenant_factory`` (a spare schema renamed in: no
    migrations), with domains "host" or "host/folder" and items."""
    from tests.shared_app.models import Domain
    from tests.tenant_app.models import Item

    tenant = factory(schema_name)
    for entry in domains:
        host, _, folder = entry.partition("/")
        Domain.objects.create(tenant=tenant, domain=host, folder=folder)
    with tenant:
        for name in items:
            Item.objects.create(name=name)
    return tenant


@pytest.fixture
def make_tenant(tenant_factory: Callable[..., Any]) -> Callable[..., Any]:
    """Tenants inside the test transaction (rolled back with it)."""
    return functools.partial(_make, tenant_factory)


@pytest.fixture
def committed_tenant(transactional_db: Any, tenant_factory: Callable[..., Any]) -> Any:
    """Committed tenants (visible to other threads); removed after the test."""
    return functools.partial(_make, tenant_factory)


@pytest.fixture
def asgi_app() -> Any:
    """Django's real ASGI application. It runs each request's sync code in a thread of its
    own (ThreadSensitiveContext), so tests using it need committed data."""
    from django.core.asgi import get_asgi_application

    return get_asgi_application()


def close_thread_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.close()
