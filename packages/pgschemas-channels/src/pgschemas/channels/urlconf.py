"""Websocket urlconfs: ``WS_URLCONF`` of a tenant, loaded once into a channels URLRouter.

A ``WS_URLCONF`` module holds ``urlpatterns``, a list of ``path()``/``re_path()`` entries
pointing at consumers (``MyConsumer.as_asgi()``), like a channels routing module. Static
tenants without ``WS_URLCONF`` use ``TENANTS["default"]["WS_URLCONF"]``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from pgschemas.core.config import get_config

from .tenant_keys import WS_URLCONF


def ws_urlconf_for(schema_name: str, *, is_dynamic: bool) -> str | None:
    """The dotted path of the websocket urlconf serving a tenant, or None when none does."""
    config = get_config()
    if not is_dynamic:
        entry = config.static.get(schema_name)
        if entry is not None and entry.value(WS_URLCONF):
            return entry.value(WS_URLCONF)
    return config.default.value(WS_URLCONF) if config.default is not None else None


def load_patterns(ws_urlconf: str) -> list[Any]:
    """``urlpatterns`` of a ``WS_URLCONF`` module, with a clear error when it has none."""
    module = import_module(ws_urlconf)
    patterns = getattr(module, "urlpatterns", None)
    if not isinstance(patterns, list | tuple):
        raise ImproperlyConfigured(
            f"WS_URLCONF {ws_urlconf!r} must define urlpatterns, a list of path()/re_path() "
            f"entries pointing at consumers (Consumer.as_asgi()); found {patterns!r}."
        )
    return list(patterns)


def matches(patterns: list[Any], path: str) -> bool:
    """Whether any pattern accepts ``path`` (relative, as channels' URLRouter sees it)."""
    relative = path.lstrip("/")
    return any(pattern.pattern.match(relative) for pattern in patterns)
