"""``from django_pgschemas.management.commands import TenantCommand`` and friends.

The base classes live in pgschemas-commands; they are looked up on first use so that
Django listing this package's commands imports nothing that needs the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pgschemas.commands.base import (
        DynamicSchemaCommand,
        DynamicTenantCommand,
        SchemaCommand,
        StaticSchemaCommand,
        StaticTenantCommand,
        TenantCommand,
        WrappedSchemaOption,
    )

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
    if name in __all__:
        from pgschemas.commands import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
