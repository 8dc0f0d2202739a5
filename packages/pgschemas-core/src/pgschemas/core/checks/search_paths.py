"""``PGSCHEMAS_EXTRA_SEARCH_PATHS`` against the settings (the comparison with dynamic
tenants needs the database: :mod:`.database`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage

from ..config import DEFAULT_KEY
from .common import _err, _reference_names


def _check_search_paths(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    extra = getattr(settings, "PGSCHEMAS_EXTRA_SEARCH_PATHS", [])
    if isinstance(extra, str) or not isinstance(extra, list | tuple):
        return [
            _err(
                12,
                f"PGSCHEMAS_EXTRA_SEARCH_PATHS must be a list of schema names, got {extra!r}.",
            )
        ]
    tenant_schemas = {key for key in tenants if key != DEFAULT_KEY} | {
        value for _name, value in _reference_names(tenants) if isinstance(value, str)
    }
    errors: list[CheckMessage] = []
    for name in extra:
        if name in tenant_schemas:
            errors.append(
                _err(
                    12,
                    f"PGSCHEMAS_EXTRA_SEARCH_PATHS names {name!r}, which is a tenant schema.",
                    "Extra search paths are for shared schemas such as extensions only.",
                )
            )
    return errors
