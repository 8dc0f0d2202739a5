"""The TENANTS keys pgschemas-routing declares: parsed here, checked through core's registry."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from pgschemas.core.config import get_config
from pgschemas.core.settings_registry import declared_keys, keys_by_package
from pgschemas.routing.tenant_keys import DOMAINS, FALLBACK_DOMAINS, HEADER, SESSION_KEY


def with_entry(entry: str, **keys: Any) -> dict[str, Any]:
    value = copy.deepcopy(settings.TENANTS)
    value[entry] = {**value[entry], **keys}
    return value


def found(check_id: str, **overrides: Any) -> list[str]:
    with override_settings(**overrides):
        return [m.msg for m in run_checks() if m.id == check_id]


def test_routing_declares_its_keys() -> None:
    assert keys_by_package()["pgschemas-routing"] == [
        "DOMAINS",
        "FALLBACK_DOMAINS",
        "HEADER",
        "SESSION_KEY",
        "STATICFILES_DIRS",
        "TEMPLATE_DIRS",
    ]
    assert declared_keys()["DOMAINS"] is DOMAINS


def test_values_are_parsed() -> None:
    blog = get_config().static["blog"]
    assert blog.value(DOMAINS) == ("blog.test.com", "static.test.com/blog")
    assert blog.value(FALLBACK_DOMAINS) == ("fallback.test.com",)
    assert blog.value(HEADER) == "blog-header"
    assert blog.value(SESSION_KEY) == "blog-session"
    with override_settings(TENANTS=with_entry("blog", DOMAINS="one.test.com")):
        assert get_config().static["blog"].value(DOMAINS) == ("one.test.com",)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        (
            "DOMAINS",
            42,
            "TENANTS['blog']['DOMAINS'] must be a string or a list of strings, got 42.",
        ),
        (
            "FALLBACK_DOMAINS",
            ["a.test", 1],
            "TENANTS['blog']['FALLBACK_DOMAINS'] must be a string or a list of strings, "
            "got ['a.test', 1].",
        ),
        ("HEADER", 7, "TENANTS['blog']['HEADER'] must be a string, got 7."),
        ("SESSION_KEY", ["x"], "TENANTS['blog']['SESSION_KEY'] must be a string, got ['x']."),
    ],
)
def test_a_bad_value_is_reported_naming_it(key: str, value: Any, message: str) -> None:
    assert found("pgschemas.routing.E002", TENANTS=with_entry("blog", **{key: value})) == [message]
    with override_settings(TENANTS=with_entry("blog", **{key: value})):
        declared = declared_keys()[key]
        with pytest.raises(ImproperlyConfigured, match="TENANTS\\['blog'\\]"):
            get_config().static["blog"].value(declared)


@pytest.mark.parametrize("key", ["DOMAINS", "FALLBACK_DOMAINS", "HEADER", "SESSION_KEY"])
def test_public_cannot_be_routed(key: str) -> None:
    assert found("pgschemas.E003", TENANTS=with_entry("public", **{key: "x"})) == [
        f"TENANTS[\"public\"] cannot be routed, but it sets {key}='x'."
    ]


@pytest.mark.parametrize("key", ["DOMAINS", "FALLBACK_DOMAINS"])
def test_default_cannot_have_domains(key: str) -> None:
    assert found("pgschemas.E014", TENANTS=with_entry("default", **{key: ["d.test"]})) == [
        f'TENANTS["default"] cannot set {key}; dynamic tenants get their domains from the '
        "domain model."
    ]


def test_one_domain_spelled_two_ways_in_two_static_tenants() -> None:
    """E015 compares domains as routing does (case, trailing dot)."""
    tenants = copy.deepcopy(settings.TENANTS)
    tenants["blog"]["DOMAINS"] = ["Acme.test."]
    tenants["www"]["DOMAINS"] = ["acme.test", "other.test/x"]
    assert found("pgschemas.E015", TENANTS=tenants) == [
        "Domain 'Acme.test.' is listed in DOMAINS of both 'www' and 'blog'."
    ]


def test_the_test_settings_are_clean() -> None:
    assert [m for m in run_checks() if m.id.startswith("pgschemas")] == []
