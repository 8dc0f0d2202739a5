from __future__ import annotations

import copy
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from pgschemas.core.checks import check_tenants
from pgschemas.core.config import get_config
from pgschemas.core.routers import TenantAppsRouter


def tenants(**changes: Any) -> dict[str, Any]:
    value = copy.deepcopy(settings.TENANTS)
    for key, entry in changes.items():
        if entry is None:
            value.pop(key, None)
        else:
            value[key] = entry
    return value


def ids(**overrides: Any) -> list[tuple[str, str]]:
    with override_settings(**overrides):
        return [(message.id, message.msg) for message in check_tenants()]


def only(found: list[tuple[str, str]], check_id: str) -> list[str]:
    return [msg for id_, msg in found if id_ == check_id]


def test_the_test_settings_are_clean() -> None:
    assert check_tenants() == []


def test_tenants_must_be_a_dict() -> None:
    assert only(ids(TENANTS=["public"]), "pgschemas.E001") == ["TENANTS must be a dict, got list."]


def test_public_is_required() -> None:
    assert only(ids(TENANTS=tenants(public=None)), "pgschemas.E002")


def test_public_cannot_be_routed() -> None:
    # Core's URLCONF here; the keys of routing and channels in their own suites.
    public = {**settings.TENANTS["public"], "URLCONF": "x"}
    assert only(ids(TENANTS=tenants(public=public)), "pgschemas.E003") == [
        "TENANTS[\"public\"] cannot be routed, but it sets URLCONF='x'."
    ]


def test_tenant_model_in_public_or_default_not_both() -> None:
    default = {**settings.TENANTS["default"], "TENANT_MODEL": "shared_app.Tenant"}
    assert only(ids(TENANTS=tenants(default=default)), "pgschemas.E004")
    public = {k: v for k, v in settings.TENANTS["public"].items() if k != "TENANT_MODEL"}
    with override_settings(TENANTS=tenants(public=public, default=default)):
        assert check_tenants() == []
        assert get_config().tenant_model == "shared_app.Tenant"


def test_default_requires_urlconf() -> None:
    default = {"APPS": ["tests.tenant_app"]}
    assert only(ids(TENANTS=tenants(default=default)), "pgschemas.E005")


@pytest.mark.parametrize("key", ["Blog", "pg_blog", "bad-name"])
def test_static_keys_must_be_schema_names(key: str) -> None:
    messages = only(ids(TENANTS=tenants(**{key: {"APPS": []}})), "pgschemas.E006")
    assert messages and repr(key) in messages[0]


def test_a_schema_naming_key_must_be_valid_and_unique(reference_key: str) -> None:
    """What core checks of pgschemas-clone's CLONE_REFERENCE, with a key of the test's."""
    bad = {**settings.TENANTS["default"], reference_key: "Sample"}
    assert only(ids(TENANTS=tenants(default=bad)), "pgschemas.E006") == [
        f'TENANTS["default"]["{reference_key}"]=\'Sample\': use lowercase only (PostgreSQL '
        "folds unquoted names): try 'sample'."
    ]
    clash = {**settings.TENANTS["default"], reference_key: "blog"}
    assert only(ids(TENANTS=tenants(default=clash)), "pgschemas.E007") == [
        f"{reference_key}='blog' clashes with the static tenant of the same name."
    ]
    assert only(
        ids(TENANTS=tenants(default=clash), PGSCHEMAS_EXTRA_SEARCH_PATHS=["blog"]), "pgschemas.E012"
    )


def test_every_tenant_needs_apps() -> None:
    messages = only(ids(TENANTS=tenants(blog={"DOMAINS": ["b.test"]})), "pgschemas.E008")
    assert messages == ["TENANTS['blog'] has no APPS list (got None)."]


def test_contenttypes_only_in_public() -> None:
    blog = {"APPS": ["tests.blog_app", "django.contrib.contenttypes"]}
    assert only(ids(TENANTS=tenants(blog=blog)), "pgschemas.E009")


def test_sessions_need_the_user_models_app() -> None:
    blog = {"APPS": ["tests.blog_app", "django.contrib.sessions"]}
    assert only(ids(TENANTS=tenants(blog=blog)), "pgschemas.E010") == [
        "'django.contrib.sessions' is in TENANTS['blog'][\"APPS\"] without "
        "'django.contrib.auth', the app of AUTH_USER_MODEL='auth.User'."
    ]


def test_sessions_next_to_a_custom_user_models_app_is_valid() -> None:
    # django-pgschemas' own sandbox: django.contrib.auth in public, the app of the custom
    # user model next to the sessions in each tenant. (blog_app stands for that app here.)
    blog = {"APPS": ["tests.blog_app", "django.contrib.sessions"]}
    found = ids(TENANTS=tenants(blog=blog), AUTH_USER_MODEL="blog_app.Post")
    assert only(found, "pgschemas.E010") == []
    default = {
        **settings.TENANTS["default"],
        "APPS": ["tests.tenant_app", "django.contrib.sessions"],
    }
    found = ids(TENANTS=tenants(default=default), AUTH_USER_MODEL="blog_app.Post")
    assert only(found, "pgschemas.E010") == [
        "'django.contrib.sessions' is in TENANTS['default'][\"APPS\"] without "
        "'tests.blog_app', the app of AUTH_USER_MODEL='blog_app.Post'."
    ]


def test_tenant_model_app_only_in_public() -> None:
    blog = {"APPS": ["tests.blog_app", "tests.shared_app"]}
    assert only(ids(TENANTS=tenants(blog=blog)), "pgschemas.E011")
    public = {**settings.TENANTS["public"], "APPS": ["django.contrib.contenttypes"]}
    assert only(ids(TENANTS=tenants(public=public)), "pgschemas.E011")


