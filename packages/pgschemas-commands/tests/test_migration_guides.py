"""The destructive steps of docs/migrating-from-django-tenants.md, run as documented on a
database that still has django-tenants' public tenant row."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from psycopg import sql

from pgschemas.core import ddl
from pgschemas.core.schema import get_static_schema
from pgschemas.core.validation import InvalidSchemaName

pytestmark = pytest.mark.django_db


def insert_public_tenant_row() -> Any:
    """django-tenants' public tenant (pgschemas' own save() refuses the name) and a domain."""
    from tests.shared_app.models import Domain, Tenant

    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("INSERT INTO {} (schema_name, name) VALUES ('public', 'main site')").format(
                sql.Identifier(Tenant._meta.db_table)
            )
        )
    row = Tenant.objects.get(schema_name="public")
    Domain.objects.create(tenant=row, domain="my-domain.com")
    return row


def public_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row[0] for row in cursor.fetchall()}


def test_step_3_deleting_the_public_tenant_row_never_drops_public(monkeypatch: Any) -> None:
    from tests.shared_app.models import Domain, Tenant

    tables = public_tables()
    row = insert_public_tenant_row()
    # auto_drop_schema = True (as this project's model has it): refused, nothing deleted.
    with pytest.raises(InvalidSchemaName, match="'public' holds shared data"):
        row.delete()
    assert Tenant.objects.filter(schema_name="public").exists()
    assert public_tables() == tables
    # auto_drop_schema = False (TenantModel's default): the row and its domains go, the
    # schema stays - as the guide says.
    monkeypatch.setattr(Tenant, "auto_drop_schema", False)
    Tenant.objects.filter(schema_name="public").delete()
    assert not Tenant.objects.filter(schema_name="public").exists()
    assert not Domain.objects.filter(domain="my-domain.com").exists()
    assert public_tables() == tables


def test_step_3_the_main_site_schema_is_created_by_migrate() -> None:
    from tests.blog_app.models import Post

    ddl.drop_schema("www")
    out, err = StringIO(), StringIO()
    call_command("migrate", "-s", "www", stdout=out, stderr=err)
    assert "[www] created missing schema 'www' (empty)" in err.getvalue()
    with get_static_schema("www"):
        assert Post.objects.count() == 0  # the table exists: migrated, not just created
