"""Per-tenant templates and static files: each tenant sees its own, then the project's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client, override_settings

from pgschemas.core.schema import get_public_schema, get_static_schema
from pgschemas.routing.tenant_dirs import TEMPLATE_DIRS, configured_dirs


def page(host: str) -> list[str]:
    response = Client(HTTP_HOST=host).get("/page/")
    assert response.status_code == 200, response.content
    return response.content.decode().strip().split("|")


@pytest.mark.django_db
def test_each_tenant_renders_its_own_template_then_the_projects(make_tenant: Any) -> None:
    make_tenant("assets1", domains=("assets1.test.com",))
    other = make_tenant(domains=("other.test.com",))
    # Alternate tenants: the cached loader must never hand one tenant's template to another.
    for _ in range(2):
        assert page("test.com") == [
            "www greeting",
            "/static/www/brand.css",
            "/static/www/shared.css",
        ]
        assert page("assets1.test.com") == [
            "assets1 greeting",
            "/static/assets1/brand.css",
            "/static/assets1/shared.css",
        ]
        assert page("other.test.com") == [
            "project greeting",
            f"/static/{other.schema_name}/brand.css",
            f"/static/{other.schema_name}/shared.css",
        ]
        assert page("blog.test.com")[0] == "project greeting"


@pytest.mark.django_db
def test_finder_looks_in_the_active_tenants_folders_first(make_tenant: Any) -> None:
    tenant = make_tenant("assets1")
    with tenant:
        assert Path(finders.find("brand.css")).read_text() == "/* assets1 brand */\n"
        assert Path(finders.find("shared.css")).read_text() == "/* project shared */\n"
    with get_static_schema("blog"):
        assert Path(finders.find("brand.css")).read_text() == "/* project brand */\n"


@pytest.mark.django_db
def test_collectstatic_per_tenant_serves_each_tenant_its_own_file(
    make_tenant: Any, tmp_path: Path
) -> None:
    tenant = make_tenant("assets1", domains=("assets1.test.com",))
    other = make_tenant(domains=("other.test.com",))
    with override_settings(STATIC_ROOT=tmp_path):
        for schema in (get_public_schema(), get_static_schema("www"), tenant, other):
            with schema:
                call_command("collectstatic", "--noinput", verbosity=0)
        served = {}
        for host in ("test.com", "assets1.test.com", "other.test.com"):
            _greeting, brand, shared = page(host)
            # What a web server serving STATIC_ROOT at STATIC_URL answers for those URLs.
            served[host] = [
                (tmp_path / url.removeprefix("/static/")).read_text() for url in (brand, shared)
            ]
    assert served == {
        "test.com": ["/* www brand */\n", "/* project shared */\n"],
        "assets1.test.com": ["/* assets1 brand */\n", "/* project shared */\n"],
        "other.test.com": ["/* project brand */\n", "/* project shared */\n"],
    }
    assert (tmp_path / "public" / "brand.css").read_text() == "/* project brand */\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["public", "www", "assets1", other.schema_name]
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("templates/{tenant}", "only placeholder is {schema_name}"),
        (42, "must be a list of folder paths"),
    ],
)
def test_bad_folder_settings_are_refused_by_name(value: Any, message: str, settings: Any) -> None:
    tenants = {**settings.TENANTS, "www": {**settings.TENANTS["www"], TEMPLATE_DIRS: value}}
    with override_settings(TENANTS=tenants), pytest.raises(ImproperlyConfigured, match=message):
        configured_dirs(TEMPLATE_DIRS, get_static_schema("www"))


@pytest.mark.parametrize(
    ("entry", "key", "value", "message"),
    [
        ("default", TEMPLATE_DIRS, ["tenants/{tenant}/templates"], "only placeholder is"),
        ("www", "STATICFILES_DIRS", 42, "must be a list of folder paths, got 42"),
        ("www", "STATICFILES_DIRS", {"a": 1}, "must be a list of folder paths"),
    ],
)
def test_manage_py_check_reports_bad_folder_settings(
    entry: str, key: str, value: Any, message: str, settings: Any
) -> None:
    # Found by a docs-only project: these were only reported by a 500 at the first request.
    from django.core.checks import run_checks

    tenants = {**settings.TENANTS, entry: {**settings.TENANTS[entry], key: value}}
    with override_settings(TENANTS=tenants):
        found = [m for m in run_checks() if m.id == "pgschemas.routing.E001"]
    assert len(found) == 1, found
    assert message in found[0].msg
    assert f"TENANTS[{entry!r}][{key!r}]" in found[0].msg


def test_manage_py_check_accepts_good_folder_settings() -> None:
    from django.core.checks import run_checks

    assert not [m for m in run_checks() if m.id == "pgschemas.routing.E001"]
