from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import get_static_schemas

_counter = itertools.count()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Make sure every static schema exists and is migrated (idempotent)."""
    with django_db_blocker.unblock():
        for schema in get_static_schemas(include_public=False):
            ddl.create_schema(schema.schema_name)
            migrate_schema(schema)


@pytest.fixture
def make_tenant(db: Any) -> Callable[..., Any]:
    """Dynamic tenants created inside the test's transaction (rolled back afterwards)."""
    from shared_public.models import Tenant

    def make(schema_name: str | None = None, **fields: Any) -> Tenant:
        return Tenant.objects.create(schema_name=schema_name or f"t_{next(_counter)}", **fields)

    return make


@pytest.fixture
def committed_tenants(transactional_db: Any) -> Iterator[Callable[..., Any]]:
    """Committed dynamic tenants (visible to other threads/processes), dropped afterwards."""
    from shared_public.models import Tenant

    created: list[Tenant] = []

    def make(schema_name: str | None = None, **fields: Any) -> Tenant:
        tenant = Tenant.objects.create(schema_name=schema_name or f"ct_{next(_counter)}", **fields)
        created.append(tenant)
        return tenant

    yield make
    for tenant in created:
        tenant.delete(force_drop=True)
