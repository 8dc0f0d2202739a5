"""System checks of the ``django_pgschemas`` app.

``django_pgschemas.E001``: a pgschemas app that owns database tables (it ships migrations) must
be listed in ``INSTALLED_APPS`` itself; ``"django_pgschemas"`` can run its ``ready()`` but
cannot give its models an app registry entry.

django-pgschemas 1.x documented check IDs of its own (``pgschemas.W001`` to ``W005``) for
conditions pgschemas-core checks under other IDs. :data:`UPSTREAM_CHECK_IDS` maps them, and
:func:`register_upstream_check_ids` (run by the app's ``ready()``) makes each upstream ID in
``SILENCED_SYSTEM_CHECKS`` silence our check of the same condition.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Tags, register

from pgschemas.core.checks import register_silencing_alias

from . import _siblings

#: django-pgschemas 1.x check ID -> the pgschemas-core check of the same condition.
UPSTREAM_CHECK_IDS = {
    "pgschemas.W001": "pgschemas.E011",  # tenant / domain model app not (only) in public
    "pgschemas.W002": "pgschemas.E009",  # django.contrib.contenttypes outside public
    "pgschemas.W003": "pgschemas.E010",  # sessions not next to the user model's app
    "pgschemas.W004": "pgschemas.E019",  # a dynamic tenant named like a static one
    "pgschemas.W005": "pgschemas.E012",  # PGSCHEMAS_EXTRA_SEARCH_PATHS names a tenant
}


def register_upstream_check_ids() -> None:
    for upstream, ours in UPSTREAM_CHECK_IDS.items():
        register_silencing_alias(ours, upstream)


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
