"""``django_pgschemas.contrib.files.storage.TenantFileSystemStorage`` (older path)."""

from pgschemas.core.storage import TenantFileSystemStorage, get_tenant_pathname

__all__ = ["TenantFileSystemStorage", "get_tenant_pathname"]
