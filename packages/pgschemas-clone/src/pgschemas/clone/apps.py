from __future__ import annotations

from django.apps import AppConfig


class PgschemasCloneConfig(AppConfig):
    name = "pgschemas.clone"
    label = "pgschemas_clone"
    verbose_name = "pgschemas clone"

    def ready(self) -> None:
        from pgschemas.core.provisioning import register_provisioner

        from . import checks  # noqa: F401  (registers the system check)
        from .provisioning import provisioner

        register_provisioner(provisioner)
