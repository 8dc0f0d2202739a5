"""The ``TENANTS`` key pgschemas-channels owns, declared to core's settings registry.

pgschemas-channels has no app (nothing runs its ``ready()``): the key is declared when
this module is imported, by :mod:`.urlconf` or by core itself when it finds
``WS_URLCONF`` in ``TENANTS``. Read it with ``entry.value(WS_URLCONF)``.
"""

from __future__ import annotations

from functools import partial

from pgschemas.core.settings_registry import (
    DEFAULT,
    PUBLIC,
    ROUTED_IN_PUBLIC,
    STATIC,
    TenantKey,
    optional_str,
    register_key,
)

#: A ``WS_URLCONF`` that is not a dotted module path.
E001 = "pgschemas.channels.E001"

WS_URLCONF: TenantKey[str | None] = register_key(
    TenantKey(
        "WS_URLCONF",
        "pgschemas-channels",
        frozenset({STATIC, DEFAULT}),
        None,
        partial(optional_str, name="WS_URLCONF"),
        check_id=E001,
        hint='e.g. "WS_URLCONF": "myproject.ws_urls" (a module with urlpatterns)',
        refusals={PUBLIC: ROUTED_IN_PUBLIC},
    )
)
