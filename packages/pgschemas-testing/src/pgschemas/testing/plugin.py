"""The pytest plugin (registered through the ``pytest11`` entry point).

Fixtures only, none autouse: a project that does not ask for them pays nothing. They build
on pytest-django's ``db`` / ``transactional_db`` and never import Django models before
settings are configured.

- ``tenant``: a dynamic tenant with the domain ``tenant_domain`` / ``tenant_folder``.
- ``tenant_factory``: ``tenant_factory(schema_name=None, domain="", folder="", **fields)``.
- ``tenant_client``: a test client whose requests reach ``tenant`` through routing.
- ``static_tenant``: ``static_tenant("www")``, the static tenant's ``Schema`` (schema built).
- ``tenant_client_for``: ``tenant_client_for(tenant_or_schema, domain=None, folder=None)``.
- ``active_tenant``: ``tenant``, activated for the whole test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def pgschemas_static_schemas(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Every static tenant's schema exists and is migrated (once per test session)."""
    from django.db import transaction

    from pgschemas.core import ddl
    from pgschemas.core.migration import migrate_schema
    from pgschemas.core.schema import get_static_schemas

    with django_db_blocker.unblock():
        for schema in get_static_schemas(include_public=False):
            if not ddl.schema_exists(schema.schema_name, using=schema.db_alias):
                with transaction.atomic(using=schema.db_alias):
                    ddl.create_schema(schema.schema_name, using=schema.db_alias)
                    migrate_schema(schema)


@pytest.fixture(scope="session")
def pgschemas_spares(django_db_setup: Any, django_db_blocker: Any) -> None:
    """This worker's spare tenant schemas, built once per session, before any test transaction."""
    from pgschemas.core.config import get_config

    from .spares import ensure_spares

    alias = get_config().tenant_db_alias
    with django_db_blocker.unblock():
        refuse_outside_test_database(alias)
        ensure_spares(alias)


def refuse_outside_test_database(alias: str) -> None:
    """Stop before writing spare schemas anywhere but the test database of ``alias``."""
    from django.db import connections

    connection = connections[alias]
    expected = connection.creation._get_test_db_name()
    name = connection.settings_dict["NAME"]
    if name != expected:
        raise pytest.UsageError(
            f"pgschemas-testing: database {alias!r} is {name!r}, not the test database "
            f"{expected!r}, so pytest-django set up no test database for this session. "
            "Mark the tests that use the database (@pytest.mark.django_db) or request "
            "the `db` fixture."
        )


@pytest.fixture
def tenant_factory(pgschemas_spares: None, db: None) -> Iterator[Any]:
    """Make dynamic tenants. In a ``db`` test they are rolled back with it; in a
    ``transactional_db`` test they are committed and removed after the test."""
    # ``db`` is a declared dependency, not requested at run time: pytest-django decides
    # which test databases to create from the fixtures tests declare, so a test asking only
    # for ``tenant`` would otherwise run against the real database. Its helper behind
    # ``db`` honours the test's marker and a requested ``transactional_db``.
    from .factory import TenantFactory, clear_routing_cache

    clear_routing_cache()
    factory = TenantFactory()
    factory.prepare()  # rebuilds spares an earlier committing test dropped (else a no-op)
    yield factory.create
    factory.cleanup()


@pytest.fixture
def tenant_domain() -> str:
    """Domain of the ``tenant`` fixture: ``tenant.test`` when a domain model is configured,
    else none (override in a conftest or with parametrize)."""
    from .factory import default_domain

    return default_domain()


@pytest.fixture
def tenant_folder() -> str:
    """Folder of the ``tenant`` fixture under ``tenant_domain`` (override; "" for none)."""
    return ""


@pytest.fixture
def tenant(tenant_factory: Callable[..., Any], tenant_domain: str, tenant_folder: str) -> Any:
    """A fresh dynamic tenant with its domain; its schema has every migration applied."""
    from .factory import unique_schema_name

    return tenant_factory(unique_schema_name(), domain=tenant_domain, folder=tenant_folder)


@pytest.fixture
def active_tenant(tenant: Any) -> Iterator[Any]:
    """``tenant``, active for the test (the previous schema is restored afterwards)."""
    with tenant:
        yield tenant


@pytest.fixture
def static_tenant(pgschemas_static_schemas: None, db: Any) -> Callable[[str], Any]:
    """``static_tenant(key)``: the static tenant ``key`` as a ``Schema`` routed to its first
    domain (activate it with ``with``; pass it to ``tenant_client_for``)."""
    from pgschemas.core.schema import get_static_schema

    from .client import _first_domain

    def get(key: str) -> Any:
        schema = get_static_schema(key)
        domain, folder = _first_domain(schema)
        return schema.routed(domain, folder) if domain else schema

    return get


@pytest.fixture
def tenant_client_for() -> Callable[..., Any]:
    """``tenant_client_for(tenant, domain=None, folder=None)``: a client bound to a tenant
    (dynamic or static) on its domain, or the one given."""
    from .client import TenantClient

    def make(tenant: Any, domain: str | None = None, folder: str | None = None) -> Any:
        return TenantClient(tenant, domain=domain, folder=folder)

    return make


@pytest.fixture
def tenant_client(tenant: Any, tenant_client_for: Callable[..., Any]) -> Any:
    """A test client whose requests reach ``tenant`` through the routing middleware."""
    return tenant_client_for(tenant)
