"""The TENANTS key registry: a package's key is parsed, validated and reported by core."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from pgschemas.core import settings_registry
from pgschemas.core.checks import check_tenants
from pgschemas.core.config import get_config
from pgschemas.core.settings_registry import (
    STATIC,
    TenantKey,
    register_key,
    unregister_key,
)


def _colour(value: Any, entry_key: str) -> str:
    if value not in ("red", "blue"):
        raise ImproperlyConfigured(
            f"TENANTS[{entry_key!r}]['COLOUR'] must be 'red' or 'blue', got {value!r}."
        )
    return str(value)


@pytest.fixture
def colour() -> Iterator[TenantKey[str]]:
    """A key a package of the test's declares: static tenants only, default "red"."""
    key = register_key(
        TenantKey(
            "COLOUR",
            "pgschemas-paint",
            frozenset({STATIC}),
            "red",
            _colour,
            check_id="pgschemas_paint.E001",
            hint='e.g. "COLOUR": "blue"',
        )
    )
    yield key
    unregister_key("COLOUR")


def tenants_with(**blog: Any) -> dict[str, Any]:
    value = copy.deepcopy(settings.TENANTS)
    value["blog"] = {**value["blog"], **blog}
    return value


def reported(**blog: Any) -> list[tuple[str, str, str | None]]:
    with override_settings(TENANTS=tenants_with(**blog)):
        return [(m.id, m.msg, m.hint) for m in check_tenants()]


def test_a_declared_key_is_parsed_and_read_typed(colour: TenantKey[str]) -> None:
    with override_settings(TENANTS=tenants_with(COLOUR="blue")):
        entry = get_config().static["blog"]
        assert entry.value(colour) == "blue"
        assert entry.option("COLOUR") == "blue"
        assert check_tenants() == []
    assert get_config().static["blog"].value(colour) == "red"  # unset: the default


def test_a_key_declared_after_parsing_is_seen(colour: TenantKey[str]) -> None:
    unregister_key("COLOUR")
    with override_settings(TENANTS=tenants_with(COLOUR="blue")):
        assert get_config().static["blog"].option("COLOUR", "none") == "none"
        register_key(colour)
        assert get_config().static["blog"].options["COLOUR"] == "blue"


def test_a_refused_value_is_reported_with_the_keys_id(colour: TenantKey[str]) -> None:
    assert reported(COLOUR="green") == [
        (
            "pgschemas_paint.E001",
            "TENANTS['blog']['COLOUR'] must be 'red' or 'blue', got 'green'.",
            'e.g. "COLOUR": "blue"',
        )
    ]
    # Only a reader of the key sees the error, not every reader of the configuration.
    with override_settings(TENANTS=tenants_with(COLOUR="green")):
        entry = get_config().static["blog"]
        assert entry.apps == ("tests.blog_app",)
        with pytest.raises(ImproperlyConfigured, match="got 'green'"):
            entry.value(colour)


def test_a_key_in_an_entry_it_does_not_belong_to(colour: TenantKey[str]) -> None:
    value = copy.deepcopy(settings.TENANTS)
    value["default"]["COLOUR"] = "blue"
    with override_settings(TENANTS=value):
        found = [(m.id, m.msg) for m in check_tenants()]
    assert found == [
        (
            "pgschemas.E021",
            "TENANTS['default'] sets COLOUR='blue', but COLOUR (pgschemas-paint) only "
            "applies to these entries: static.",
        )
    ]


def test_an_unknown_key_is_reported_with_the_keys_of_each_package() -> None:
    [(check_id, message, hint)] = reported(URLCONFS="tests.urls")
    assert check_id == "pgschemas.E020"
    assert message == (
        "TENANTS['blog'] sets 'URLCONFS', which no installed pgschemas package reads."
    )
    assert hint is not None
    assert hint.startswith("Did you mean 'URLCONF'? Keys by package: ")
    assert "pgschemas-core: APPS, DOMAIN_MODEL, TENANT_MODEL, URLCONF" in hint


def test_a_key_of_a_package_not_installed_names_the_package(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A key the family knows, of a distribution that is not installed here.
    monkeypatch.setitem(settings_registry.KNOWN_OWNERS, "PAINT_STYLE", "pgschemas-paint")
    assert settings_registry.find_key("PAINT_STYLE") is None
    assert reported(PAINT_STYLE="matte") == [
        (
            "pgschemas.E020",
            "TENANTS['blog'] sets 'PAINT_STYLE', which no installed pgschemas package reads.",
            "PAINT_STYLE is read by pgschemas-paint, which is not installed: install "
            "pgschemas-paint.",
        )
    ]
    with override_settings(TENANTS=tenants_with(PAINT_STYLE="matte")):
        assert get_config().static["blog"].option("PAINT_STYLE", "unset") == "unset"


def test_a_family_package_declares_its_keys_from_its_tenant_keys_module() -> None:
    assert settings_registry.keys_module("pgschemas-routing") == "pgschemas.routing.tenant_keys"


def test_two_packages_cannot_declare_one_key(colour: TenantKey[str]) -> None:
    other = TenantKey("COLOUR", "pgschemas-other", frozenset({STATIC}), "", _colour, "x.E001")
    with pytest.raises(ImproperlyConfigured, match="declared by both pgschemas-paint and"):
        register_key(other)


def test_core_declares_only_its_own_keys() -> None:
    settings_registry.load_all()
    core = settings_registry.keys_by_package()["pgschemas-core"]
    assert core == ["APPS", "DOMAIN_MODEL", "TENANT_MODEL", "URLCONF"]


def test_a_schema_naming_key_gives_core_the_reference(reference_key: str) -> None:
    assert get_config().clone_reference is None
    value = copy.deepcopy(settings.TENANTS)
    value["default"][reference_key] = "sample"
    with override_settings(TENANTS=value):
        config = get_config()
        assert config.clone_reference == "sample"
        assert "sample" in config.reserved_names()
        assert config.tenant_config_for("sample", is_dynamic=False) is config.default
