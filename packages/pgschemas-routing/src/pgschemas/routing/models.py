"""``DomainModel``: the abstract base of the project's domain model, and URL helpers.

Each row maps ``domain`` (+ optional ``folder``, the first path segment) to a tenant.
(domain, folder) is unique, and every tenant with domains has exactly one primary domain
whatever order rows are saved or deleted in: saving a primary demotes the tenant's other
domains, the first domain of a tenant becomes primary, deleting (or moving away) the
primary promotes the oldest remaining domain. Each change runs in one transaction holding
a lock on the tenant row, and a partial unique index backs the rule in the database.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q

from pgschemas.core.config import get_config
from pgschemas.core.domains import is_valid_folder, normalize_domain, split_domain_folder

from .tenant_keys import DOMAINS


def _tenant_model_label() -> str:
    # A lazy "app.Model" reference, resolved when the concrete domain model is set up. Without
    # TENANT_MODEL there are no dynamic tenants and no concrete domain model can exist; the
    # placeholder makes Django's check (fields.E300) name the missing setting.
    return get_config().tenant_model or "TENANTS_public_TENANT_MODEL_is_not_set.Tenant"


def validate_domain(value: str) -> None:
    host = normalize_domain(value)
    if not host or "/" in host or ":" in host or " " in host:
        raise ValidationError(
            f"Invalid domain {value!r}: give a bare host name like 'tenant1.example.com' "
            "(no scheme, port or path; put a path segment in 'folder').",
            code="invalid_domain",
        )


def validate_folder(value: str) -> None:
    if not is_valid_folder(value):
        raise ValidationError(
            f"Invalid folder {value!r}: one URL path segment of letters, digits, '.', '_', "
            "'~' or '-' (no '/'), other than '.' and '..', e.g. 'client1'; leave it empty "
            "for the whole domain.",
            code="invalid_folder",
        )


class DomainModel(models.Model):
    """A domain (and optional folder) of a dynamic tenant."""

    tenant = models.ForeignKey(
        _tenant_model_label(), on_delete=models.CASCADE, related_name="domains"
    )
    domain = models.CharField(max_length=253, db_index=True, validators=[validate_domain])
    folder = models.CharField(max_length=100, blank=True, validators=[validate_folder])
    is_primary = models.BooleanField(default=False)
    redirect_to_primary = models.BooleanField(default=False)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "folder"], name="%(app_label)s_%(class)s_unique_domain_folder"
            ),
            models.UniqueConstraint(
                fields=["tenant"],
                condition=Q(is_primary=True),
                name="%(app_label)s_%(class)s_one_primary",
            ),
        ]

    def __str__(self) -> str:
        return self.domain_url

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.domain = normalize_domain(self.domain)
        self.folder = (self.folder or "").strip("/")
        validate_domain(self.domain)
        validate_folder(self.folder)
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        manager = type(self)._base_manager.using(using)
        with transaction.atomic(using=using):
            previous_tenant = None
            if self.pk is not None:
                previous_tenant = (
                    manager.filter(pk=self.pk).values_list("tenant_id", flat=True).first()
                )
            _lock_tenants(self, using, {self.tenant_id, previous_tenant} - {None})
            siblings = manager.filter(tenant_id=self.tenant_id)
            if self.pk is not None:
                siblings = siblings.exclude(pk=self.pk)
            if self.is_primary:
                siblings.filter(is_primary=True).update(is_primary=False)
            elif not siblings.filter(is_primary=True).exists():
                # First domain of the tenant, or an attempt to demote its only primary.
                self.is_primary = True
            if self.is_primary:
                # The primary row serves its tenant: it cannot redirect to itself.
                self.redirect_to_primary = False
            super().save(*args, **kwargs)
            if previous_tenant is not None and previous_tenant != self.tenant_id:
                _ensure_primary(type(self), using, previous_tenant)

    save.alters_data = True  # type: ignore[attr-defined]

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            _lock_tenants(self, using, {self.tenant_id})
            result: tuple[int, dict[str, int]] = super().delete(*args, **kwargs)
            _ensure_primary(type(self), using, self.tenant_id)
        return result

    delete.alters_data = True  # type: ignore[attr-defined]

    @property
    def domain_url(self) -> str:
        return f"{self.domain}/{self.folder}" if self.folder else self.domain

    def absolute_url(self, path: str = "/", *, scheme: str = "https") -> str:
        """``https://domain/folder/path`` for this row."""
        return _absolute_url(self.domain, self.folder, path, scheme)


def _lock_tenants(row: DomainModel, using: str, tenant_ids: set[Any]) -> None:
    """Serialize primary bookkeeping per tenant (ordered, so two tenants never deadlock)."""
    tenant_model = row._meta.get_field("tenant").related_model
    list(
        tenant_model._base_manager.using(using)
        .select_for_update()
        .filter(pk__in=sorted(tenant_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _ensure_primary(model: type[DomainModel], using: str, tenant_id: Any) -> None:
    rows = model._base_manager.using(using).filter(tenant_id=tenant_id)
    if rows.filter(is_primary=True).exists():
        return
    first = rows.order_by("pk").first()
    if first is not None:
        first.is_primary = True
        first.redirect_to_primary = False
        first.save(using=using, update_fields=["is_primary", "redirect_to_primary"])


def _absolute_url(domain: str, folder: str, path: str, scheme: str) -> str:
    prefix = f"/{folder}" if folder else ""
    if not path.startswith("/"):
        path = "/" + path
    return f"{scheme}://{domain}{prefix}{path}"


def get_primary_domain(tenant: Any) -> Any:
    """The primary domain row of a tenant (one query), or None when it has no domain.

    For a static tenant (a ``Schema``) it returns its first ``DOMAINS`` entry as
    ``(domain, folder)``, or None.
    """
    if not getattr(tenant, "is_dynamic", False):
        entry = get_config().static.get(tenant.schema_name)
        domains = entry.value(DOMAINS) if entry is not None else ()
        if not domains:
            return None
        return split_domain_folder(domains[0])
    from pgschemas.core.utils import get_domain_model

    domain_model = get_domain_model()
    if domain_model is None:
        return None
    return (
        domain_model._default_manager.using(tenant.db_alias)
        .filter(tenant_id=tenant.pk, is_primary=True)
        .first()
    )


def tenant_absolute_url(tenant: Any, path: str = "/", *, scheme: str = "https") -> str | None:
    """``scheme://primary-domain/folder/path`` for a tenant row or static Schema, or None."""
    primary = get_primary_domain(tenant)
    if primary is None:
        return None
    if isinstance(primary, tuple):
        return _absolute_url(primary[0], primary[1], path, scheme)
    return primary.absolute_url(path, scheme=scheme)  # type: ignore[no-any-return]
