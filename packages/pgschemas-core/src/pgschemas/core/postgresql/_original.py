"""The backend we wrap: ``PGSCHEMAS_ORIGINAL_BACKEND`` (Django's PostgreSQL backend by default).

Wrapping lets projects keep a customised backend (PostGIS, a pooling or instrumentation
backend) and still get schema-aware search paths.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_ORIGINAL_BACKEND = "django.db.backends.postgresql"


def original_backend_name() -> str:
    return str(getattr(settings, "PGSCHEMAS_ORIGINAL_BACKEND", DEFAULT_ORIGINAL_BACKEND))


def import_original(submodule: str) -> ModuleType:
    name = original_backend_name()
    if name.startswith(("pgschemas.core.postgresql", "django_pgschemas.")):
        raise ImproperlyConfigured(
            f"PGSCHEMAS_ORIGINAL_BACKEND={name!r} points back at the pgschemas backend; "
            f"set it to the backend pgschemas should wrap, e.g. {DEFAULT_ORIGINAL_BACKEND!r}."
        )
    try:
        return import_module(f"{name}.{submodule}")
    except ImportError as exc:
        raise ImproperlyConfigured(
            f"PGSCHEMAS_ORIGINAL_BACKEND={name!r} cannot be imported ({exc}); "
            f"set it to an installed PostgreSQL backend such as {DEFAULT_ORIGINAL_BACKEND!r}."
        ) from exc
