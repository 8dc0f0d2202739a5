"""The ``TENANTS`` keys pgschemas-clone owns, declared to core's settings registry.

Declared at import (core imports this module itself when it finds one of them in
``TENANTS``). ``CLONE_REFERENCE`` is declared ``names_schema``: core learns the reference
schema's name from it (``get_config().clone_reference``), reserves it and migrates it with
``default``'s apps, without parsing a key of ours.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured

from pgschemas.core.settings_registry import DEFAULT, TenantKey, register_key

PACKAGE = "pgschemas-clone"
#: A bad CLONE_SPARES (the ID clone's check has always used for it).
E001 = "pgschemas.clone.E001"
_ONLY_DEFAULT = frozenset({DEFAULT})


def _reference(value: Any, entry_key: str) -> str | None:
    """A schema name (core's checks apply the naming rules, E006/E007) or None."""
    if value is None or isinstance(value, str):
        return value or None
    raise ImproperlyConfigured(
        f'TENANTS["default"]["CLONE_REFERENCE"]={value!r}: expected the name of the '
        'reference schema, e.g. "sample".'
    )


def _spares(value: Any, entry_key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ImproperlyConfigured(
            f'TENANTS["default"]["CLONE_SPARES"]={value!r}: expected a whole number >= 0 '
            "(how many spare clones of the reference to keep ready), e.g. 5."
        )
    return value


CLONE_REFERENCE: TenantKey[str | None] = register_key(
    TenantKey(
        "CLONE_REFERENCE",
        PACKAGE,
        _ONLY_DEFAULT,
        None,
        _reference,
        check_id="pgschemas.E006",
        names_schema=True,
    )
)
CLONE_SPARES: TenantKey[int] = register_key(
    TenantKey(
        "CLONE_SPARES",
        PACKAGE,
        _ONLY_DEFAULT,
        0,
        _spares,
        check_id=E001,
        hint='Set it to an int, e.g. "CLONE_SPARES": 5.',
    )
)
