"""The structure of ``TENANTS``: the public entry, the keys of every entry, the tenant and
domain models, and the schema names of static tenants and of the clone reference."""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.exceptions import ImproperlyConfigured

from .. import settings_registry
from ..config import DEFAULT_KEY, PUBLIC_KEY
from ..validation import InvalidSchemaName, check_schema_name
from .common import _err, _reference_names


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
