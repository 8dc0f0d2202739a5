"""``"django_pgschemas"`` alone in INSTALLED_APPS gives every pgschemas app's behaviour."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.checks import run_checks
from django.core.management import call_command, get_commands
from django.db import connection
from django.test import override_settings

from django_pgschemas import _siblings, utils
from django_pgschemas.schema import Schema, get_current_schema


def test_listed_alone_it_provides_the_commands() -> None:
    commands = get_commands()
    for name in (
        "runschema",
        "migrate",
        "migrateschema",
        "whowill",
        "createrefschema",
        "cloneschema",
        "clonespares",
        "createtenant",
        "deletetenant",
        "renametenant",
        "listtenants",
    ):
        assert commands[name] == "django_pgschemas", name


def test_listed_alone_it_ran_the_sibling_apps_ready() -> None:
    assert set(_siblings.SIBLING_APPS) <= _siblings.stood_in_for()


def test_core_system_checks_run_through_it() -> None:
    with override_settings(TENANTS={"www": {"APPS": []}}):
        ids = {message.id for message in run_checks()}
    assert "pgschemas.E002" in ids  # no "public" entry: reported by pgschemas-core's check


@pytest.mark.django_db
def test_the_project_passes_every_check() -> None:
    call_command("check", fail_level="WARNING")


def test_listing_siblings_too_registers_nothing_twice() -> None:
    from django.conf import settings

    both = ["pgschemas.core", "pgschemas.commands", *settings.INSTALLED_APPS]
    before = _siblings.stood_in_for()
    with override_settings(INSTALLED_APPS=both):
        assert _siblings.missing_from_installed_apps(apps) == [
            name for name in ("pgschemas.routing", "pgschemas.clone") if _siblings.available(name)
        ]
        assert get_commands()["runschema"] in ("pgschemas.commands", "django_pgschemas")
        assert not [m for m in run_checks() if m.level >= 40]
    assert _siblings.stood_in_for() == before


@pytest.mark.django_db
def test_tenant_model_from_the_alias_path_creates_a_schema() -> None:
    from tests.customers.models import Product
    from tests.tenants.models import Tenant

    tenant = Tenant.objects.create(schema_name="acme")  # creation itself is under test
    with tenant:
        Product.objects.create(name="anvil")
        assert get_current_schema() is tenant
    assert utils.schema_exists("acme")
    with Schema.create("www"):
        assert not Product.objects.exists()


@pytest.mark.django_db
def test_whowill_and_runschema_by_their_django_pgschemas_names(make_tenant: Any) -> None:
    make_tenant("globex")
    out = io.StringIO()
    call_command("whowill", schemas=[":dynamic:"], stdout=out)
    assert "globex" in out.getvalue()


@pytest.mark.django_db
def test_make_key_through_the_cache_setting(make_tenant: Any) -> None:
    tenant = make_tenant("initech")
    cache.set("menu", "public menu")
    with tenant:
        assert cache.get("menu") is None
        cache.set("menu", "tenant menu")
        assert cache.make_key("menu").startswith("initech:")
    assert cache.get("menu") == "public menu"


@pytest.mark.django_db
def test_utils_create_and_drop_schema_report_what_they_did() -> None:
    assert utils.create_schema("scratch_utils", sync_schema=True, verbosity=0) is True
    assert utils.create_schema("scratch_utils", check_if_exists=True) is False
    with Schema("scratch_utils", is_dynamic=True):
        assert "customers_product" in connection.introspection.table_names()
    assert utils.drop_schema("scratch_utils") is True
    assert utils.drop_schema("scratch_utils") is False
    assert utils.get_clone_reference() == "sample"
    assert utils.get_tenant_database_alias() == "default"


def test_run_in_public_schema_restores_the_previous_schema() -> None:
    seen: list[str] = []

    @utils.run_in_public_schema
    def where() -> None:
        seen.append(get_current_schema().schema_name)

    with Schema.create("www"):
        where()
        assert get_current_schema().schema_name == "www"
    assert seen == ["public"]


@pytest.mark.django_db
def test_domain_routing_through_the_alias_middleware(make_tenant: Any, client: Any) -> None:
    from tests.tenants.models import Domain

    tenant = make_tenant("hooli")
    Domain.objects.create(tenant=tenant, domain="hooli.example.com")
    Domain.objects.create(tenant=tenant, domain="tenants.example.com", folder="hooli")
    assert client.get("/", HTTP_HOST="hooli.example.com").content == b"hooli"
    assert client.get("/hooli/", HTTP_HOST="tenants.example.com").content == b"hooli"
    assert client.get("/", HTTP_HOST="www.example.com").content == b"www"
    assert client.get("/", HTTP_HOST="nobody.example.com").status_code == 404


@pytest.mark.django_db
def test_data_in_the_reference_is_cloned_into_new_tenants() -> None:
    from tests.customers.models import Product
    from tests.tenants.models import Tenant

    call_command("runschema", "shell", "-c", "pass", "-s", "sample", stdout=io.StringIO())
    with Schema.create("sample"):
        Product.objects.create(name="from the reference")
    tenant = Tenant.objects.create(schema_name="cloned_one")  # the clone is under test
    with tenant:
        assert list(Product.objects.values_list("name", flat=True)) == ["from the reference"]


@pytest.mark.django_db
def test_utils_clone_schema_dry_run_leaves_nothing() -> None:
    utils.clone_schema("sample", "dry_clone", dry_run=True)
    assert not utils.schema_exists("dry_clone")
    utils.clone_schema("sample", "real_clone")
    assert utils.schema_exists("real_clone")


def test_older_engine_and_router_spellings_pass_the_checks(monkeypatch: Any) -> None:
    from django.conf import settings

    # The check reads the setting only; the open connection keeps its own copy.
    monkeypatch.setitem(
        settings.DATABASES["default"], "ENGINE", "django_pgschemas.postgresql_backend"
    )
    with override_settings(DATABASE_ROUTERS=["django_pgschemas.routers.SyncRouter"]):
        ids = {message.id for message in run_checks()}
    assert not ids & {"pgschemas.E017", "pgschemas.E018"}, ids
