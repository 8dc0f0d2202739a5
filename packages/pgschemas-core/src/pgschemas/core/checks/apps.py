"""App placement: every entry's APPS, contenttypes and sessions, and where the tenant and
domain models' apps live."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning

from ..config import DEFAULT_KEY, PUBLIC_KEY
from .common import _err

CONTENTTYPES = "django.contrib.contenttypes"
AUTH = "django.contrib.auth"
SESSIONS = "django.contrib.sessions"


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
