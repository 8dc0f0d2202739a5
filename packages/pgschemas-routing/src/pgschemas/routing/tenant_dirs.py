"""The folders a tenant brings to templates and static files (``TENANTS`` keys).

``TEMPLATE_DIRS`` and ``STATICFILES_DIRS`` may be set on ``public``, on a static tenant
and on ``default`` (every dynamic tenant, and the clone reference). Each entry is a path,
in which ``{schema_name}`` stands for the active schema's name: ``"templates/tenants/
{schema_name}"`` gives every dynamic tenant a folder of its own. Only folders that exist
are returned, so tenants without one share the project's templates and cache entries.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from pgschemas.core.activation import get_current_schema
from pgschemas.core.config import get_config
from pgschemas.core.schema import SchemaLike

TEMPLATE_DIRS = "TEMPLATE_DIRS"
STATICFILES_DIRS = "STATICFILES_DIRS"


def _entries(value: Any, owner: str, key: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | os.PathLike):
        value = [value]
    if not isinstance(value, list | tuple) or not all(
        isinstance(item, str | os.PathLike) for item in value
    ):
        raise ImproperlyConfigured(
            f"TENANTS[{owner!r}][{key!r}] must be a list of folder paths, got {value!r}."
        )
    return [os.fspath(item) for item in value]


def _expand(entry: str, schema_name: str, owner: str, key: str) -> str:
    try:
        return entry.format(schema_name=schema_name)
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"TENANTS[{owner!r}][{key!r}] contains {entry!r}, which cannot be expanded "
            f"({exc!r}): the only placeholder is {{schema_name}}; double other braces."
        ) from exc


def validate_entries(value: Any, owner: str, key: str) -> None:
    """Raise ``ImproperlyConfigured`` unless ``value`` is a valid ``key`` setting (checks)."""
    for item in _entries(value, owner, key):
        _expand(item, "check", owner, key)


def configured_dirs(key: str, schema: SchemaLike | None = None) -> list[str]:
    """Every folder ``key`` names for ``schema`` (default: the active one), existing or not."""
    schema = schema if schema is not None else get_current_schema()
    entry = get_config().tenant_config_for(schema.schema_name, is_dynamic=schema.is_dynamic)
    if entry is None:
        return []
    return [
        _expand(item, schema.schema_name, entry.key, key)
        for item in _entries(entry.raw.get(key), entry.key, key)
    ]


def existing_dirs(key: str, schema: SchemaLike | None = None) -> tuple[str, ...]:
    """The folders of :func:`configured_dirs` that exist, as absolute paths."""
    return tuple(
        os.path.abspath(folder) for folder in configured_dirs(key, schema) if os.path.isdir(folder)
    )
