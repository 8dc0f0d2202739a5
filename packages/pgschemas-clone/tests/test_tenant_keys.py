"""The TENANTS keys pgschemas-clone declares: CLONE_REFERENCE gives core the reference
schema's name; both are checked through core's registry."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings

from pgschemas.clone.tenant_keys import CLONE_REFERENCE, CLONE_SPARES
from pgschemas.core.config import get_config
from pgschemas.core.settings_registry import keys_by_package


def tenants(**default: Any) -> dict[str, Any]:
    value = copy.deepcopy(settings.TENANTS)
    value["default"].update(default)
    return value


def found(check_id: str, tenants_setting: dict[str, Any]) -> list[str]:
    with override_settings(TENANTS=tenants_setting):
        return [m.msg for m in run_checks() if m.id == check_id]


def test_clone_declares_its_keys() -> None:
    assert keys_by_package()["pgschemas-clone"] == ["CLONE_REFERENCE", "CLONE_SPARES"]


def test_core_learns_the_reference_from_the_declaration() -> None:
    config = get_config()
    assert config.default is not None
    assert config.default.value(CLONE_REFERENCE) == "sample"
    assert config.default.value(CLONE_SPARES) == 0
    assert config.clone_reference == "sample"
    assert "sample" in config.reserved_names()
    assert config.tenant_config_for("sample", is_dynamic=False) is config.default
    with override_settings(TENANTS=tenants(CLONE_REFERENCE=None)):
        assert get_config().clone_reference is None


def test_the_reference_must_be_a_valid_schema_name() -> None:
    assert found("pgschemas.E006", tenants(CLONE_REFERENCE="Sample")) == [
        'TENANTS["default"]["CLONE_REFERENCE"]=\'Sample\': use lowercase only (PostgreSQL '
        "folds unquoted names): try 'sample'."
    ]
    assert found("pgschemas.E006", tenants(CLONE_REFERENCE=42)) == [
        'TENANTS["default"]["CLONE_REFERENCE"]=42: expected the name of the reference '
        'schema, e.g. "sample".'
    ]


def test_the_reference_must_not_clash_with_a_static_tenant() -> None:
    value = tenants(CLONE_REFERENCE="blog")
    value["blog"] = {"APPS": ["tests.tenant_app"]}
    assert found("pgschemas.E007", value) == [
        "CLONE_REFERENCE='blog' clashes with the static tenant of the same name."
    ]


@pytest.mark.parametrize("key", ["CLONE_REFERENCE", "CLONE_SPARES"])
def test_clone_keys_belong_to_default_only(key: str) -> None:
    value = copy.deepcopy(settings.TENANTS)
    value["public"][key] = 1 if key == "CLONE_SPARES" else "sample"
    [message] = found("pgschemas.E021", value)
    assert message.startswith(f"TENANTS['public'] sets {key}=")
    assert message.endswith(f"but {key} (pgschemas-clone) only applies to these entries: default.")


def test_the_test_settings_are_clean() -> None:
    assert [m for m in run_checks() if m.id.startswith("pgschemas")] == []
