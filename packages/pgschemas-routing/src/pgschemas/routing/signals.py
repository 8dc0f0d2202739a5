"""Cache invalidation: any save or delete of a tenant or domain row drops cached routes.

Connected in ``PgschemasRoutingConfig.ready()``. Renames (``TenantModel.rename_schema()``) are seen
through core's ``dynamic_tenant_post_rename``. Changes nothing announces
(``QuerySet.update()``, raw SQL) need an explicit
:func:`pgschemas.routing.cache.invalidate`.
"""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.db.models.signals import post_delete, post_save

from pgschemas.core.models import TenantModel
from pgschemas.core.signals import dynamic_tenant_post_rename, dynamic_tenant_pre_drop

from . import cache, conf
from .hosts import HOST_SETTINGS, clear_hosts
from .models import DomainModel
from .routes import clear_static_tables
from .urlconf import clear_folder_urlconfs

_ROUTING_SETTINGS = frozenset(
    {
        "TENANTS",
        "ROOT_URLCONF",
        "PGSCHEMAS_ROUTING_CACHE",
        "PGSCHEMAS_ROUTING_CACHE_TIMEOUT",
        "PGSCHEMAS_TENANT_DB_ALIAS",
    }
)


def _routing_rows_changed(sender: Any, instance: Any = None, **kwargs: Any) -> None:
    if isinstance(sender, type) and issubclass(sender, DomainModel | TenantModel):
        cache.invalidate(using=kwargs.get("using"))


def _tenant_dropped(sender: Any, tenant: Any = None, **kwargs: Any) -> None:
    cache.invalidate(using=getattr(tenant, "db_alias", None))


def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in HOST_SETTINGS:
        clear_hosts()
    if setting in conf.MEMO_SETTINGS:
        conf.clear_memo()
    if setting in _ROUTING_SETTINGS:
        clear_static_tables()
        clear_folder_urlconfs()
        cache.clear_local()


def connect() -> None:
    post_save.connect(_routing_rows_changed, dispatch_uid="pgschemas.routing.post_save")
    post_delete.connect(_routing_rows_changed, dispatch_uid="pgschemas.routing.post_delete")
    dynamic_tenant_pre_drop.connect(_tenant_dropped, dispatch_uid="pgschemas.routing.drop")
    dynamic_tenant_post_rename.connect(_tenant_dropped, dispatch_uid="pgschemas.routing.rename")
    setting_changed.connect(_settings_changed, dispatch_uid="pgschemas.routing.settings")
