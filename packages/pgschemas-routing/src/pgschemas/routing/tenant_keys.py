"""The ``TENANTS`` keys pgschemas-routing owns, declared to core's settings registry.

Declared at import (core imports this module itself when it finds one of these keys in
``TENANTS``), so they are known whether or not ``pgschemas.routing`` is in
``INSTALLED_APPS``. Read them with ``entry.value(DOMAINS)``. Import-light on purpose: no
models, no settings access.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pgschemas.core.settings_registry import (
    DEFAULT,
    EVERYWHERE,
    PUBLIC,
    ROUTED_IN_PUBLIC,
    STATIC,
    Refusal,
    TenantKey,
    optional_str,
    register_key,
    string_tuple,
)

from .tenant_dirs import validate_entries

PACKAGE = "pgschemas-routing"
#: A bad value of DOMAINS, FALLBACK_DOMAINS, HEADER or SESSION_KEY.
E002 = "pgschemas.routing.E002"
#: A bad TEMPLATE_DIRS / STATICFILES_DIRS (the ID the check had before the registry).
E001 = "pgschemas.routing.E001"

#: Dynamic tenants get their domains from rows of the domain model (E014).
_DOMAINS_IN_DEFAULT = Refusal(
    "pgschemas.E014",
    'TENANTS["default"] cannot set {key}; dynamic tenants get their domains from the domain model.',
    'Remove {key} from TENANTS["default"] and create domain rows for your tenants.',
)
_ONLY_STATIC = frozenset({STATIC})


def _domains(name: str) -> TenantKey[tuple[str, ...]]:
    return TenantKey(
        name,
        PACKAGE,
        _ONLY_STATIC,
        (),
        partial(string_tuple, name=name),
        check_id=E002,
        hint=f'e.g. "{name}": ["shop.example.com", "example.com/shop"]',
        refusals={PUBLIC: ROUTED_IN_PUBLIC, DEFAULT: _DOMAINS_IN_DEFAULT},
    )


def _name(name: str) -> TenantKey[str | None]:
    return TenantKey(
        name,
        PACKAGE,
        _ONLY_STATIC,
        None,
        partial(optional_str, name=name),
        check_id=E002,
        refusals={PUBLIC: ROUTED_IN_PUBLIC},
    )


def _dirs(value: Any, entry_key: str, *, name: str) -> Any:
    """Validated, kept as written: :mod:`.tenant_dirs` expands it per schema."""
    validate_entries(value, entry_key, name)
    return value


def _dirs_key(name: str) -> TenantKey[Any]:
    return TenantKey(
        name,
        PACKAGE,
        EVERYWHERE,
        None,
        partial(_dirs, name=name),
        check_id=E001,
        hint='e.g. "TEMPLATE_DIRS": [BASE_DIR / "tenants" / "{schema_name}" / "templates"]',
    )


DOMAINS = register_key(_domains("DOMAINS"))
FALLBACK_DOMAINS = register_key(_domains("FALLBACK_DOMAINS"))
HEADER = register_key(_name("HEADER"))
SESSION_KEY = register_key(_name("SESSION_KEY"))
TEMPLATE_DIRS = register_key(_dirs_key("TEMPLATE_DIRS"))
STATICFILES_DIRS = register_key(_dirs_key("STATICFILES_DIRS"))
