"""``from django_pgschemas.contrib.channels.router import TenantProtocolRouter``."""

from pgschemas.channels.router import TenantProtocolRouter

__all__ = ["TenantProtocolRouter"]
