"""pgschemas-commands: management commands that run on tenant schemas.

The base classes are imported lazily so that listing ``pgschemas.commands`` in
``INSTALLED_APPS`` imports nothing that needs the app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .__about__ import __version__

if TYPE_CHECKING:
    from .base import (
        DynamicTenantCommand,
        StaticTenantCommand,
        TenantCommand,
        WrappedSchemaOption,
    )

_LAZY = {
    "DynamicTenantCommand",
    "StaticTenantCommand",
    "TenantCommand",
    "WrappedSchemaOption",
}

__all__ = [
    "DynamicTenantCommand",
    "StaticTenantCommand",
    "TenantCommand",
    "WrappedSchemaOption",
    "__version__",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import base

        return getattr(base, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
