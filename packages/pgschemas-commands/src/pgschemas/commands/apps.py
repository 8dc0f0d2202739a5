from __future__ import annotations

from django.apps import AppConfig


class PgschemasCommandsConfig(AppConfig):
    name = "pgschemas.commands"
    label = "pgschemas_commands"
    verbose_name = "pgschemas commands"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
