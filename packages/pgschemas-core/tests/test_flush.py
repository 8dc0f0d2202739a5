"""``flush`` (what Django's TransactionTestCase runs after each test) with tenant schemas
whose tables point at ``public``'s."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection


def references_into_public(schema_name: str) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, r.relname FROM pg_constraint k "
            "JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
            "WHERE k.contype = 'f' AND c.relnamespace = to_regnamespace(%s) "
            "AND r.relnamespace = 'public'::regnamespace ORDER BY 1",
            [schema_name],
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_flush_empties_public_when_a_tenant_schema_refers_to_it(committed_tenants: Any) -> None:
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    tenant = committed_tenants("flushed")
    # The layout the docs recommend: contenttypes in public, auth in the tenants.
    assert ("auth_permission", "django_content_type") in references_into_public("flushed")
    with tenant:
        assert Permission.objects.exists()
    call_command("flush", interactive=False, verbosity=0)  # refused before: FK from "flushed"
    with tenant:
        assert not Permission.objects.exists()  # what referred to public's rows went too
    assert ContentType.objects.exists()  # post_migrate refilled public, as after any flush