@pytest.mark.django_db
def test_extra_search_paths_never_name_tenants(make_tenant: Any) -> None:
    from pgschemas.core.checks import check_extra_paths_against_dynamic

    assert only(ids(PGSCHEMAS_EXTRA_SEARCH_PATHS=["blog"]), "pgschemas.E012")
    make_tenant("dyn_clash")
    with override_settings(PGSCHEMAS_EXTRA_SEARCH_PATHS=["dyn_clash", "extensions"]):
        # The comparison with dynamic tenants queries the database: a `database` check.
        assert check_tenants() == []
        assert check_extra_paths_against_dynamic() == []  # not asked for the database
        found = check_extra_paths_against_dynamic(databases=["default"])
    assert [(m.id, m.msg) for m in found] == [
        (
            "pgschemas.E012",
            "PGSCHEMAS_EXTRA_SEARCH_PATHS names 'dyn_clash', which is a dynamic tenant.",
        )
    ]
    assert ids(PGSCHEMAS_EXTRA_SEARCH_PATHS=["extensions"]) == []


def test_checks_that_query_the_database_are_tagged_database() -> None:
    from django.core.checks import registry

    from pgschemas.core.checks import (
        check_citus,
        check_dynamic_tenant_names,
        check_extra_paths_against_dynamic,
    )

    database_checks = registry.registry.get_checks(include_deployment_checks=False)
    for check in (check_citus, check_dynamic_tenant_names, check_extra_paths_against_dynamic):
        assert check in database_checks
        assert "database" in check.tags and "pgschemas" in check.tags
    assert "database" not in check_tenants.tags  # type: ignore[attr-defined]


def test_dynamic_tenants_need_a_model_and_a_default() -> None:
    public = {k: v for k, v in settings.TENANTS["public"].items() if k != "TENANT_MODEL"}
    assert only(ids(TENANTS=tenants(public=public)), "pgschemas.E013")
    assert only(ids(TENANTS=tenants(default=None)), "pgschemas.E013")


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_backend_and_router_are_required() -> None:
    databases = copy.deepcopy(settings.DATABASES)
    databases["default"]["ENGINE"] = "django.db.backends.postgresql"
    assert only(ids(DATABASES=databases), "pgschemas.E017")
    assert only(ids(DATABASE_ROUTERS=[]), "pgschemas.E018")
    assert only(ids(DATABASE_ROUTERS=["tests.test_checks.NotOurRouter"]), "pgschemas.E018")
    assert only(ids(PGSCHEMAS_TENANT_DB_ALIAS="tenants"), "pgschemas.E016")


class NotOurRouter:
    pass


class OurRouterSubclass(TenantAppsRouter):
    pass


def test_the_router_is_recognised_as_a_class_not_a_string() -> None:
    """A subclass by dotted path, or an instance, is accepted (E018 compares classes)."""
    assert (
        only(ids(DATABASE_ROUTERS=["tests.test_checks.OurRouterSubclass"]), "pgschemas.E018") == []
    )
    assert only(ids(DATABASE_ROUTERS=[OurRouterSubclass()]), "pgschemas.E018") == []


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
def test_the_backend_is_recognised_by_its_wrapper_class() -> None:
    """E017 loads ENGINE's DatabaseWrapper and compares classes: a module re-exporting
    pgschemas' wrapper passes, whatever its path; an unloadable engine does not."""
    databases = copy.deepcopy(settings.DATABASES)
    databases["default"]["ENGINE"] = "tests.reexported_backend"
    assert only(ids(DATABASES=databases), "pgschemas.E017") == []
    databases["default"]["ENGINE"] = "no.such.backend"
    assert only(ids(DATABASES=databases), "pgschemas.E017")


def test_apps_not_installed_warn() -> None:
    blog = {"APPS": ["tests.blog_app", "not.installed"]}
    assert only(ids(TENANTS=tenants(blog=blog)), "pgschemas.W006") == [
        "TENANTS['blog'][\"APPS\"] lists 'not.installed', which is not in INSTALLED_APPS."
    ]


def test_a_registered_alias_silences_our_check() -> None:
    from pgschemas.core.checks import _silencing_aliases, register_silencing_alias

    blog = {"APPS": ["tests.blog_app", "django.contrib.contenttypes"]}
    register_silencing_alias("pgschemas.E009", "other.W002")
    try:
        assert only(ids(TENANTS=tenants(blog=blog)), "pgschemas.E009")
        silenced = ids(TENANTS=tenants(blog=blog), SILENCED_SYSTEM_CHECKS=["other.W002"])
        assert only(silenced, "pgschemas.E009") == []
    finally:
        _silencing_aliases.pop("pgschemas.E009")


@pytest.mark.django_db
def test_a_dynamic_tenant_named_like_a_static_one_is_reported(make_tenant: Any) -> None:
    from pgschemas.core.checks import check_dynamic_tenant_names

    make_tenant("later_static")
    assert check_dynamic_tenant_names(databases=["default"]) == []
    with override_settings(TENANTS=tenants(later_static={"APPS": ["tests.blog_app"]})):
        assert check_dynamic_tenant_names() == []  # not asked for the database
        found = check_dynamic_tenant_names(databases=["default"])
        assert [(m.id, m.msg) for m in found] == [
            (
                "pgschemas.E019",
                "The dynamic tenant 'later_static' has the name of a static tenant or of the "
                "clone reference in TENANTS.",
            )
        ]


def test_checks_run_through_manage_py_check() -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    with (
        override_settings(TENANTS=tenants(public=None)),
        pytest.raises(SystemCheckError, match=r"pgschemas\.E002"),
    ):
        call_command("check")
