"""DomainModel: normalisation, validation, uniqueness, one primary per tenant, URL helpers."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pgschemas.core.schema import get_static_schema
from pgschemas.routing.models import get_primary_domain, tenant_absolute_url

pytestmark = pytest.mark.django_db


def primaries(tenant: Any) -> list[str]:
    return [d.domain_url for d in tenant.domains.filter(is_primary=True)]


def test_first_domain_becomes_primary_and_new_primary_demotes(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    tenant = make_tenant()
    a = Domain.objects.create(tenant=tenant, domain="a.test.com")
    assert a.is_primary and primaries(tenant) == ["a.test.com"]
    Domain.objects.create(tenant=tenant, domain="b.test.com")
    assert primaries(tenant) == ["a.test.com"]
    Domain.objects.create(tenant=tenant, domain="c.test.com", folder="x", is_primary=True)
    assert primaries(tenant) == ["c.test.com/x"]
    # Saving a row that says it is primary makes it the primary: still exactly one.
    a.save()
    assert primaries(tenant) == ["a.test.com"]


def test_only_primary_cannot_be_demoted_and_delete_promotes(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    tenant = make_tenant()
    a = Domain.objects.create(tenant=tenant, domain="a.test.com")
    a.is_primary = False
    a.save()
    assert primaries(tenant) == ["a.test.com"]
    b = Domain.objects.create(tenant=tenant, domain="b.test.com")
    Domain.objects.create(tenant=tenant, domain="c.test.com")
    a.delete()
    assert primaries(tenant) == ["b.test.com"]
    b.delete()
    assert primaries(tenant) == ["c.test.com"]


def test_the_primary_row_never_redirects(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    tenant = make_tenant()
    first = Domain.objects.create(tenant=tenant, domain="a.test.com", redirect_to_primary=True)
    assert first.is_primary and not first.redirect_to_primary
    old = Domain.objects.create(tenant=tenant, domain="old.test.com", redirect_to_primary=True)
    assert old.redirect_to_primary
    first.delete()  # old becomes the primary: it serves now instead of redirecting
    old.refresh_from_db()
    assert old.is_primary and not old.redirect_to_primary


def test_moving_the_primary_to_another_tenant_keeps_both_consistent(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    one, two = make_tenant(), make_tenant()
    moving = Domain.objects.create(tenant=one, domain="m.test.com")
    Domain.objects.create(tenant=one, domain="n.test.com")
    Domain.objects.create(tenant=two, domain="o.test.com")
    moving.tenant = two
    moving.save()
    # The old tenant gets a new primary; the moved row, still saying primary, wins in the new.
    assert primaries(one) == ["n.test.com"]
    assert primaries(two) == ["m.test.com"]
    moving.is_primary = False
    moving.tenant = one
    moving.save()
    assert primaries(one) == ["n.test.com"]
    assert primaries(two) == ["o.test.com"]


def test_domain_folder_unique_and_normalised(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    one, two = make_tenant(), make_tenant()
    row = Domain.objects.create(tenant=one, domain=" Shop.Test.COM. ", folder="/f/")
    assert (row.domain, row.folder) == ("shop.test.com", "f")
    Domain.objects.create(tenant=two, domain="shop.test.com")  # other folder: fine
    with pytest.raises(IntegrityError), transaction.atomic():
        Domain.objects.create(tenant=two, domain="shop.test.com", folder="f")


@pytest.mark.parametrize(
    ("domain", "folder", "message"),
    [
        ("http://x.test.com", "", "Invalid domain"),
        ("x.test.com:80", "", "Invalid domain"),
        ("x.test.com", "a/b", "Invalid folder"),
        ("x.test.com", "<int:x>", "Invalid folder"),
    ],
)
def test_bad_domain_or_folder_is_refused(
    make_tenant: Any, domain: str, folder: str, message: str
) -> None:
    from tests.shared_app.models import Domain

    with pytest.raises(ValidationError, match=message):
        Domain.objects.create(tenant=make_tenant(), domain=domain, folder=folder)


def test_absolute_url_helpers(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    tenant = make_tenant()
    assert get_primary_domain(tenant) is None
    assert tenant_absolute_url(tenant) is None
    Domain.objects.create(tenant=tenant, domain="p.test.com", folder="shop")
    assert get_primary_domain(tenant).domain_url == "p.test.com/shop"
    assert tenant_absolute_url(tenant, "/items/?q=1") == "https://p.test.com/shop/items/?q=1"
    assert tenant_absolute_url(tenant, "items/", scheme="http") == "http://p.test.com/shop/items/"
    assert tenant_absolute_url(get_static_schema("www")) == "https://test.com/"
    assert tenant_absolute_url(get_static_schema("blog"), "/x") == "https://blog.test.com/x"


def test_a_domain_row_is_stored_as_every_package_compares_hosts(make_tenant: Any) -> None:
    """core.domains: lowercase, no trailing dot; a port is refused, not dropped."""
    from pgschemas.core.domains import DomainLike
    from tests.shared_app.models import Domain

    row = Domain.objects.create(tenant=make_tenant(), domain=" Shouty.Test.COM. ", folder="/Shop/")
    assert (row.domain, row.folder) == ("shouty.test.com", "Shop")
    assert isinstance(row, DomainLike)
    with pytest.raises(ValidationError, match="no scheme, port or path"):
        Domain(tenant=row.tenant, domain="shouty.test.com:8000").full_clean(exclude=["tenant"])


def test_a_static_primary_domain_is_normalised_like_a_row(settings: Any) -> None:
    settings.TENANTS = {
        **settings.TENANTS,
        "www": {**settings.TENANTS["www"], "DOMAINS": ["WWW.Test.COM./Home/"]},
    }
    assert get_primary_domain(get_static_schema("www")) == ("www.test.com", "Home")
