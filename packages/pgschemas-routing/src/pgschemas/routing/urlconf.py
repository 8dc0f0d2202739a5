"""Per-tenant urlconfs, with the folder built into URL resolving and reversing.

A folder tenant (``example.com/client1``) gets a urlconf *object*: a module built once per
``(urlconf, folder)`` whose only pattern is ``client1/`` including the tenant's urlconf. It
is set as ``request.urlconf``, so Django resolves ``/client1/items/`` to the tenant's
``items/`` view and ``reverse()`` / ``{% url %}`` give ``/client1/items/``. Nothing
process-wide changes per request: Django caches one resolver per urlconf object, and the
current urlconf is already thread- and task-local, so concurrent requests to different
folders never see each other's prefix. The wrapper copies ``handler400``-``handler500``
from the tenant's urlconf so its error views are honoured.
"""

from __future__ import annotations

import threading
import types
from importlib import import_module

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLResolver
from django.urls.resolvers import RoutePattern

from pgschemas.core.config import get_config
from pgschemas.core.domains import is_valid_folder

_HANDLERS = ("handler400", "handler403", "handler404", "handler500")

_lock = threading.Lock()
_folder_urlconfs: dict[tuple[str, str], types.ModuleType] = {}


def check_folder(folder: str) -> str:
    """Return ``folder`` if it is a valid single path segment, else raise ``ValueError``."""
    if not is_valid_folder(folder):
        raise ValueError(
            f"Invalid folder {folder!r}: a folder is one URL path segment made of letters, "
            "digits, '.', '_', '~' or '-' (no '/'), other than '.' and '..'; e.g. 'client1'."
        )
    return folder


def root_urlconf() -> str:
    urlconf: str | None = getattr(settings, "ROOT_URLCONF", None)
    if not urlconf:
        raise ImproperlyConfigured("Routing a request needs settings.ROOT_URLCONF.")
    return urlconf


def static_urlconf(key: str) -> str | None:
    """URLCONF of static tenant ``key`` (None: keep ``ROOT_URLCONF``)."""
    entry = get_config().static.get(key)
    return entry.urlconf if entry else None


def dynamic_urlconf() -> str | None:
    """``TENANTS["default"]["URLCONF"]``: the urlconf of every dynamic tenant."""
    default = get_config().default
    return default.urlconf if default else None


def urlconf_for(urlconf: str | None, folder: str = "") -> str | types.ModuleType | None:
    """What ``request.urlconf`` becomes: the urlconf itself, or its folder wrapper."""
    if not folder:
        return urlconf
    return folder_urlconf(urlconf or root_urlconf(), folder)


def folder_urlconf(urlconf: str, folder: str) -> types.ModuleType:
    """The (cached, shared) urlconf module serving ``urlconf`` under ``/<folder>/``."""
    key = (urlconf, folder)
    module = _folder_urlconfs.get(key)
    if module is not None:
        return module
    with _lock:
        module = _folder_urlconfs.get(key)
        if module is None:
            module = _build(urlconf, check_folder(folder))
            _folder_urlconfs[key] = module
    return module


def _build(urlconf: str, folder: str) -> types.ModuleType:
    original = import_module(urlconf)
    module = types.ModuleType(f"pgschemas.routing.folder_urlconf[{folder}/ -> {urlconf}]")
    module.__doc__ = f"{urlconf} served under /{folder}/ (built by pgschemas.routing)."
    module.urlpatterns = [  # type: ignore[attr-defined]
        URLResolver(RoutePattern(f"{folder}/", is_endpoint=False), urlconf)
    ]
    for name in _HANDLERS:
        if hasattr(original, name):
            setattr(module, name, getattr(original, name))
    module.pgschemas_folder = folder  # type: ignore[attr-defined]
    module.pgschemas_urlconf = urlconf  # type: ignore[attr-defined]
    return module


def clear_folder_urlconfs() -> None:
    """Forget built wrappers (tests changing ROOT_URLCONF/URLCONF use this)."""
    with _lock:
        _folder_urlconfs.clear()
