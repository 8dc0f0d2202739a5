"""System checks of the ``TENANTS`` keys pgschemas-routing owns.

``TEMPLATE_DIRS`` and ``STATICFILES_DIRS`` are read when a template or static file is
looked up; a malformed value would otherwise surface as a 500 on the first request to a
tenant. ``manage.py check`` reports it first, with the same message.
"""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from pgschemas.core.config import get_config

from .tenant_dirs import STATICFILES_DIRS, TEMPLATE_DIRS, validate_entries

E001 = "pgschemas.routing.E001"


def check_tenant_dirs(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Every ``TEMPLATE_DIRS`` / ``STATICFILES_DIRS`` is a path or a list of paths whose only
    placeholder is ``{schema_name}``."""
    try:
        config = get_config()
    except ImproperlyConfigured:
        return []  # core's checks report a broken TENANTS
    entries = [config.public, *config.static.values()]
    if config.default is not None:
        entries.append(config.default)
    errors: list[CheckMessage] = []
    for entry in entries:
        for key in (TEMPLATE_DIRS, STATICFILES_DIRS):
            try:
                validate_entries(entry.raw.get(key), entry.key, key)
            except ImproperlyConfigured as exc:
                errors.append(
                    Error(
                        str(exc),
                        hint='e.g. "TEMPLATE_DIRS": [BASE_DIR / "tenants" / "{schema_name}" '
                        '/ "templates"]',
                        id=E001,
                    )
                )
    return errors


register(check_tenant_dirs, "pgschemas")
