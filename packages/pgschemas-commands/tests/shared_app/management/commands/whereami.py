"""Example TenantCommand: reports the active schema, through self.stdout and print()."""

from typing import Any

from pgschemas.commands import TenantCommand
from pgschemas.core import get_current_schema


class Command(TenantCommand):
    help = "Print which schema is active"

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("--fail-on", action="append", default=[])

    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        from django.core.management.base import CommandError

        if tenant.schema_name in options["fail_on"]:
            raise CommandError(f"refusing to run on {tenant.schema_name}")
        kind = "dynamic" if tenant.is_dynamic else "static"
        self.stdout.write(f"active={get_current_schema().schema_name} {kind}")
        print(f"printed in {tenant.schema_name}")
