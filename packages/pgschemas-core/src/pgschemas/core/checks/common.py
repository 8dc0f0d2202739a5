"""What the check modules share: the family tag, the error constructor, and the schema
names that ``TENANTS["default"]`` reserves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.checks import Error

from .. import settings_registry
from ..config import DEFAULT_KEY

#: Every check of the family carries this tag too: ``manage.py check --tag pgschemas``.
TAG = "pgschemas"


def _err(id_: int, msg: str, hint: str | None = None) -> Error:
    return Error(msg, hint=hint, id=f"pgschemas.E{id_:03d}")


def _reference_names(tenants: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``(key, value)`` of each set key of ``default`` that names a schema (the clone
    reference, when pgschemas-clone is installed)."""
    default = tenants.get(DEFAULT_KEY) or {}
    return [
        (declared.name, default[declared.name])
        for declared in settings_registry.schema_name_keys(default)
        if default[declared.name] is not None
    ]
