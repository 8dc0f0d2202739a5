"""Standing in for the pgschemas apps a project did not list itself.

``INSTALLED_APPS = ["django_pgschemas", ...]`` must behave like listing every pgschemas
app. Django only runs ``ready()`` of listed apps, so the ``django_pgschemas`` app config
runs, once, the ``ready()`` of each sibling app that is installed as a package but absent
from ``INSTALLED_APPS`` (its system checks, signal receivers, provisioners). A sibling
that *is* listed runs its own ``ready()`` and is skipped here, so listing both never
registers anything twice. Management commands are found through this package's own
``management/commands`` modules, which re-export the siblings' ``Command`` classes.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from django.apps import AppConfig

#: The pgschemas apps, in the order a project would list them.
SIBLING_APPS: tuple[str, ...] = (
    "pgschemas.core",
    "pgschemas.routing",
    "pgschemas.commands",
    "pgschemas.clone",
)

_stood_in: set[str] = set()


def available(name: str) -> bool:
    """True when the package ``name`` can be imported (its distribution is installed)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def missing_from_installed_apps(registry: Any) -> list[str]:
    """Sibling apps installed as packages but not listed in ``INSTALLED_APPS``."""
    return [name for name in SIBLING_APPS if available(name) and not registry.is_installed(name)]


def stand_in(registry: Any) -> list[str]:
    """Run ``ready()`` of every unlisted sibling app once; return the names it ran for."""
    ran: list[str] = []
    for name in missing_from_installed_apps(registry):
        if name in _stood_in:
            continue
        config = AppConfig.create(name)
        config.apps = registry
        config.models = {}
        config.ready()
        _stood_in.add(name)
        ran.append(name)
    return ran


def stood_in_for() -> frozenset[str]:
    """The sibling apps whose ``ready()`` the ``django_pgschemas`` app ran."""
    return frozenset(_stood_in)
