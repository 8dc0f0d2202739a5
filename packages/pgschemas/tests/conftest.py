from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

_counter = itertools.count()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Create the clone reference through the django_pgschemas command name."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createrefschema", verbosity=0)


@pytest.fixture
def make_tenant(db: Any) -> Callable[..., Any]:
    """Tenants created inside the test's transaction (rolled back afterwards)."""
    from tests.tenants.models import Tenant

    def make(schema_name: str | None = None, **fields: Any) -> Any:
        return Tenant.objects.create(schema_name=schema_name or f"t_{next(_counter)}", **fields)

    return make


@pytest.fixture
def committed_tenants(transactional_db: Any) -> Iterator[Callable[..., Any]]:
    """Committed tenants (seen by other connections), dropped afterwards."""
    from tests.tenants.models import Tenant

    created: list[Any] = []

    def make(schema_name: str | None = None, **fields: Any) -> Any:
        tenant = Tenant.objects.create(schema_name=schema_name or f"ct_{next(_counter)}", **fields)
        created.append(tenant)
        return tenant

    yield make
    for tenant in created:
        tenant.delete(force_drop=True)
