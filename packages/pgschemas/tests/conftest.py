from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Create the clone reference through the django_pgschemas command name."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("createrefschema", verbosity=0)


@pytest.fixture
def make_tenant(tenant_factory: Callable[..., Any]) -> Callable[..., Any]:
    """Tenants from pgschemas-testing (a spare schema renamed in), rolled back with the test."""
    return tenant_factory


@pytest.fixture
def committed_tenants(
    transactional_db: Any, tenant_factory: Callable[..., Any]
) -> Callable[..., Any]:
    """Committed tenants (seen by other connections), removed after the test."""
    return tenant_factory
