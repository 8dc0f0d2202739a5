"""Example tenant command: how many products each selected tenant has.

python manage.py productcount -s :dynamic: --parallel
"""

from typing import Any

from pgschemas.commands import DynamicTenantCommand


class Command(DynamicTenantCommand):
    help = "Print the number of products of each selected tenant"
    pgschemas_read_only = True

    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        from tenant_app.models import Product

        self.stdout.write(f"{Product.objects.count()} products")
