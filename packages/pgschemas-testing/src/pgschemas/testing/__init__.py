"""pgschemas-testing: fast tenants for tests (pytest fixtures and Django TestCase classes).

The pytest plugin (:mod:`.plugin`) is registered through an entry point; the names below
are for ``manage.py test`` projects and helpers. They are imported on first use, so the
plugin can load before Django's settings are configured.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .__about__ import __version__

if TYPE_CHECKING:
    from .cases import TenantTestCase, TenantTransactionTestCase
    from .client import TenantClient
    from .factory import TenantFactory

__all__ = [
    "TenantClient",
    "TenantFactory",
    "TenantTestCase",
    "TenantTransactionTestCase",
    "__version__",
]

_LAZY = {
    "TenantTestCase": "cases",
    "TenantTransactionTestCase": "cases",
    "TenantClient": "client",
    "TenantFactory": "factory",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pgschemas.testing' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{module}", __name__), name)
