from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

_counter = itertools.count()


@pytest.fixture(autouse=True)
def _static_schemas(pgschemas_static_schemas: None) -> None:
    """Each static tenant's schema and tables (pgschemas-testing's plugin, once per session).

    Dynamic tenants are made below through the model on purpose: this suite tests how
    they are created (pgschemas-testing's factory would hand out ready spare schemas)."""


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


@pytest.fixture
def reference_key() -> Iterator[str]:
    """A key of ``default`` naming a schema, declared for the test only: what
    pgschemas-clone's ``CLONE_REFERENCE`` is to core, without needing pgschemas-clone."""
    from pgschemas.core.settings_registry import (
        DEFAULT,
        TenantKey,
        optional_str,
        register_key,
        unregister_key,
    )

    name = "TEST_REFERENCE"
    register_key(
        TenantKey(
            name,
            "pgschemas-core-tests",
            frozenset({DEFAULT}),
            None,
            lambda value, entry_key: optional_str(value, entry_key, name=name),
            check_id="pgschemas.E006",
            names_schema=True,
        )
    )
    yield name
    unregister_key(name)
