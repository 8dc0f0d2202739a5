"""``DATABASE_ROUTERS = ["django_pgschemas.routers.TenantAppsRouter"]``."""

from pgschemas.core.routers import TenantAppsRouter

#: The name older django-pgschemas releases used.
SyncRouter = TenantAppsRouter

__all__ = ["SyncRouter", "TenantAppsRouter"]
