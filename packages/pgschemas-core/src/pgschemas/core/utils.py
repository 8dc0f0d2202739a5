"""Model lookups driven by ``TENANTS``."""

from __future__ import annotations

from django.apps import apps
from django.db import models

from .config import get_config


def get_tenant_model(*, require_ready: bool = True) -> type[models.Model] | None:
    """The tenant model named by ``TENANT_MODEL``, or None when there are no dynamic tenants."""
    label = get_config().tenant_model
    return apps.get_model(label, require_ready=require_ready) if label else None


def get_domain_model(*, require_ready: bool = True) -> type[models.Model] | None:
    """The domain model named by ``DOMAIN_MODEL``, or None when none is configured."""
    label = get_config().domain_model
    return apps.get_model(label, require_ready=require_ready) if label else None
