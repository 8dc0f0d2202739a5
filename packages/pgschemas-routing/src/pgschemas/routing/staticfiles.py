"""Static files per tenant: a finder for the tenant's own folders and a storage per tenant.

- ``TenantStaticFinder`` finds files in the active tenant's ``STATICFILES_DIRS``; list it
  first in ``STATICFILES_FINDERS`` so a tenant's file wins over the project's.
- ``TenantStaticFilesStorage`` keeps each tenant's collected files in
  ``STATIC_ROOT/<tenant pathname>/`` served from ``STATIC_URL<tenant pathname>/`` (the
  pathname is the one of core's ``TenantFileSystemStorage``: the schema name unless
  ``PGSCHEMAS_PATHNAME_FUNCTION`` says otherwise).

``collectstatic`` run with a tenant active (``runschema collectstatic -s acme``, or
``-s :all:`` for every schema) collects that tenant's files, then the project's, into
the tenant's folder; ``{% static %}`` in that tenant's pages points there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.contrib.staticfiles.utils import get_files
from django.core.files.storage import FileSystemStorage
from django.utils._os import safe_join

from pgschemas.core.storage import get_tenant_pathname

from .tenant_dirs import STATICFILES_DIRS, existing_dirs


class TenantStaticFinder(BaseFinder):
    """Finds static files in the active tenant's ``STATICFILES_DIRS``."""

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        find_all = find_all or bool(kwargs.get("all", False))
        matches: list[str] = []
        for root in existing_dirs(STATICFILES_DIRS):
            candidate = str(safe_join(root, path))
            if os.path.exists(candidate):
                if not find_all:
                    return candidate
                matches.append(candidate)
        return matches

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for root in existing_dirs(STATICFILES_DIRS):
            storage = FileSystemStorage(location=root)
            for path in get_files(storage, ignore_patterns):
                yield path, storage


class TenantStaticFilesStorage(StaticFilesStorage):
    """``StaticFilesStorage`` rooted at ``STATIC_ROOT/<tenant pathname>`` for the active schema.

    ``location``/``base_url`` arguments (or ``STATIC_ROOT``/``STATIC_URL``) are the roots
    shared by all tenants. They are read per call (one instance serves every tenant).
    """

    def _root(self) -> str | None:
        root = self._location or settings.STATIC_ROOT
        return os.fspath(root) if root else None

    @property
    def base_location(self) -> str | None:
        root = self._root()
        return os.path.join(root, *get_tenant_pathname().split("/")) if root else None

    @base_location.setter
    def base_location(self, value: Any) -> None:
        """Computed per tenant; StaticFilesStorage's reset to None when unset is implied."""

    @property
    def location(self) -> str | None:
        base = self.base_location
        return os.path.abspath(base) if base else None

    @location.setter
    def location(self, value: Any) -> None:
        """Computed per tenant, see :attr:`base_location`."""

    @property
    def base_url(self) -> str | None:
        root = self._base_url or settings.STATIC_URL
        if root is None:
            return None
        if not root.endswith("/"):
            root += "/"
        return f"{root}{quote(get_tenant_pathname())}/"
