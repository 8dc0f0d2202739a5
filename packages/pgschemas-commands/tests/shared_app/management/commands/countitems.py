"""Example DynamicTenantCommand: count tenant_app items in each tenant."""

from typing import Any

from pgschemas.commands import DynamicTenantCommand
from tests.tenant_app.models import Item


class Command(DynamicTenantCommand):
    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{tenant.name or tenant.schema_name}: {Item.objects.count()} items")
