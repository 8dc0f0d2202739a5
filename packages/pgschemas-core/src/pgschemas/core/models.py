"""``TenantModel``: the abstract base of the user's tenant model (dynamic tenants)."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction

from . import ddl, signals
from .config import get_config
from .provisioning import provision_schema
from .routing_info import RoutingInfo, routed_domain, routed_folder
from .schema import SchemaActivationMixin
from .validation import check_schema_name


def validate_tenant_schema_name(value: str) -> None:
    """Model-field validator: a valid name that no static tenant or the reference uses."""
    check_schema_name(value)
    if value in get_config().reserved_names():
        raise ValidationError(
            f"Invalid schema name {value!r}: it clashes with a static tenant or the clone "
            "reference in settings.TENANTS; choose another name.",
            code="reserved_schema_name",
        )


class TenantQuerySet(models.QuerySet[Any]):
    """Deleting through a queryset drops schemas too (row by row, in one transaction)."""

    def delete(self) -> tuple[int, dict[str, int]]:
        total = 0
        counts: dict[str, int] = {}
        with transaction.atomic(using=self.db):
            for tenant in self:
                deleted, per_model = tenant.delete()
                total += deleted
                for label, count in per_model.items():
                    counts[label] = counts.get(label, 0) + count
        return total, counts

    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class TenantModel(SchemaActivationMixin, models.Model):
    """A dynamic tenant: one row, one schema.

    Saving a new row provisions its schema (a provisioner creates and fills it) in the
    same transaction as the INSERT, so either both exist or neither does; saving an
    existing row whose schema is missing provisions it the same way. ``with tenant:`` activates it.
    """

    #: Create and provision the schema when a new row is saved.
    auto_create_schema: ClassVar[bool] = True
    #: Drop the schema when the row is deleted (also through ``queryset.delete()``).
    auto_drop_schema: ClassVar[bool] = False

    is_dynamic: ClassVar[bool] = True

    schema_name = models.CharField(
        max_length=63, unique=True, validators=[validate_tenant_schema_name]
    )

    objects = TenantQuerySet.as_manager()

    #: How the request at hand reached this tenant (set by routing; None outside one).
    routing: RoutingInfo = None
    #: How this instance's schema was built when it created one (``"migrations"``,
    #: ``"clone"``, ``"spare clone"``, ...): what commands report at ``-v 2``. None when
    #: this instance created no schema.
    provisioned_by: str | None = None

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.schema_name)

    def save(self, *args: Any, verbosity: int = 0, **kwargs: Any) -> None:
        is_new = self._state.adding
        validate_tenant_schema_name(self.schema_name)
        if not is_new and self.pk is not None:
            self._refuse_schema_name_change(kwargs.get("using"))
        if not self.auto_create_schema:
            super().save(*args, **kwargs)
            if is_new and not type(self).auto_create_schema:
                # The model leaves schemas to the project (django-pgschemas 1.x and
                # django-tenants send the same): the hook to build it. An instance-level
                # False means the caller made the schema already (a clone, a spare).
                signals.dynamic_tenant_needs_sync.send(sender=type(self), tenant=self)
            return
        using = kwargs.get("using") or self.db_alias
        with transaction.atomic(using=using):
            super().save(*args, **kwargs)
            # An existing row whose schema is gone (dropped by hand, restored from a dump
            # without it) gets it back. The UPDATE above holds the row lock, so concurrent
            # saves of the same tenant check one after the other.
            if is_new or not ddl.schema_exists(self.schema_name, using):
                self.create_schema(verbosity=verbosity)

    def _refuse_schema_name_change(self, using: str | None) -> None:
        manager = type(self)._base_manager.using(using or self.db_alias)
        stored = manager.filter(pk=self.pk).values_list("schema_name", flat=True).first()
        if stored is not None and stored != self.schema_name:
            raise ValidationError(
                f"schema_name cannot change on save ({stored!r} -> {self.schema_name!r}); "
                "use tenant.rename_schema(new_name) to rename the schema and the row together.",
                code="schema_name_changed",
            )

    def create_schema(self, *, sync_schema: bool = True, verbosity: int = 0) -> None:
        """Create this tenant's schema: provisioned (the provisioner creates it, see
        :mod:`.provisioning`), or empty with ``sync_schema=False``."""
        if not sync_schema:
            ddl.create_schema(self.schema_name, using=self.db_alias, if_not_exists=False)
            return
        with transaction.atomic(using=self.db_alias):
            self.provisioned_by = provision_schema(self, verbosity=verbosity)
            signals.dynamic_tenant_post_sync.send(
                sender=type(self), tenant=self, provisioned_by=self.provisioned_by
            )

    def drop_schema(self) -> None:
        """Drop this tenant's schema and everything in it."""
        signals.dynamic_tenant_pre_drop.send(sender=type(self), tenant=self)
        ddl.drop_schema(self.schema_name, using=self.db_alias)

    def rename_schema(self, new_name: str) -> None:
        """Rename the schema and update the row, atomically."""
        validate_tenant_schema_name(new_name)
        old_name = self.schema_name
        with transaction.atomic(using=self.db_alias):
            ddl.rename_schema(old_name, new_name, using=self.db_alias)
            type(self)._base_manager.using(self.db_alias).filter(pk=self.pk).update(
                schema_name=new_name
            )
            self.schema_name = new_name
            signals.dynamic_tenant_post_rename.send(
                sender=type(self), tenant=self, old_name=old_name, new_name=new_name
            )

    def delete(
        self, *args: Any, force_drop: bool = False, **kwargs: Any
    ) -> tuple[int, dict[str, int]]:
        """Delete the row; drop the schema too when ``auto_drop_schema`` (or ``force_drop``)."""
        if not (self.auto_drop_schema or force_drop):
            return cast(tuple[int, dict[str, int]], super().delete(*args, **kwargs))
        with transaction.atomic(using=self.db_alias):
            result = super().delete(*args, **kwargs)
            self.drop_schema()
        return cast(tuple[int, dict[str, int]], result)

    @property
    def db_alias(self) -> str:
        return self._state.db or get_config().tenant_db_alias

    @property
    def domain(self) -> str:
        """The routed host ("" unless routed by domain)."""
        return routed_domain(self.routing)

    @property
    def folder(self) -> str:
        """The routed folder ("" unless routed by domain and folder)."""
        return routed_folder(self.routing)

    @property
    def domain_url(self) -> str:
        """The routed domain, as django-pgschemas spells it (``folder`` is separate)."""
        return self.domain

    @property
    def is_public(self) -> bool:
        return False
