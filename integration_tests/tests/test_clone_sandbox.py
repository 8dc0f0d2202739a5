"""pgschemas-clone in the sandbox: identity with migrations, and the spec page's commands."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from pgschemas.clone import clone_schema
from pgschemas.clone.reference import reference_status
from pgschemas.clone.snapshot import diff_snapshots, schema_snapshot
from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import Schema
from pgschemas.core.signals import schema_pre_migration

pytestmark = pytest.mark.django_db

EXCLUDE = {"django_migrations": ["applied"]}


def test_sandbox_clone_is_identical_to_migrating():
    call_command("createrefschema", "--recreate", verbosity=0)
    ddl.create_schema("sbx_migrated")
    migrate_schema(Schema("sbx_migrated", is_dynamic=True))
    clone_schema("sample", "sbx_cloned")
    expected = schema_snapshot("sbx_migrated", exclude_columns=EXCLUDE)
    actual = schema_snapshot("sbx_cloned", exclude_columns=EXCLUDE)
    assert diff_snapshots(expected, actual) == []
    assert {row[0] for row in expected["relations"]} >= {"tenant_app_product", "auth_user"}


def test_migrate_over_all_schemas_keeps_the_reference_migrated():
    call_command("migrate", "tenant_app", "zero", "-s", "sample", verbosity=0, interactive=False)
    status = reference_status()
    assert not status.ready  # the cache was dropped when migrate ran
    assert ("tenant_app", "0001_initial") in status.missing

    call_command("migrate", verbosity=0, interactive=False)  # every schema, by default
    assert reference_status().ready


def test_spec_commands_loaddata_into_the_reference_reaches_new_tenants(tmp_path, db):
    from shared_public.models import Tenant
    from tenant_app.models import Product

    fixture = tmp_path / "products.json"
    fixture.write_text(
        json.dumps([{"model": "tenant_app.product", "pk": 9001, "fields": {"name": "Seeded"}}])
    )
    call_command("runschema", "loaddata", str(fixture), "-s", "sample", "--noinput", verbosity=0)
    with Schema("sample"):
        assert Product.objects.filter(name="Seeded").exists()

    seen: list[str] = []
    schema_pre_migration.connect(
        lambda sender, schema, **kw: seen.append(schema.schema_name),
        weak=False,
        dispatch_uid="sbx-clone",
    )
    try:
        # Created through the model: the clone provisioning is what this test is about.
        tenant = Tenant.objects.create(schema_name="seeded_by_clone")
    finally:
        schema_pre_migration.disconnect(dispatch_uid="sbx-clone")
    assert seen == []  # cloned, not migrated
    with tenant:
        assert Product.objects.get(pk=9001).name == "Seeded"


def test_runschema_works_on_the_reference():
    out = io.StringIO()
    call_command(
        "runschema", "showmigrations", "tenant_app", "-s", "sample", "--noinput", stdout=out
    )
    assert "[X] 0001_initial" in out.getvalue()
