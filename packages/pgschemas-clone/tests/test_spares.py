"""CLONE_SPARES: tenants made by renaming a spare clone are what a clone made now would be."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import connections
from django.test import override_settings

from pgschemas.clone import CloneError, clone_schema
from pgschemas.clone.fingerprint import catalog_digest, schema_digest
from pgschemas.clone.snapshot import diff_snapshots, schema_snapshot
from pgschemas.clone.spares import SPARE_PREFIX, fill_spares, list_spares
from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import Schema
from pgschemas.core.signals import dynamic_tenant_post_sync

from .helpers import EXCLUDE, elsewhere, one, q, run, schema_exists

pytestmark = pytest.mark.django_db


def tenants_setting(**default: Any) -> dict[str, Any]:
    config = get_config()
    assert config.default is not None
    return {"public": dict(config.public.raw), "default": {**config.default.raw, **default}}


@pytest.fixture
def spares() -> Iterator[Callable[[], list[str]]]:
    """CLONE_SPARES = 2 for the test; gives the names of the spares that exist now."""
    with override_settings(TENANTS=tenants_setting(CLONE_SPARES=2)):
        yield lambda: sorted(spare.name for spare in list_spares())


def test_tenant_from_a_spare_is_identical_to_a_migrated_schema(make_tenant, name, spares):
    call_command("createrefschema", "--recreate", verbosity=0)
    call_command("clonespares", verbosity=0)
    before = spares()
    assert len(before) == 2 and all(s.startswith(SPARE_PREFIX) for s in before)

    tenant = make_tenant()
    assert tenant.provisioned_by == "spare clone"

    after = spares()
    assert len(after) == 1 and set(after) < set(before)  # one spare became the tenant
    assert not schema_exists((set(before) - set(after)).pop())
    built = name("migrated")
    ddl.create_schema(built)
    migrate_schema(Schema(built, is_dynamic=True))
    expected = schema_snapshot(built, exclude_columns=EXCLUDE)
    actual = schema_snapshot(tenant.schema_name, exclude_columns=EXCLUDE)
    assert diff_snapshots(expected, actual) == []
    assert expected == actual
    # The spare's label does not follow it into the tenant.
    comment = "SELECT pg_catalog.obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s"
    assert one(comment, [tenant.schema_name]) is None


def test_tenant_from_a_spare_is_identical_to_a_direct_clone_with_reference_data(
    make_tenant, name, spares
):
    run(q("INSERT INTO {} (name) VALUES ('Loaded into sample')", ("sample", "tenant_app_category")))
    fill_spares()
    tenant = make_tenant()
    assert len(spares()) == 1
    direct = name("direct")
    clone_schema("sample", direct)
    expected = schema_snapshot(direct, exclude_columns=EXCLUDE)
    actual = schema_snapshot(tenant.schema_name, exclude_columns=EXCLUDE)
    assert diff_snapshots(expected, actual) == []
    from tests.tenant_app.models import Category

    with tenant:
        assert Category.objects.filter(name="Loaded into sample").exists()
        Category.objects.create(name="Mine")  # its sequences are its own and usable


def test_function_bodies_naming_the_reference_name_the_tenant(make_tenant, spares):
    run(
        "CREATE FUNCTION sample.qualified_tickets() RETURNS bigint LANGUAGE sql STABLE "
        "AS $$ SELECT count(*) FROM sample.ticket $$"
    )
    fill_spares()
    tenant = make_tenant()
    assert len(spares()) == 1
    body = one(
        "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = %s AND p.proname = 'qualified_tickets'",
        [tenant.schema_name],
    )
    assert f'"{tenant.schema_name}".ticket' in body
    assert "sample" not in body and SPARE_PREFIX not in body
    run(q("DELETE FROM {}", (tenant.schema_name, "ticket")))
    assert one(q("SELECT {}()", (tenant.schema_name, "qualified_tickets"))) == 0
    assert one("SELECT sample.qualified_tickets()") > 0


CHANGES = {
    "row inserted": "INSERT INTO sample.tenant_app_category (name) VALUES ('new')",
    "row updated": "UPDATE sample.ticket SET qty = qty + 1",
    "row deleted": "DELETE FROM sample.ticket",
    "column added": "ALTER TABLE sample.ticket ADD COLUMN extra integer",
    "column renamed": "ALTER TABLE sample.legacy RENAME COLUMN note TO memo",
    "default changed": "ALTER TABLE sample.ticket ALTER COLUMN qty SET DEFAULT 7",
    "index created": "CREATE INDEX ticket_qty_extra ON sample.ticket (qty)",
    "comment changed": "COMMENT ON TABLE sample.ticket IS 'changed'",
    "sequence advanced": "SELECT nextval('sample.ticket_seq')",
    "trigger disabled": "ALTER TABLE sample.ticket DISABLE TRIGGER ticket_shout",
    "function replaced": "CREATE OR REPLACE FUNCTION sample.code_ok(c text) RETURNS boolean "
    "LANGUAGE sql IMMUTABLE AS $$ SELECT char_length(c) > 1 $$",
    "enum value added": "ALTER TYPE sample.mood ADD VALUE 'meh'",
    "composite attribute renamed": "ALTER TYPE sample.money_pair RENAME ATTRIBUTE currency TO cur",
}


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_changed_reference_makes_spares_stale(change, make_tenant, name, spares, caplog):
    fill_spares()
    before = spares()
    run(CHANGES[change])
    with caplog.at_level(logging.WARNING, logger="pgschemas.clone"):
        tenant = make_tenant()
    assert spares() == before  # not used...
    assert "older than the reference" in caplog.text
    direct = name("direct")  # ...the tenant was cloned from the reference as it is now
    clone_schema("sample", direct)
    assert (
        diff_snapshots(
            schema_snapshot(direct, exclude_columns=EXCLUDE),
            schema_snapshot(tenant.schema_name, exclude_columns=EXCLUDE),
        )
        == []
        or change == "sequence advanced"
    )  # cloning it read the sequence again
    result = fill_spares()  # clonespares replaces them
    assert sorted(result.dropped) == before and len(result.created) == 2


def test_digest_is_stable_and_covers_every_relation():
    with connections["default"].cursor() as cursor:
        first = schema_digest(cursor.cursor, "sample")
        assert first is not None and schema_digest(cursor.cursor, "sample") == first
        assert catalog_digest(cursor.cursor, "no_such_schema") is None
    # Every relation of the schema is reached from the namespace's dependencies.
    run("ALTER TABLE sample.legacy SET (fillfactor = 90)")  # only pg_class changes
    with connections["default"].cursor() as cursor:
        assert schema_digest(cursor.cursor, "sample") != first


def test_a_failed_creation_keeps_the_spare(make_tenant, spares):
    fill_spares()
    before = spares()

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("post-sync receiver failed")

    dynamic_tenant_post_sync.connect(fail)
    try:
        with pytest.raises(RuntimeError, match="post-sync receiver failed"):
            make_tenant(schema_name="never_made")
    finally:
        dynamic_tenant_post_sync.disconnect(fail)
    assert spares() == before
    assert not schema_exists("never_made")
    from tests.shared_app.models import Tenant

    assert not Tenant.objects.filter(schema_name="never_made").exists()


def test_without_spares_tenants_are_cloned_directly(make_tenant, spares):
    assert spares() == []
    tenant = make_tenant()
    assert tenant.provisioned_by == "clone"
    assert one(q("SELECT count(*) FROM {}", (tenant.schema_name, "ticket"))) >= 1


def test_other_schemas_are_never_touched(spares):
    # Spare-like name without a spare's label, and a label on a name that is not a spare's.
    run('CREATE SCHEMA "pgschemas_spare_0123456789abcdef"')
    run("CREATE SCHEMA not_a_spare")
    label = (
        '{"pgschemas_spare": 1, "reference": "sample", "digest": "x", "rewrite_functions": false}'
    )
    run(f"COMMENT ON SCHEMA not_a_spare IS '{label}'")
    fill_spares()
    assert len(spares()) == 2
    assert schema_exists("pgschemas_spare_0123456789abcdef") and schema_exists("not_a_spare")
    fill_spares(0)
    assert spares() == []
    assert schema_exists("pgschemas_spare_0123456789abcdef") and schema_exists("not_a_spare")


def test_clonespares_command(spares):
    out = StringIO()
    call_command("clonespares", stdout=out)
    assert "2 spare clone(s) of 'sample' ready: 2 cloned, 0 kept, 0 stale dropped" in out.getvalue()
    out = StringIO()
    call_command("clonespares", "--count", "1", stdout=out)
    assert "1 spare clone(s) of 'sample' ready: 0 cloned, 1 kept, 1 stale dropped" in out.getvalue()
    call_command("clonespares", "--count", "0", verbosity=0)
    assert spares() == []
    with pytest.raises(CommandError, match="--count -1: expected a whole number >= 0"):
        call_command("clonespares", "--count", "-1")


def test_no_spare_is_made_of_a_reference_that_is_not_ready(spares):
    """A spare of a half-migrated reference would match its fingerprint: never make one."""
    run(q("DELETE FROM {} WHERE app = 'kitchen_app'", ("sample", "django_migrations")))
    with pytest.raises(CloneError, match=r"No spare clone was made: .* is behind its migrations"):
        fill_spares()
    assert spares() == []


def test_clonespares_refuses_a_reference_that_is_not_ready(spares):
    run(q("DELETE FROM {} WHERE app = 'kitchen_app'", ("sample", "django_migrations")))
    with pytest.raises(CommandError, match="is behind its migrations"):
        call_command("clonespares")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, 'CLONE_SPARES"\\]=-1: expected a whole number >= 0'),
        ("5", "CLONE_SPARES\"\\]='5': expected a whole number >= 0"),
        (True, 'CLONE_SPARES"\\]=True: expected a whole number >= 0'),
    ],
)
def test_system_check_rejects_a_bad_setting(value, message):
    with override_settings(TENANTS=tenants_setting(CLONE_SPARES=value)):
        errors = [e for e in run_checks() if e.id == "pgschemas.clone.E001"]
    assert len(errors) == 1
    assert re.search(message, errors[0].msg)


def test_system_check_requires_a_reference_for_spares():
    with override_settings(TENANTS=tenants_setting(CLONE_SPARES=3, CLONE_REFERENCE=None)):
        errors = [e for e in run_checks() if e.id == "pgschemas.clone.E001"]
    assert [e.msg for e in errors] == [
        'TENANTS["default"]["CLONE_SPARES"]=3 without a CLONE_REFERENCE: spares are clones '
        "of the reference."
    ]


def test_concurrent_creations_never_share_a_spare(spares):
    """Committed for real, in two threads: one takes the single spare, the other clones."""
    from tests.shared_app.models import Tenant

    names = ["race_a", "race_b"]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def create(schema_name: str) -> None:
        barrier.wait()
        try:
            Tenant.objects.create(schema_name=schema_name)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    def committed_spares() -> list[str]:
        return [spare.name for spare in list_spares()]

    def tickets() -> dict[str, int]:
        return {n: one(q("SELECT count(*) FROM {}", (n, "ticket"))) for n in names}

    def cleanup() -> None:
        Tenant.objects.filter(schema_name__in=names).delete()
        for schema_name in names:
            ddl.drop_schema(schema_name, if_exists=True)
        fill_spares(0)

    elsewhere(lambda: fill_spares(1))
    try:
        assert len(elsewhere(committed_spares)) == 1
        threads = [threading.Thread(target=create, args=(n,)) for n in names]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert elsewhere(committed_spares) == []  # one took it, the other cloned directly
        assert all(count >= 1 for count in elsewhere(tickets).values())
    finally:
        elsewhere(cleanup)


def test_createrefschema_fills_the_spares(spares):
    out = StringIO()
    call_command("createrefschema", stdout=out)
    assert "2 spare clone(s) of 'sample' ready (2 cloned, 0 stale dropped" in out.getvalue()
    first = spares()
    call_command("createrefschema", verbosity=0)  # nothing changed: the spares are kept
    assert spares() == first


def test_concurrent_fillers_do_not_overshoot(spares):
    barrier = threading.Barrier(2)
    results: list[Any] = []

    def fill() -> None:
        barrier.wait()
        try:
            results.append(fill_spares(2))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=fill) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(results) == 2
        assert sum(len(result.created) for result in results) == 2
        assert len(elsewhere(lambda: list_spares())) == 2
    finally:
        elsewhere(lambda: fill_spares(0))
