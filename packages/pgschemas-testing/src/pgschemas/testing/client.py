"""A Django test client whose requests reach one tenant through the routing middleware.

Requests go to the tenant's domain (the ``Host`` header) and, for a folder tenant, under
its folder: ``client.get("/items/")`` requests ``/<folder>/items/``; a path already
starting with the folder is left alone, so ``reverse()`` results work too. The domain is
added to ``ALLOWED_HOSTS`` for the client's requests when the project does not allow it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http.request import validate_host
from django.test import Client
from django.test.utils import override_settings


def _first_domain(tenant: Any) -> tuple[str, str]:
    """The tenant's primary (else first) domain and folder, or ``("", "")``."""
    domains = getattr(tenant, "domains", None)
    if domains is not None:  # a dynamic tenant with a domain model
        fields = {field.name for field in domains.model._meta.get_fields()}
        order = ("-is_primary", "pk") if "is_primary" in fields else ("pk",)
        row = domains.order_by(*order).first()
        if row is not None:
            return str(row.domain), str(row.folder)
        return "", ""
    from pgschemas.core.config import get_config

    entry = get_config().static.get(str(tenant.schema_name))
    # DOMAINS is pgschemas-routing's key (an optional dependency): read by name.
    domains = entry.option("DOMAINS", ()) if entry else ()
    if domains:
        host, _, folder = domains[0].partition("/")
        return host, folder
    return "", ""


class TenantClient(Client):
    """``Client`` bound to ``tenant``: its domain (or ``domain``) and folder (or ``folder``)."""

    def __init__(
        self, tenant: Any, *, domain: str | None = None, folder: str | None = None, **defaults: Any
    ) -> None:
        found_domain, found_folder = ("", "") if domain is not None else _first_domain(tenant)
        self.tenant = tenant
        self.tenant_domain = domain if domain is not None else found_domain
        self.tenant_folder = (folder if folder is not None else found_folder).strip("/")
        if not self.tenant_domain:
            raise ValueError(
                f"Tenant {tenant.schema_name!r} has no domain to send requests to: give it "
                "one (tenant_factory(domain=...)) or pass domain= to the client."
            )
        super().__init__(SERVER_NAME=self.tenant_domain, **defaults)
        self.defaults.setdefault("HTTP_HOST", self.tenant_domain)

    def tenant_path(self, path: str) -> str:
        """``path`` under the tenant's folder (unchanged for a domain without folder)."""
        if not self.tenant_folder:
            return path
        prefix = f"/{self.tenant_folder}"
        if path == prefix or path.startswith(prefix + "/"):
            return path
        return prefix + (path if path.startswith("/") else "/" + path)

    def generic(self, method: str, path: str, *args: Any, **kwargs: Any) -> Any:
        path = self.tenant_path(path)
        if validate_host(self.tenant_domain, settings.ALLOWED_HOSTS):
            return super().generic(method, path, *args, **kwargs)
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, self.tenant_domain]):
            return super().generic(method, path, *args, **kwargs)
