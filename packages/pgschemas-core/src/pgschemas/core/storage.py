"""File storage that keeps each tenant's files apart.

``TenantFileSystemStorage`` is Django's ``FileSystemStorage`` with one more path segment,
decided per call by the active schema: files land in ``MEDIA_ROOT/<pathname>/`` and are
served from ``MEDIA_URL<pathname>/``. ``<pathname>`` is the schema name unless the tenant's
``schema_pathname()`` method or ``PGSCHEMAS_PATHNAME_FUNCTION`` says otherwise.

Django caches ``location`` and ``base_url`` on the storage instance the first time they are
read; here they are plain properties, because one storage instance serves every tenant and
the answer changes with each request.

``url()`` and ``path()`` never leave the tenant's folder: a name with a ``..`` part (also
spelled with backslashes, which URLs treat as slashes) raises ``SuspiciousFileOperation``
instead of pointing into another tenant's files.

The URL never depends on how the tenant was reached (domain or folder): one file has one
URL, and since every tenant has its own pathname, tenants sharing a domain through folder
routing still get distinct URLs for distinct files.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string

from .activation import get_current_schema
from .schema import SchemaLike

SETTING = "PGSCHEMAS_PATHNAME_FUNCTION"


def _pathname_function() -> Callable[[Any], Any] | None:
    value = getattr(settings, SETTING, None)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = import_string(value)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"{SETTING}={getattr(settings, SETTING)!r} cannot be imported ({exc}); "
                "use the dotted path of a function taking the tenant, e.g. "
                "'myproject.storage.tenant_folder'."
            ) from exc
    if not callable(value):
        raise ImproperlyConfigured(
            f"{SETTING} must be a callable or the dotted path of one, got {value!r}."
        )
    return value  # type: ignore[no-any-return]


def _checked(pathname: Any, schema: SchemaLike, source: str = SETTING) -> str:
    """A relative, normalised folder name; anything that could escape MEDIA_ROOT is refused."""
    problem = None
    if not isinstance(pathname, str) or not pathname:
        problem = "it must be a non-empty string"
    elif "\\" in pathname or "\x00" in pathname:
        problem = "it must not contain backslashes or NUL characters"
    elif pathname.startswith("/") or os.path.isabs(pathname):
        problem = "it must be a relative path"
    else:
        parts = pathname.split("/")
        if any(part in ("", ".", "..") for part in parts):
            problem = "its '/'-separated parts must not be empty, '.' or '..'"
    if problem:
        raise ImproperlyConfigured(
            f"{source} returned {pathname!r} for schema {schema.schema_name!r}: {problem}."
        )
    return posixpath.normpath(str(pathname))


def get_tenant_pathname(schema: SchemaLike | None = None) -> str:
    """The folder (relative to the storage root) holding ``schema``'s files.

    ``schema`` defaults to the active one. In order: what the schema's own
    ``schema_pathname()`` method returns (a tenant model may define one, as in
    django-pgschemas), what ``PGSCHEMAS_PATHNAME_FUNCTION`` (a callable or dotted path,
    given the tenant) returns, else the schema name. Make sure it is unique per tenant:
    tenants with the same pathname share their files.
    """
    schema = schema if schema is not None else get_current_schema()
    method = getattr(schema, "schema_pathname", None)
    if callable(method):
        return _checked(method(), schema, source="schema_pathname()")
    function = _pathname_function()
    if function is None:
        return schema.schema_name
    return _checked(function(schema), schema)


def _refuse_parent_parts(name: str) -> None:
    """``SuspiciousFileOperation`` when ``name`` has a ``..`` part ('/' or '\\' separated)."""
    if ".." in PurePosixPath(str(name).replace("\\", "/")).parts:
        raise SuspiciousFileOperation(
            f"Detected path traversal attempt in {name!r}: a name in a tenant's storage "
            "cannot contain a '..' part (it would reach another tenant's files)."
        )


@deconstructible(path="pgschemas.core.storage.TenantFileSystemStorage")
class TenantFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` rooted at ``<location>/<tenant pathname>`` for the active schema.

    ``location`` and ``base_url`` arguments (or ``MEDIA_ROOT`` / ``MEDIA_URL``) are the
    roots shared by all tenants.
    """

    @property
    def base_location(self) -> str:
        root = self._value_or_setting(self._location, settings.MEDIA_ROOT)
        # A trailing separator, as django-pgschemas gave: the tenant's folder, not a file.
        return os.path.join(root, *get_tenant_pathname().split("/"), "")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> str | None:
        root = self._value_or_setting(self._base_url, settings.MEDIA_URL)
        if root is None:
            return None
        if not root.endswith("/"):
            root += "/"
        return f"{root}{quote(get_tenant_pathname())}/"

    def url(self, name: str | None) -> str:
        """The file's URL under the tenant's ``base_url``; ``..`` parts are refused.

        ``FileSystemStorage.url()`` joins the name to ``base_url`` like a browser resolves a
        link, so ``../other/x`` would point into another tenant's folder.
        """
        if name is not None:
            _refuse_parent_parts(name)
        return str(super().url(name))

    def path(self, name: str) -> str:
        """The file's path under the tenant's ``location``; ``..`` parts are refused."""
        _refuse_parent_parts(name)
        return str(super().path(name))
