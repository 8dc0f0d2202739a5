from __future__ import annotations

from django.apps import AppConfig


class PgschemasCoreConfig(AppConfig):
    name = "pgschemas.core"
    label = "pgschemas_core"
    verbose_name = "pgschemas core"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
