"""The parsed TENANTS follows the setting, also when a test edits it in place."""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from typing import Any

import pytest
from django.test import override_settings

from pgschemas.core.config import extra_search_paths, get_config, pinned_config
from pgschemas.core.utils import get_tenant_model


@pytest.fixture
def tenants(settings: Any) -> Iterator[dict[str, Any]]:
    """settings.TENANTS itself (the same dict object), restored in place afterwards."""
    backup = deepcopy(settings.TENANTS)
    yield settings.TENANTS
    settings.TENANTS.clear()
    settings.TENANTS.update(backup)


def test_in_place_edit_of_a_static_tenant_is_seen(tenants: dict[str, Any]) -> None:
    assert "blog" in get_config().static

    tenants["news"] = {"APPS": ["tests.blog_app"]}
    del tenants["blog"]

    assert set(get_config().static) == {"news"}


def test_in_place_removal_of_dynamic_tenants_is_seen(tenants: dict[str, Any]) -> None:
    assert get_tenant_model() is not None

    del tenants["default"]
    del tenants["public"]["TENANT_MODEL"]

    assert get_tenant_model() is None
    assert get_config().default is None


def test_in_place_edit_of_a_nested_value_is_seen(
    tenants: dict[str, Any], reference_key: str
) -> None:
    assert get_config().clone_reference is None

    tenants["default"][reference_key] = "sample"

    assert get_config().clone_reference == "sample"


def test_restored_setting_is_seen_again(tenants: dict[str, Any]) -> None:
    before = get_config()
    default = tenants.pop("default")
    assert get_config().default is None

    tenants["default"] = default

    assert get_config() == before


def test_a_pinned_config_is_read_once(tenants: dict[str, Any]) -> None:
    with pinned_config() as config:
        tenants["news"] = {"APPS": ["tests.blog_app"]}
        assert get_config() is config  # an in-place edit waits for the pin to end
    assert "news" in get_config().static


def test_override_settings_ends_a_pin(tenants: dict[str, Any]) -> None:
    with pinned_config() as config:
        assert get_config() is config
        with override_settings(TENANTS={**tenants, "news": {"APPS": ["tests.blog_app"]}}):
            assert "news" in get_config().static
        assert "news" not in get_config().static


def test_optional_settings_follow_override_settings() -> None:
    assert extra_search_paths() == ()
    with override_settings(PGSCHEMAS_EXTRA_SEARCH_PATHS=["extensions"]):
        assert extra_search_paths() == ("extensions",)
        assert get_config().extra_search_paths == ("extensions",)
    assert extra_search_paths() == ()
