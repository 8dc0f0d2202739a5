from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import get_static_schema


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Django's test-database setup runs *our* migrate (public, www, blog); the clone
    reference is createrefschema's job, so build it here."""
    with django_db_blocker.unblock():
        ddl.create_schema("sample")
        migrate_schema(get_static_schema("sample"))


# Tenants come from pgschemas-testing's plugin (tenant_factory): spare schemas renamed
# in, so a test pays no migrations. The old names stay for the tests that use them.


@pytest.fixture
def make_tenant(tenant_factory: Callable[..., Any]) -> Callable[..., Any]:
    """Tenants inside the test's transaction (rolled back afterwards)."""
    return tenant_factory


@pytest.fixture
def committed_tenants(transactional_db: Any, tenant_factory: Callable[..., Any]) -> Any:
    """Committed tenants (visible to other connections and threads); removed afterwards."""
    return tenant_factory
