from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import get_static_schema

_counter = itertools.count()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Django's test-database setup runs *our* migrate (public, www, blog); the clone
    reference is createrefschema's job, so build it here."""
    with django_db_blocker.unblock():
        ddl.create_schema("sample")
        migrate_schema(get_static_schema("sample"))


@pytest.fixture
def make_tenant(db: Any) -> Callable[..., Any]:
    """Tenants inside the test's transaction (rolled back afterwards)."""
    from tests.shared_app.models import Tenant

    def make(schema_name: str | None = None, **fields: Any) -> Tenant:
        return Tenant.objects.create(schema_name=schema_name or f"t{next(_counter)}", **fields)

    return make


@pytest.fixture
def committed_tenants(transactional_db: Any) -> Iterator[Callable[..., Any]]:
    """Committed tenants (visible to other connections and threads); dropped afterwards."""
    from tests.shared_app.models import Tenant

    created: list[Any] = []

    def make(schema_name: str | None = None, **fields: Any) -> Any:
        tenant = Tenant.objects.create(schema_name=schema_name or f"c{next(_counter)}", **fields)
        created.append(tenant)
        return tenant

    yield make
    for tenant in created:
        if tenant.pk is not None:  # not deleted by the test itself
            tenant.delete(force_drop=True)
