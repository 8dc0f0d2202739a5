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
        _read_old_setting_names()


def _read_old_setting_names() -> None:
    """django-pgschemas 1.x's setting names, read where the packages read the new ones."""
    try:
        from pgschemas.commands import executors
    except ImportError:  # pragma: no cover - the meta-package depends on pgschemas-commands
        return
    if "PGSCHEMAS_PARALLEL_MAX_THREADS" not in executors.MAX_WORKERS_SETTING_ALIASES:
        executors.MAX_WORKERS_SETTING_ALIASES.append("PGSCHEMAS_PARALLEL_MAX_THREADS")
