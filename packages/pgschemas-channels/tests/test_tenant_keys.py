"""WS_URLCONF, the TENANTS key pgschemas-channels declares (it has no app: the key is
declared when its module is imported, also by core finding it in TENANTS)."""

from __future__ import annotations

import copy
from typing import Any

from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings

from pgschemas.channels.tenant_keys import WS_URLCONF
from pgschemas.core.config import get_config
from pgschemas.core.settings_registry import keys_by_package


def with_entry(entry: str, **keys: Any) -> dict[str, Any]:
    value = copy.deepcopy(settings.TENANTS)
    value[entry] = {**value[entry], **keys}
    return value


def found(check_id: str, tenants: dict[str, Any]) -> list[str]:
    with override_settings(TENANTS=tenants):
        return [m.msg for m in run_checks() if m.id == check_id]


def test_channels_declares_ws_urlconf() -> None:
    assert keys_by_package()["pgschemas-channels"] == ["WS_URLCONF"]
    config = get_config()
    assert config.static["www"].value(WS_URLCONF) == "tests.ws_urls_www"
    assert config.static["blog"].value(WS_URLCONF) is None


def test_public_cannot_be_routed() -> None:
    assert found("pgschemas.E003", with_entry("public", WS_URLCONF="tests.ws_urls")) == [
        "TENANTS[\"public\"] cannot be routed, but it sets WS_URLCONF='tests.ws_urls'."
    ]


def test_a_bad_value_is_reported_naming_it() -> None:
    assert found("pgschemas.channels.E001", with_entry("www", WS_URLCONF=["tests.ws_urls"])) == [
        "TENANTS['www']['WS_URLCONF'] must be a string, got ['tests.ws_urls']."
    ]


def test_the_test_settings_are_clean() -> None:
    assert [m for m in run_checks() if m.id.startswith("pgschemas")] == []
