from __future__ import annotations

from django.apps import AppConfig

#: The owner named in the error refusing a schema name with one of our reserved prefixes.
OWNER = "pgschemas.clone"


class PgschemasCloneConfig(AppConfig):
    name = "pgschemas.clone"
    label = "pgschemas_clone"
    verbose_name = "pgschemas clone"

    def ready(self) -> None:
        from pgschemas.core.provisioning import register_provisioner
        from pgschemas.core.validation import register_reserved_prefix

        from . import checks, tenant_keys  # noqa: F401  (register the check and our keys)
        from .provisioning import provisioner
        from .rebuild import BUILD_PREFIX
        from .spares import SPARE_PREFIX

        register_provisioner(provisioner)
        # Spares and reference builds are found by name: a tenant named like one of them
        # would be claimed, renamed or dropped as if it were ours, so such names are refused.
        register_reserved_prefix(SPARE_PREFIX, OWNER)
        register_reserved_prefix(BUILD_PREFIX, OWNER)
