"""A django-pgschemas 1.x project's domain model, after the switch.

The `tenants` app of these tests has a migration written by hand with 1.x's field set
(its abstract DomainModel's fields and Meta); its models use the django_pgschemas paths.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from django_pgschemas.utils import get_domain_model

pytestmark = pytest.mark.django_db


def test_makemigrations_finds_nothing_to_do_on_a_1x_migration() -> None:
    out = StringIO()
    # --check exits non-zero (SystemExit) when a migration would be written.
    call_command("makemigrations", "tenants", check=True, dry_run=True, stdout=out)
    assert "No changes detected" in out.getvalue()


def test_a_new_domain_becomes_primary_unless_saved_with_is_primary_false(
    make_tenant: Callable[..., Any],
) -> None:
    Domain = get_domain_model()
    tenant = make_tenant("umbrella")
    first = Domain.objects.create(tenant=tenant, domain="umbrella.example.com")
    second = Domain.objects.create(tenant=tenant, domain="umbrella.example.org")
    kept = Domain.objects.create(tenant=tenant, domain="umb.example.net", is_primary=False)
    primaries = list(
        Domain.objects.filter(tenant=tenant, is_primary=True).values_list("pk", flat=True)
    )
    assert primaries == [second.pk]
    first.refresh_from_db()
    kept.refresh_from_db()
    assert (first.is_primary, kept.is_primary) == (False, False)


def test_one_primary_per_tenant_is_kept_without_a_database_constraint(
    make_tenant: Callable[..., Any],
) -> None:
    Domain = get_domain_model()
    tenant = make_tenant("soylent")
    primary = Domain.objects.create(tenant=tenant, domain="soylent.example.com")
    other = Domain.objects.create(
        tenant=tenant, domain="soylent.example.org", is_primary=False, redirect_to_primary=True
    )
    # Demoting the only primary keeps it primary; deleting it promotes the other row,
    # which then stops redirecting (the primary serves its tenant).
    primary.is_primary = False
    primary.save()
    primary.refresh_from_db()
    assert primary.is_primary
    primary.delete()
    other.refresh_from_db()
    assert (other.is_primary, other.redirect_to_primary) == (True, False)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
            [Domain._meta.db_table, "%is_primary%"],
        )
        assert cursor.fetchone() == (0,)


def test_bad_domain_and_folder_are_refused_with_the_value_named(
    make_tenant: Callable[..., Any],
) -> None:
    Domain = get_domain_model()
    tenant = make_tenant("initrode")
    with pytest.raises(ValidationError, match=r"'https://initrode\.example\.com'"):
        Domain.objects.create(tenant=tenant, domain="https://initrode.example.com")
    with pytest.raises(ValidationError, match=r"'a/b'"):
        Domain.objects.create(tenant=tenant, domain="initrode.example.com", folder="/a/b/")
    row = Domain(tenant=tenant, domain="bad host.example.com", folder="ok")
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert "'bad host.example.com'" in str(caught.value.message_dict["domain"])
    # In forms the folder is a slug, as in 1.x.
    row = Domain(tenant=tenant, domain="initrode.example.com", folder="v1.2")
    with pytest.raises(ValidationError) as caught:
        row.full_clean()
    assert list(caught.value.message_dict) == ["folder"]
