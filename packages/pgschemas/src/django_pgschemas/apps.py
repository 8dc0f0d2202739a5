from __future__ import annotations

from django.apps import AppConfig


class DjangoPgschemasConfig(AppConfig):
    """``"django_pgschemas"`` in ``INSTALLED_APPS``: every pgschemas app in one entry."""

    name = "django_pgschemas"
    label = "django_pgschemas"
    verbose_name = "pgschemas (django_pgschemas paths)"

    def ready(self) -> None:
        from . import _siblings
        from . import checks as _checks  # registers the system check

        _siblings.stand_in(self.apps)
        _checks.register_upstream_check_ids()
