"""``django_pgschemas.contrib.storage.TenantFileSystemStorage``, from pgschemas-core."""

from pgschemas.core.storage import TenantFileSystemStorage, get_tenant_pathname

__all__ = ["TenantFileSystemStorage", "get_tenant_pathname"]
