"""System checks of the ``django_pgschemas`` app.

``django_pgschemas.E001``: a pgschemas app that owns database tables (it ships migrations) must
be listed in ``INSTALLED_APPS`` itself; ``"django_pgschemas"`` can run its ``ready()`` but
cannot give its models an app registry entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Tags, register

from . import _siblings


def check_sibling_apps(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name in _siblings.missing_from_installed_apps(apps):
        if _siblings.available(f"{name}.migrations"):
            errors.append(
                Error(
                    f"{name!r} has database tables but is not in INSTALLED_APPS.",
                    hint=f'Add "{name}" to INSTALLED_APPS next to "django_pgschemas".',
                    id="django_pgschemas.E001",
                )
            )
    return errors


register(check_sibling_apps, Tags.compatibility)
