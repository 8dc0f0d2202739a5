"""The parsed TENANTS follows the setting, also when a test edits it in place."""

from __future__ import annotations

from collections.abc import Iterator
from copy import deepcopy
from typing import Any

import pytest

from pgschemas.core.config import get_config
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


def test_in_place_edit_of_a_nested_value_is_seen(tenants: dict[str, Any]) -> None:
    assert get_config().clone_reference is None

    tenants["default"]["CLONE_REFERENCE"] = "sample"

    assert get_config().clone_reference == "sample"


def test_restored_setting_is_seen_again(tenants: dict[str, Any]) -> None:
    before = get_config()
    default = tenants.pop("default")
    assert get_config().default is None

    tenants["default"] = default

    assert get_config() == before
