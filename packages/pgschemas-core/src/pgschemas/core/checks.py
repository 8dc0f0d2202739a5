"""System checks for ``TENANTS`` and the settings around it.

Every check has a stable ID (documented in docs/checks.md) and a message naming the key
and value at fault. Checks read the raw setting, so they still report problems that would
make :func:`pgschemas.core.config.get_config` refuse to parse it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import get_close_matches
from importlib import import_module
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from . import settings_registry
from .config import DEFAULT_KEY, PUBLIC_KEY
from .validation import InvalidSchemaName, check_schema_name

BACKEND = "pgschemas.core.postgresql"
ROUTER = "pgschemas.core.routers.TenantAppsRouter"
#: Every check of the family carries this tag too: ``manage.py check --tag pgschemas``.
TAG = "pgschemas"
CONTENTTYPES = "django.contrib.contenttypes"
AUTH = "django.contrib.auth"
SESSIONS = "django.contrib.sessions"


def _err(id_: int, msg: str, hint: str | None = None) -> Error:
    return Error(msg, hint=hint, id=f"pgschemas.E{id_:03d}")


def _apps_of(entry: Mapping[str, Any]) -> list[str]:
    apps = entry.get("APPS")
    return list(apps) if isinstance(apps, list | tuple) else []


def _app_module(label: str) -> str:
    """'shared.Tenant' -> the module path of app 'shared' as listed in INSTALLED_APPS."""
    from django.apps import apps

    app_label = label.split(".", 1)[0]
    try:
        return str(apps.get_app_config(app_label).name)
    except LookupError:
        return app_label


def _user_model_app() -> str | None:
    """The module path of the app holding ``AUTH_USER_MODEL``; None when it is not installed
    (Django's own auth checks report that)."""
    from django.apps import apps

    label = str(getattr(settings, "AUTH_USER_MODEL", "auth.User"))
    try:
        return str(apps.get_app_config(label.split(".", 1)[0]).name)
    except LookupError:
        return None


#: Other IDs that silence one of ours (``register_silencing_alias``): our ID -> theirs.
_silencing_aliases: dict[str, set[str]] = {}


def register_silencing_alias(check_id: str, alias: str) -> None:
    """Let ``alias`` in ``SILENCED_SYSTEM_CHECKS`` silence our check ``check_id`` too.

    For projects moving from another package whose check of the same condition had
    another ID (the ``django_pgschemas`` compatibility layer registers django-pgschemas'
    IDs): their ``SILENCED_SYSTEM_CHECKS`` keep meaning what they meant.
    """
    _silencing_aliases.setdefault(check_id, set()).add(alias)


def _not_silenced_by_alias(messages: list[CheckMessage]) -> list[CheckMessage]:
    silenced = set(getattr(settings, "SILENCED_SYSTEM_CHECKS", ()))
    if not silenced or not _silencing_aliases:
        return messages
    return [m for m in messages if not (_silencing_aliases.get(str(m.id), set()) & silenced)]


def check_tenants(app_configs: Iterable[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    tenants = getattr(settings, "TENANTS", None)
    if not isinstance(tenants, Mapping):
        return [
            _err(
                1,
                f"TENANTS must be a dict, got {type(tenants).__name__}.",
                'Define TENANTS = {"public": {"APPS": [...]}, ...} in your settings.',
            )
        ]
    errors: list[CheckMessage] = []
    for key, entry in tenants.items():
        if not isinstance(entry, Mapping):
            errors.append(_err(1, f"TENANTS[{key!r}] must be a dict, got {type(entry).__name__}."))
    if errors:
        return errors
    errors += _check_public(tenants)
    errors += _check_keys(tenants)
    errors += _check_models(tenants)
    errors += _check_names(tenants)
    errors += _check_apps(tenants)
    errors += _check_search_paths(tenants)
    errors += _check_database()
    return _not_silenced_by_alias(errors)


def _check_public(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    if PUBLIC_KEY not in tenants:
        return [
            _err(2, 'TENANTS has no "public" entry.', 'Add TENANTS["public"] = {"APPS": [...]}.')
        ]
    return []


def _check_keys(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    """Every key of every entry is declared by an installed package, sits in an entry it
    belongs to, and has a value its package's parser accepts."""
    errors: list[CheckMessage] = []
    for entry_key, entry in tenants.items():
        where = settings_registry.where_of(entry_key)
        for name, value in entry.items():
            declared = settings_registry.find_key(name)
            if declared is None:
                errors.append(_unknown_key(entry_key, name))
            elif where not in declared.entries:
                errors.append(_misplaced_key(declared, entry_key, value))
            else:
                try:
                    declared.read(entry_key, entry)
                except ImproperlyConfigured as exc:
                    errors.append(Error(str(exc), hint=declared.hint, id=declared.check_id))
    return errors


def _unknown_key(entry_key: str, name: str) -> CheckMessage:
    owner = settings_registry.KNOWN_OWNERS.get(name)
    if owner is not None:
        hint = f"{name} is read by {owner}, which is not installed: install {owner}."
    else:
        settings_registry.load_all()
        listing = "; ".join(
            f"{package}: {', '.join(names)}"
            for package, names in settings_registry.keys_by_package().items()
        )
        close = get_close_matches(name, settings_registry.declared_keys(), n=1)
        hint = (f"Did you mean {close[0]!r}? " if close else "") + f"Keys by package: {listing}."
    return Error(
        f"TENANTS[{entry_key!r}] sets {name!r}, which no installed pgschemas package reads.",
        hint=hint,
        id=settings_registry.UNKNOWN_KEY_ID,
    )


def _misplaced_key(
    declared: settings_registry.TenantKey[Any], entry_key: str, value: Any
) -> CheckMessage:
    where = settings_registry.where_of(entry_key)
    refusal = declared.refusals.get(where)
    fields = {"key": declared.name, "value": repr(value), "entry": repr(entry_key)}
    if refusal is not None:
        hint = refusal.hint.format(**fields) if refusal.hint else None
        return Error(refusal.message.format(**fields), hint=hint, id=refusal.id)
    allowed = ", ".join(sorted(declared.entries))
    return Error(
        f"TENANTS[{entry_key!r}] sets {declared.name}={value!r}, but {declared.name} "
        f"({declared.package}) only applies to these entries: {allowed}.",
        hint=f"Remove {declared.name} from TENANTS[{entry_key!r}].",
        id=settings_registry.MISPLACED_KEY_ID,
    )


def _reference_names(tenants: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """``(key, value)`` of each set key of ``default`` that names a schema (the clone
    reference, when pgschemas-clone is installed)."""
    default = tenants.get(DEFAULT_KEY) or {}
    return [
        (declared.name, default[declared.name])
        for declared in settings_registry.schema_name_keys(default)
        if default[declared.name] is not None
    ]


def _check_models(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    public = tenants.get(PUBLIC_KEY, {})
    default = tenants.get(DEFAULT_KEY)
    for key in ("TENANT_MODEL", "DOMAIN_MODEL"):
        if key in public and default and key in default:
            errors.append(
                _err(
                    4,
                    f'{key} is set in both TENANTS["public"] ({public[key]!r}) and '
                    f'TENANTS["default"] ({default[key]!r}).',
                    "Declare it in one place only.",
                )
            )
    tenant_model = public.get("TENANT_MODEL") or (default or {}).get("TENANT_MODEL")
    if default is not None and not tenant_model:
        errors.append(
            _err(
                13,
                'TENANTS["default"] configures dynamic tenants but no TENANT_MODEL is set.',
                'Set TENANTS["public"]["TENANT_MODEL"] = "app_label.ModelName".',
            )
        )
    if tenant_model and default is None:
        errors.append(
            _err(
                13,
                f'TENANT_MODEL={tenant_model!r} is set but TENANTS has no "default" entry.',
                'Add TENANTS["default"] = {"APPS": [...], "URLCONF": "..."} for dynamic tenants.',
            )
        )
    if default is not None and tenant_model and not default.get("URLCONF"):
        errors.append(
            _err(
                5,
                'TENANTS["default"] has a tenant model but no URLCONF.',
                'Set TENANTS["default"]["URLCONF"] to the urlconf of your dynamic tenants.',
            )
        )
    return errors


def _check_names(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    static_keys = [key for key in tenants if key not in (PUBLIC_KEY, DEFAULT_KEY)]
    for key in static_keys:
        try:
            check_schema_name(key)
        except InvalidSchemaName as exc:
            errors.append(_err(6, f"TENANTS key {key!r} is not a valid schema name: {exc.rule}."))
    for name, reference in _reference_names(tenants):
        if not isinstance(reference, str):
            continue  # its package's parser refuses it (reported by _check_keys)
        try:
            check_schema_name(reference)
        except InvalidSchemaName as exc:
            errors.append(_err(6, f'TENANTS["default"]["{name}"]={reference!r}: {exc.rule}.'))
        else:
            if reference in static_keys:
                errors.append(
                    _err(
                        7,
                        f"{name}={reference!r} clashes with the static tenant of the same name.",
                        "Pick a name no static tenant uses.",
                    )
                )
    return errors


def _check_apps(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    installed = set(settings.INSTALLED_APPS)
    for key, entry in tenants.items():
        if not isinstance(entry.get("APPS"), list | tuple):
            errors.append(
                _err(
                    8,
                    f"TENANTS[{key!r}] has no APPS list (got {entry.get('APPS')!r}).",
                    f'Set TENANTS[{key!r}]["APPS"] to the apps whose tables live there.',
                )
            )
            continue
        apps = _apps_of(entry)
        for app in apps:
            if app not in installed:
                errors.append(
                    Warning(
                        f'TENANTS[{key!r}]["APPS"] lists {app!r}, which is not in INSTALLED_APPS.',
                        hint="Add it to INSTALLED_APPS or remove it from APPS.",
                        id="pgschemas.W006",
                    )
                )
        if key != PUBLIC_KEY and CONTENTTYPES in apps:
            errors.append(
                _err(
                    9,
                    f'{CONTENTTYPES!r} is in TENANTS[{key!r}]["APPS"]; it must live in public only.',
                    'Move it to TENANTS["public"]["APPS"].',
                )
            )
        user_app = _user_model_app()
        if SESSIONS in apps and user_app is not None and user_app not in apps:
            errors.append(
                _err(
                    10,
                    f'{SESSIONS!r} is in TENANTS[{key!r}]["APPS"] without {user_app!r}, '
                    f"the app of AUTH_USER_MODEL={settings.AUTH_USER_MODEL!r}.",
                    f'Sessions refer to users: list {user_app!r} in TENANTS[{key!r}]["APPS"] '
                    "too, or remove sessions from it.",
                )
            )
    public = tenants.get(PUBLIC_KEY, {})
    default = tenants.get(DEFAULT_KEY) or {}
    for model_key in ("TENANT_MODEL", "DOMAIN_MODEL"):
        label = public.get(model_key) or default.get(model_key)
        if not label:
            continue
        module = _app_module(label)
        if module not in _apps_of(public):
            errors.append(
                _err(
                    11,
                    f"{model_key}={label!r}: its app {module!r} is not in "
                    'TENANTS["public"]["APPS"].',
                    "Tenant and domain models live in public only.",
                )
            )
        for key, entry in tenants.items():
            if key != PUBLIC_KEY and module in _apps_of(entry):
                errors.append(
                    _err(
                        11,
                        f"{model_key}={label!r}: its app {module!r} is also in "
                        f'TENANTS[{key!r}]["APPS"].',
                        "Tenant and domain models live in public only.",
                    )
                )
    return errors


def _check_search_paths(tenants: Mapping[str, Any]) -> list[CheckMessage]:
    extra = getattr(settings, "PGSCHEMAS_EXTRA_SEARCH_PATHS", [])
    if isinstance(extra, str) or not isinstance(extra, list | tuple):
        return [
            _err(
                12,
                f"PGSCHEMAS_EXTRA_SEARCH_PATHS must be a list of schema names, got {extra!r}.",
            )
        ]
    tenant_schemas = {key for key in tenants if key != DEFAULT_KEY} | {
        value for _name, value in _reference_names(tenants) if isinstance(value, str)
    }
    errors: list[CheckMessage] = []
    for name in extra:
        if name in tenant_schemas:
            errors.append(
                _err(
                    12,
                    f"PGSCHEMAS_EXTRA_SEARCH_PATHS names {name!r}, which is a tenant schema.",
                    "Extra search paths are for shared schemas such as extensions only.",
                )
            )
    return errors


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


def _extra_paths_clashes(extra: list[str]) -> list[CheckMessage]:
    from django.db import DatabaseError

    from .utils import get_tenant_model

    try:
        model = get_tenant_model()
        if model is None:
            return []
        clashes = list(
            model._default_manager.filter(schema_name__in=extra).values_list(
                "schema_name", flat=True
            )
        )
    except (DatabaseError, LookupError):
        return []  # no database yet (e.g. before the first migrate): nothing to compare
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
    from django.db import DatabaseError

    from .utils import get_tenant_model

    reserved = {key for key in tenants if key != DEFAULT_KEY} | {
        value for _name, value in _reference_names(tenants) if isinstance(value, str)
    }
    try:
        model = get_tenant_model()
        if model is None:
            return []
        clashes = sorted(
            model._default_manager.filter(schema_name__in=reserved).values_list(
                "schema_name", flat=True
            )
        )
    except (DatabaseError, LookupError):
        return []  # no database yet (e.g. before the first migrate): nothing to compare
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
    from .postgresql.base import DatabaseWrapper

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
    from .routers import TenantAppsRouter

    if isinstance(router, str):
        try:
            router = import_string(router)
        except ImportError:
            return False  # Django reports a router it cannot import
    cls = router if isinstance(router, type) else type(router)
    return issubclass(cls, TenantAppsRouter)


register(check_tenants, Tags.compatibility, TAG)
register(check_dynamic_tenant_names, Tags.database, TAG)
register(check_extra_paths_against_dynamic, Tags.database, TAG)

# Citus (docs/citus.md): needs the database, so it runs with `check --database` and `migrate`.
from .citus import check_citus  # noqa: E402

register(check_citus, Tags.database, TAG)
