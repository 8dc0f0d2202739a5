"""The pytest fixtures, as a project's tests use them."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections, transaction
from django.test import override_settings

from pgschemas.core import ddl, get_current_schema
from pgschemas.testing import TenantClient, TenantFactory
from pgschemas.testing.spares import spare_names, worker_id
from tests.shared_app.models import Domain, Tenant
from tests.tenant_app.models import Item


def test_tenant_has_schema_tables_and_domain(tenant: Any) -> None:
    assert Tenant.objects.get(pk=tenant.pk).schema_name == tenant.schema_name
    assert ddl.schema_exists(tenant.schema_name)
    assert worker_id() in tenant.schema_name
    assert list(Domain.objects.filter(tenant=tenant).values_list("domain", "folder")) == [
        ("tenant.test", "")
    ]
    with tenant:
        Item.objects.create(name="first")
        assert list(Item.objects.values_list("name", flat=True)) == ["first"]


def test_tenant_is_made_from_a_spare_schema(tenant_factory: Any) -> None:
    spares = spare_names()
    assert all(ddl.schema_exists(name) for name in spares)
    first = tenant_factory()
    assert not ddl.schema_exists(spares[0])  # renamed into the tenant
    assert ddl.schema_exists(first.schema_name)


def test_more_tenants_than_spares_still_get_their_tables(tenant_factory: Any) -> None:
    tenants = [tenant_factory(name=f"n{index}") for index in range(len(spare_names()) + 1)]
    for index, made in enumerate(tenants):
        with made:
            Item.objects.create(name=f"item{index}")
            assert list(Item.objects.values_list("name", flat=True)) == [f"item{index}"]


def test_rolling_back_gives_the_spare_back_empty(tenant_factory: Any) -> None:
    spare = spare_names()[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        made = tenant_factory("rolled_back", domain="gone.test")
        with made:
            Item.objects.create(name="kept?")
        raise RuntimeError("roll back")
    assert ddl.schema_exists(spare)
    assert not ddl.schema_exists("rolled_back")
    assert not Tenant.objects.filter(schema_name="rolled_back").exists()
    again = tenant_factory("again")
    with again:
        assert Item.objects.count() == 0


def test_tenant_client_reaches_the_tenant(tenant: Any, tenant_client: Any) -> None:
    with tenant:
        Item.objects.create(name="mine")
    body = tenant_client.get("/whoami/").json()
    assert body == {
        "schema": tenant.schema_name,
        "current_schema": tenant.schema_name,
        "path": "/whoami/",
        "items": ["mine"],
    }


@pytest.mark.parametrize("tenant_folder", ["shop"])
def test_folder_tenant_client_prefixes_paths(tenant: Any, tenant_client: Any) -> None:
    body = tenant_client.get("/whoami/").json()
    assert (body["schema"], body["path"]) == (tenant.schema_name, "/shop/whoami/")
    assert tenant_client.get("/shop/whoami/").json()["path"] == "/shop/whoami/"


def test_two_tenants_do_not_see_each_other(tenant_factory: Any, tenant_client_for: Any) -> None:
    one = tenant_factory(domain="one.test")
    two = tenant_factory(domain="two.test")
    with one:
        Item.objects.create(name="one's")
    assert tenant_client_for(one).get("/whoami/").json()["items"] == ["one's"]
    assert tenant_client_for(two).get("/whoami/").json()["items"] == []


def test_active_tenant(active_tenant: Any) -> None:
    assert get_current_schema() is active_tenant
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        assert cursor.fetchone() == (active_tenant.schema_name,)


def test_static_tenants_by_domain_and_folder(static_tenant: Any, tenant_client_for: Any) -> None:
    www = static_tenant("www")
    assert (www.schema_name, www.domain, www.folder) == ("www", "www.test.com", "")
    assert tenant_client_for(www).get("/whoami/").json()["schema"] == "www"
    docs = static_tenant("docs")
    assert (docs.domain, docs.folder) == ("docs.test.com", "manual")
    body = tenant_client_for(docs).get("/whoami/").json()
    assert (body["schema"], body["path"]) == ("docs", "/manual/whoami/")


@pytest.mark.django_db(transaction=True)
def test_committed_tenant_is_visible_to_other_connections(tenant_factory: Any) -> None:
    made = tenant_factory(domain="committed.test")
    with made:
        Item.objects.create(name="committed")
    seen: list[Any] = []

    def other_thread() -> None:
        try:
            with Tenant.objects.get(schema_name=made.schema_name):
                seen.extend(Item.objects.values_list("name", flat=True))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen == ["committed"]


@pytest.mark.django_db(transaction=True)
def test_committed_tenant_cleanup_gives_the_spare_back_empty() -> None:
    factory = TenantFactory()
    factory.prepare()
    made = factory.create("committed_once")
    with made:
        Item.objects.create(name="left over?")
    factory.cleanup()
    assert not Tenant.objects.filter(schema_name="committed_once").exists()
    assert not ddl.schema_exists("committed_once")
    assert all(ddl.schema_exists(name) for name in spare_names())
    again = factory.create("committed_twice")
    with again:
        assert Item.objects.count() == 0
    factory.cleanup()


def test_domain_without_domain_model_is_a_clear_error(tenant_factory: Any) -> None:
    from django.conf import settings

    tenants = {**settings.TENANTS, "public": {**settings.TENANTS["public"]}}
    del tenants["public"]["DOMAIN_MODEL"]
    with override_settings(TENANTS=tenants), pytest.raises(ImproperlyConfigured, match="DOMAIN"):
        tenant_factory(domain="nope.test")


def test_client_for_a_tenant_without_domain_says_so(tenant_factory: Any) -> None:
    bare = tenant_factory("bare")
    with pytest.raises(ValueError, match="'bare' has no domain"):
        TenantClient(bare)


def test_core_only_projects_get_tenants_without_domain(tenant_factory: Any) -> None:
    from django.conf import settings

    from pgschemas.testing.factory import default_domain

    assert default_domain() == "tenant.test"
    tenants = {**settings.TENANTS, "public": {**settings.TENANTS["public"]}}
    del tenants["public"]["DOMAIN_MODEL"]
    with override_settings(TENANTS=tenants):
        assert default_domain() == ""
        made = tenant_factory(default_domain())
        assert not Domain.objects.filter(tenant=made).exists()


def test_a_test_asking_only_for_tenant_runs_in_the_test_database_quietly(tmp_path: Any) -> None:
    # No marker, no `db`: pytest-django creates the test databases the session's tests
    # declare, so the fixtures must declare theirs, or the test would run (and leave spare
    # schemas) in the real database. Here the "real" database does not even exist.
    import os
    import subprocess
    import sys
    import uuid
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent
    real = f"pgschemas_testing_real_{uuid.uuid4().hex[:8]}"
    (tmp_path / "outer_settings.py").write_text(
        "from tests.settings import *  # noqa: F403\n"
        "from tests.settings import DATABASES\n"
        f"DATABASES['default'] = {{**DATABASES['default'], 'NAME': {real!r}, "
        f"'TEST': {{'NAME': 'test_{real}'}}}}\n"
        # With a clone reference configured (none is built in a test database), spares
        # are built by migrations without pgschemas-clone's createrefschema advice.
        "INSTALLED_APPS = [*INSTALLED_APPS, 'pgschemas.clone']\n"
        "TENANTS = {**TENANTS, 'default': {**TENANTS['default'], 'CLONE_REFERENCE': 'sample'}}\n"
    )
    (tmp_path / "test_only_fixtures.py").write_text(
        "def test_only_fixtures(tenant):\n"
        "    from django.db import connection\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT current_database()')\n"
        "        print('RAN IN', cursor.fetchone()[0])\n"
    )
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-s",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "-o",
            "addopts=",
            "--ds=outer_settings",
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_only_fixtures.py"),
        ],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(package)])},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert f"RAN IN test_{real}" in run.stdout
    assert "ReferenceNotReadyWarning" not in run.stdout + run.stderr
