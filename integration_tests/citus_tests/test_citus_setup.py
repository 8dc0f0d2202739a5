"""The documented setup on a real Citus cluster: reference tables, distributed schemas, checks."""

from __future__ import annotations

from django.core.checks import run_checks
from django.db import connection
from django.test import override_settings

from pgschemas.core import Schema
from pgschemas.core.citus import check_citus, is_reference_table

from .conftest import is_distributed_schema, node_of, sql


def test_the_search_path_set_with_each_statement_reaches_the_coordinator():
    """The core's piggybacked set_config + regnamespace check works through Citus."""
    from shared_common.models import Note

    with Schema.create("www"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            assert cursor.fetchone()[0] == "www"
        Note.objects.create(text="citus search path")
        try:
            # The unqualified table is www's (a distributed table on a worker).
            assert sql("SELECT count(*) FROM www.shared_common_note")[0][0] == 1
        finally:
            Note.objects.all().delete()


def test_functions_pushed_down_to_a_worker_do_not_see_the_search_path():
    """A Citus limit (docs/citus.md): a query on a tenant table runs on its worker, where
    ``current_schema()`` is evaluated in the worker's own session."""
    with Schema.create("www"), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema(), count(*) FROM shared_common_note")
        assert cursor.fetchone()[0] == "public"


def test_public_tables_pointed_at_by_tenants_are_reference_tables():
    assert is_reference_table(connection, "django_content_type")
    # Everything else in public stays an ordinary table on the coordinator.
    assert not is_reference_table(connection, "shared_public_tenant")


def test_static_tenants_and_the_clone_reference_are_distributed_schemas():
    for schema in ("www", "blog", "sample"):
        assert is_distributed_schema(schema), schema
        node_of(schema)  # all of its tables on one worker
    assert not is_distributed_schema("public")


def test_the_system_check_is_clean_on_the_documented_setup():
    messages = run_checks(databases=["default"], include_deployment_checks=False)
    assert [m for m in messages if m.id and m.id.startswith("pgschemas.")] == []


def test_the_system_check_warns_when_schema_based_sharding_is_off():
    with connection.cursor() as cursor:
        cursor.execute("SET citus.enable_schema_based_sharding = off")
    try:
        ids = [message.id for message in check_citus(databases=["default"])]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET citus.enable_schema_based_sharding")
    assert ids == ["pgschemas.W041"]


def test_the_system_check_reports_a_tenant_foreign_key_to_a_plain_public_table():
    """A tenant app pointing at a public table that is not a reference table is caught."""
    from django.conf import settings

    tenants = {
        **settings.TENANTS,
        "default": {
            **settings.TENANTS["default"],
            "APPS": [*settings.TENANTS["default"]["APPS"], "citus_tests.citus_tenant"],
        },
    }
    with override_settings(TENANTS=tenants):
        messages = check_citus(databases=["default"])
    assert [m.id for m in messages] == ["pgschemas.E042"]
    assert "citus_tenant.Subscription" in messages[0].msg
    assert "public.citus_public_plan" in messages[0].msg
    assert 'CreateReferenceTable("citus_public.Plan")' in messages[0].hint
