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
    """After Django migrated public, give each static tenant its schema and tables."""
    with django_db_blocker.unblock():
        for schema in get_static_schemas(include_public=False):
            ddl.create_schema(schema.schema_name)
            migrate_schema(schema)


@pytest.fixture
def make_tenant(db: Any) -> Callable[..., Any]:
    """Create tenants inside the test's transaction (rolled back afterwards)."""
    from tests.shared_app.models import Tenant

    def make(schema_name: str | None = None, **fields: Any) -> Tenant:
        name = schema_name or f"tenant_{next(_counter)}"
        return Tenant.objects.create(schema_name=name, **fields)

    return make


@pytest.fixture
def committed_tenants(transactional_db: Any) -> Iterator[Callable[..., Any]]:
    """Create committed tenants (visible to other connections); dropped afterwards."""
    from tests.shared_app.models import Tenant

    created: list[Tenant] = []

    def make(schema_name: str | None = None, **fields: Any) -> Tenant:
        tenant = Tenant.objects.create(
            schema_name=schema_name or f"committed_{next(_counter)}", **fields
        )
        created.append(tenant)
        return tenant

    yield make
    for tenant in created:
        tenant.delete(force_drop=True)
