"""The database side: the tenant database alias, backend and router classes, and the
checks tagged ``database`` that query the tenant model (dynamic tenant names, extra search
paths naming a dynamic tenant)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage
from django.utils.module_loading import import_string

from ..config import DEFAULT_KEY
from .aliases import _not_silenced_by_alias
from .common import _err, _reference_names

BACKEND = "pgschemas.core.postgresql"
ROUTER = "pgschemas.core.routers.TenantAppsRouter"


def check_extra_paths_against_dynamic(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """``PGSCHEMAS_EXTRA_SEARCH_PATHS`` naming an existing dynamic tenant (E012).

    Tagged ``database``, like :func:`check_dynamic_tenant_names`: it queries the tenant
    model, so it runs only for commands that ask for the tenant database.
    """
    if getattr(settings, "PGSCHEMAS_TENANT_DB_ALIAS", "default") not in (
        kwargs.get("databases") or ()
    ):
        return []
    extra = getattr(settings, "PGSCHEMAS_EXTRA_SEARCH_PATHS", [])
    if isinstance(extra, str) or not isinstance(extra, list | tuple) or not extra:
        return []  # check_tenants reports a malformed value
    return _not_silenced_by_alias(_extra_paths_clashes([str(name) for name in extra]))


def _tenant_rows_named(names: Iterable[str]) -> list[str]:
    """The dynamic tenants' schema names among ``names`` (none when there is no tenant model
    or no database yet, e.g. before the first migrate: nothing to compare)."""
    from django.db import DatabaseError

    from ..utils import get_tenant_model

    try:
        model = get_tenant_model()
        if model is None:
            return []
        return list(
            model._default_manager.filter(schema_name__in=list(names)).values_list(
                "schema_name", flat=True
            )
        )
    except (DatabaseError, LookupError):
        return []


def _extra_paths_clashes(extra: list[str]) -> list[CheckMessage]:
    clashes = _tenant_rows_named(extra)
    return [
        _err(12, f"PGSCHEMAS_EXTRA_SEARCH_PATHS names {name!r}, which is a dynamic tenant.")
        for name in clashes
    ]


def check_dynamic_tenant_names(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Tenant rows named like a static tenant or the clone reference (saved before the
    static tenant was added to settings, or written around ``TenantModel.save``).

    Tagged ``database``: it runs only for commands that ask for the tenant database
    (``migrate``, ``check --database default``), never on ``runserver``'s reloads.
    """
    databases = kwargs.get("databases") or ()
    if getattr(settings, "PGSCHEMAS_TENANT_DB_ALIAS", "default") not in databases:
        return []  # like Django's own database checks: only when asked for the database
    tenants = getattr(settings, "TENANTS", None)
    if not isinstance(tenants, Mapping) or not all(
        isinstance(e, Mapping) for e in tenants.values()
    ):
        return []  # check_tenants reports it
    return _not_silenced_by_alias(_dynamic_name_clashes(tenants))


def _dynamic_name_clashes(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    reserved = {key for key in tenants if key != DEFAULT_KEY} | {
        value for _name, value in _reference_names(tenants) if isinstance(value, str)
    }
    clashes = sorted(_tenant_rows_named(reserved))
    return [
        _err(
            19,
            f"The dynamic tenant {name!r} has the name of a static tenant or of the clone "
            "reference in TENANTS.",
            "Rename the tenant (tenant.rename_schema(new_name)) or the static tenant.",
        )
        for name in clashes
    ]


def _check_database() -> list[CheckMessage]:
    alias = getattr(settings, "PGSCHEMAS_TENANT_DB_ALIAS", "default")
    databases = getattr(settings, "DATABASES", {})
    if alias not in databases:
        return [
            _err(
                16,
                f"PGSCHEMAS_TENANT_DB_ALIAS={alias!r} is not a key of DATABASES.",
            )
        ]
    errors: list[CheckMessage] = []
    engine = databases[alias].get("ENGINE")
    if not _is_our_backend(engine):
        errors.append(
            _err(
                17,
                f'DATABASES[{alias!r}]["ENGINE"] is {engine!r}; tenants need {BACKEND!r}.',
                f"Set ENGINE to {BACKEND!r} (and PGSCHEMAS_ORIGINAL_BACKEND to wrap another).",
            )
        )
    if not any(_is_our_router(router) for router in getattr(settings, "DATABASE_ROUTERS", [])):
        errors.append(
            _err(
                18,
                f"DATABASE_ROUTERS does not include {ROUTER!r}.",
                "Without it every app migrates into every schema.",
            )
        )
    return errors


def _is_our_backend(engine: Any) -> bool:
    """``ENGINE`` loads pgschemas' wrapper (or a subclass), under whatever module path:
    the class is compared, not the string, so aliases need no list here."""
    from ..postgresql.base import DatabaseWrapper

    if not isinstance(engine, str):
        return False
    try:
        wrapper = getattr(import_module(f"{engine}.base"), "DatabaseWrapper", None)
    except ImportError:
        return False  # Django reports an engine it cannot load
    return isinstance(wrapper, type) and issubclass(wrapper, DatabaseWrapper)


def _is_our_router(router: Any) -> bool:
    """A ``DATABASE_ROUTERS`` entry (dotted path or instance) is ``TenantAppsRouter`` or a
    subclass of it."""
    from ..routers import TenantAppsRouter

    if isinstance(router, str):
        try:
            router = import_string(router)
        except ImportError:
            return False  # Django reports a router it cannot import
    cls = router if isinstance(router, type) else type(router)
    return issubclass(cls, TenantAppsRouter)
