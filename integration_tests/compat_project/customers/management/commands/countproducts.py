from typing import Any

from customers.models import Product
from django_pgschemas.management.commands import DynamicTenantCommand
from django_pgschemas.schema import SchemaDescriptor


class Command(DynamicTenantCommand):
    help = "Print how many products each dynamic tenant has."

    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        kind = "static" if isinstance(tenant, SchemaDescriptor) else "tenant"
        self.stdout.write(f"{kind} {tenant.schema_name} has {Product.objects.count()} products")
