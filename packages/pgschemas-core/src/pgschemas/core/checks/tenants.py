"""``check_tenants``: every check of the ``TENANTS`` setting and the settings around it,
in the order their messages are reported."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage

from .aliases import _not_silenced_by_alias
from .apps import _check_apps
from .common import _err
from .database import _check_database
from .search_paths import _check_search_paths
from .structure import _check_keys, _check_models, _check_names, _check_public


def check_tenants(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    tenants = getattr(settings, "TENANTS", None)
    if not isinstance(tenants, Mapping):
        return [
            _err(
                1,
                f"TENANTS must be a dict, got {type(tenants).__name__}.",
                'Define TENANTS = {"public": {"APPS": [...]}, ...} in your settings.',
            )
        ]
    errors: list[CheckMessage] = []
    for key, entry in tenants.items():
        if not isinstance(entry, Mapping):
            errors.append(_err(1, f"TENANTS[{key!r}] must be a dict, got {type(entry).__name__}."))
    if errors:
        return errors
    errors += _check_public(tenants)
    errors += _check_keys(tenants)
    errors += _check_models(tenants)
    errors += _check_names(tenants)
    errors += _check_apps(tenants)
    errors += _check_search_paths(tenants)
    errors += _check_database()
    return _not_silenced_by_alias(errors)
