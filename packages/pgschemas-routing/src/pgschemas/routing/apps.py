from __future__ import annotations

from django.apps import AppConfig


class PgschemasRoutingConfig(AppConfig):
    name = "pgschemas.routing"
    label = "pgschemas_routing"
    verbose_name = "pgschemas routing"

    def ready(self) -> None:
        from . import checks, signals  # noqa: F401  (checks registers the system check)

        signals.connect()
