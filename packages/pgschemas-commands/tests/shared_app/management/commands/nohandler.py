"""A TenantCommand that forgot handle_tenant."""

from pgschemas.commands import TenantCommand


class Command(TenantCommand):
    pass
