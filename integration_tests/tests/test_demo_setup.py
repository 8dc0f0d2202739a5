"""The demo's setup (``sandbox/demo.py``) is idempotent and routable.

``python3 scripts/demo`` runs :func:`setup_demo` on every start against data kept from
the previous run; here it runs twice against the test database: the first call creates
the tenants, their domains and a welcome note each, the second finds everything in
place and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from sandbox.demo import DEMO_TENANTS, DemoTenant, setup_demo

SPECS = (
    DemoTenant("demo_one", "Demo One", "demo-one.localhost", welcome="hello from one"),
    DemoTenant("demo_two", "Demo Two", "demo-shared.localhost", folder="two", welcome="two"),
)


@pytest.fixture
def cleanup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """Committed data, as the demo has: no test transaction, our tenants dropped after.

    (pytest-django's transactional flush cannot truncate public tables that tenant schemas
    reference, so the tenants made here are removed explicitly instead.)
    """
    from shared_public.models import Tenant

    with django_db_blocker.unblock():
        yield
        for tenant in Tenant.objects.filter(schema_name__in=[s.schema_name for s in SPECS]):
            tenant.delete(force_drop=True)


def test_setup_twice_creates_once_and_routes(cleanup: None) -> None:
    from shared_common.models import Note
    from shared_public.models import Domain, Tenant

    first = setup_demo(SPECS)
    assert first.created_tenants == ["demo_one", "demo_two"]
    assert first.created_domains == ["demo-one.localhost", "demo-shared.localhost/two"]
    assert first.routable and first.changed

    second = setup_demo(SPECS)
    assert not second.changed, second
    assert second.created_tenants == [] and second.created_domains == []
    assert Tenant.objects.filter(schema_name__startswith="demo_").count() == 2
    assert Domain.objects.filter(tenant__schema_name__startswith="demo_").count() == 2
    for tenant in Tenant.objects.filter(schema_name__in=["demo_one", "demo_two"]):
        with tenant:
            assert Note.objects.count() == 1  # the welcome note, not duplicated

    client = Client()
    one = client.get("/", HTTP_HOST="demo-one.localhost").content.decode()
    assert '<span id="tenant">demo_one</span>' in one and "hello from one" in one
    two = client.get("/two/", HTTP_HOST="demo-shared.localhost").content.decode()
    assert '<span id="tenant">demo_two</span>' in two and "hello from one" not in two
    assert 'data-ws-path="/two/ws/echo/"' in two


@pytest.mark.django_db  # (also makes pytest-django set up the database for this module)
def test_demo_tenants_are_valid_distinct_and_not_left_behind() -> None:
    from shared_public.models import Tenant

    from pgschemas.core.config import get_config
    from pgschemas.core.validation import check_schema_name

    names = [spec.schema_name for spec in DEMO_TENANTS]
    for name in names:
        check_schema_name(name)
        assert name not in get_config().reserved_names()
    assert not Tenant.objects.filter(schema_name__in=[s.schema_name for s in SPECS]).exists()
    urls = [spec.url(8000) for spec in DEMO_TENANTS]
    assert len(set(names)) == len(names) and len(set(urls)) == len(urls)
    assert "http://tenants.localhost:8000/umbrella/" in urls
    assert all(".localhost:" in url for url in urls)
