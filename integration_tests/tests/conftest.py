"""The sandbox's fixtures come from pgschemas-testing's pytest plugin.

``make_tenant`` / ``committed_tenants`` are its ``tenant_factory`` (a spare schema renamed
in: no migrations per test; rolled back with a ``db`` test, committed and removed after a
``transactional_db`` one) and the static schemas are its ``pgschemas_static_schemas``.
Tests of tenant creation itself create tenants through the model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _static_schemas(pgschemas_static_schemas: None) -> None:
    """Every static schema exists and is migrated (once per session)."""


@pytest.fixture
def make_tenant(tenant_factory: Callable[..., Any]) -> Callable[..., Any]:
    """Dynamic tenants inside the test's transaction (rolled back afterwards)."""
    return tenant_factory


@pytest.fixture
def committed_tenants(
    transactional_db: Any, tenant_factory: Callable[..., Any]
) -> Callable[..., Any]:
    """Committed dynamic tenants (visible to other threads/processes), removed afterwards."""
    return tenant_factory
