from typing import Any

from pgschemas.commands import StaticTenantCommand


class Command(StaticTenantCommand):
    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        self.stdout.write(f"static {tenant.schema_name}")
