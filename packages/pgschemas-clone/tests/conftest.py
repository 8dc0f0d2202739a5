from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

_counter = itertools.count()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """After Django migrated public, build the clone reference the documented way."""
    with django_db_blocker.unblock():
        call_command("createrefschema", verbosity=0)


@pytest.fixture
def name() -> Callable[[str], str]:
    """Unique schema names per test (tests share one database per xdist worker)."""

    def make(prefix: str = "t") -> str:
        return f"{prefix}_{next(_counter)}"

    return make


@pytest.fixture
def make_tenant(db: Any, name: Callable[[str], str]) -> Callable[..., Any]:
    """Create tenants inside the test's transaction (rolled back afterwards)."""
    from tests.shared_app.models import Tenant

    def make(schema_name: str | None = None, **fields: Any) -> Tenant:
        return Tenant.objects.create(schema_name=schema_name or name("tenant"), **fields)

    return make
