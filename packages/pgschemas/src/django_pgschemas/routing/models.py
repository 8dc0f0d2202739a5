"""``from django_pgschemas.routing.models import DomainModel``.

The name is 1.x's, so it is the model with 1.x's field set: an existing project's domain
migration then matches, and ``makemigrations`` finds nothing to do after the switch. New
projects use :class:`pgschemas.routing.models.DomainModel` (its own field set, with a
database index for one primary per tenant).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from pgschemas.routing import models as routing_models
from pgschemas.routing.models import get_primary_domain, tenant_absolute_url

#: django-pgschemas 1.x's name for :func:`get_primary_domain` (the tenant's primary row,
#: or None).
get_primary_domain_for_tenant = get_primary_domain


class DomainModel(routing_models.DomainModel):
    """:class:`pgschemas.routing.models.DomainModel` with django-pgschemas 1.x's field set, for 1.x projects.

    Projects moving from django-pgschemas already have a migration for their domain table,
    written from 1.x's abstract model. Declaring the same fields and ``Meta`` here is what
    lets ``makemigrations`` find nothing to do after the switch (the autodetector compares
    field definitions, validators and constraints included). The behaviour is
    pgschemas-routing's, enforced in Python instead of by the schema: exactly one
    primary per tenant (``save``/``delete`` lock the tenant row and demote or promote in
    the same transaction; bulk ``update()`` and raw SQL are not checked, there is no
    database constraint), the primary row never redirects, and ``save`` validates the
    domain and the folder with the same errors. As in 1.x, ``is_primary`` defaults to
    True: a new row becomes its tenant's primary unless saved with ``is_primary=False``.
    In forms (``full_clean``), ``folder`` also follows ``SlugField``'s rule, as in 1.x.
    """

    domain = models.CharField(max_length=253, db_index=True)
    folder = models.SlugField(max_length=253, blank=True, db_index=True)
    is_primary = models.BooleanField(default=True)

    class Meta:
        abstract = True
        unique_together = (("domain", "folder"),)

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's field checks, plus the domain rule the field itself does not carry."""
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        skipped = set(exclude or ())
        for name, validate in (
            ("domain", routing_models.validate_domain),
            ("folder", routing_models.validate_folder),
        ):
            if name in skipped or name in errors or (name == "folder" and not self.folder):
                continue
            try:
                validate(getattr(self, name))
            except ValidationError as error:
                errors.setdefault(name, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)


__all__ = [
    "DomainModel",
    "get_primary_domain",
    "get_primary_domain_for_tenant",
    "tenant_absolute_url",
]
