"""Template loaders that look in the active tenant's ``TEMPLATE_DIRS`` first.

``TenantLoader`` is a filesystem loader whose folders are those of the active schema.
List it before the project's loaders so a tenant's ``base.html`` replaces the project's
for that tenant only. Django's cached loader keys templates by name alone, which would
serve one tenant's template to every tenant: wrap the loaders in ``CachedLoader``
instead, which adds the tenant's folders to the key (tenants without a folder of their
own share one cache entry).
"""

from __future__ import annotations

from typing import Any

from django.template.loaders import cached, filesystem

from .tenant_dirs import TEMPLATE_DIRS, existing_dirs


class TenantLoader(filesystem.Loader):
    """Finds templates in the active tenant's ``TEMPLATE_DIRS``."""

    def get_dirs(self) -> tuple[str, ...]:
        return existing_dirs(TEMPLATE_DIRS)


class CachedLoader(cached.Loader):
    """Django's cached loader, with the active tenant's template folders in the key."""

    def cache_key(self, template_name: str, skip: Any = None) -> str:
        folders = "|".join(existing_dirs(TEMPLATE_DIRS))
        return f"{folders}:{super().cache_key(template_name, skip)}"
