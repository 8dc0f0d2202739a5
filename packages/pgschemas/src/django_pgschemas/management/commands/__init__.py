"""``from django_pgschemas.management.commands import TenantCommand`` and friends.

``TenantCommand``, ``StaticTenantCommand``, ``DynamicTenantCommand`` (the spec page) and
``WrappedSchemaOption`` are pgschemas-commands' classes themselves; ``SchemaCommand``,
``StaticSchemaCommand`` and ``DynamicSchemaCommand`` (django-pgschemas 1.x, overriding
``handle_schema``) are defined in :mod:`django_pgschemas.management.schema_commands`. All
are looked up on first use so that Django listing this package's commands imports nothing
that needs the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pgschemas.commands.base import (
        DynamicTenantCommand,
        StaticTenantCommand,
        TenantCommand,
        WrappedSchemaOption,
    )

    from ..schema_commands import DynamicSchemaCommand, SchemaCommand, StaticSchemaCommand

#: Each name and the module defining it.
_HOMES = {
    "DynamicTenantCommand": "pgschemas.commands.base",
    "StaticTenantCommand": "pgschemas.commands.base",
    "TenantCommand": "pgschemas.commands.base",
    "WrappedSchemaOption": "pgschemas.commands.base",
    "DynamicSchemaCommand": "django_pgschemas.management.schema_commands",
    "SchemaCommand": "django_pgschemas.management.schema_commands",
    "StaticSchemaCommand": "django_pgschemas.management.schema_commands",
}

__all__ = [
    "DynamicSchemaCommand",
    "DynamicTenantCommand",
    "SchemaCommand",
    "StaticSchemaCommand",
    "StaticTenantCommand",
    "TenantCommand",
    "WrappedSchemaOption",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        from importlib import import_module

        return getattr(import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
