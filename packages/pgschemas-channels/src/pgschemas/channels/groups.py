"""Channel group names that belong to one tenant.

A channel layer is one namespace for all tenants: two tenants joining ``"chat"`` would get
each other's broadcasts. :func:`tenant_group_name` puts the schema name in front, so the
same logical group is a different group in every tenant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pgschemas.core.activation import get_current_schema

#: What channels accepts as a group name (channels.layers.BaseChannelLayer).
_VALID = re.compile(r"^[a-zA-Z\d\-_.]+$")
MAX_GROUP_NAME_LENGTH = 99


def _schema_name(scope_or_tenant: Any) -> str:
    if scope_or_tenant is None:
        return get_current_schema().schema_name
    if isinstance(scope_or_tenant, Mapping):
        tenant = scope_or_tenant.get("tenant")
        if tenant is None:
            raise ValueError(
                'The scope has no "tenant": tenant_group_name(scope, ...) needs a scope from '
                "TenantProtocolRouter (or pass the tenant itself)."
            )
        scope_or_tenant = tenant
    name = getattr(scope_or_tenant, "schema_name", None)
    if not isinstance(name, str) or not name:
        raise TypeError(
            f"tenant_group_name() needs a scope, a tenant or a Schema, got {scope_or_tenant!r}."
        )
    return name


def tenant_group_name(scope_or_tenant: Any, name: str) -> str:
    """``"<schema>.<name>"``: the group ``name`` of one tenant.

    ``scope_or_tenant`` is a consumer's ``scope`` (uses ``scope["tenant"]``), a tenant row,
    a ``Schema``, or None for the active schema. Raises ``ValueError`` naming the result
    when channels would refuse it (characters other than ASCII letters, digits, ``-``,
    ``_``, ``.``; 100 characters or more).
    """
    group = f"{_schema_name(scope_or_tenant)}.{name}"
    if not name or not _VALID.match(group) or len(group) > MAX_GROUP_NAME_LENGTH:
        raise ValueError(
            f"Invalid group name {group!r} (from {name!r}): channels accepts only ASCII "
            f"letters, digits, '-', '_' and '.', and fewer than {MAX_GROUP_NAME_LENGTH + 1} "
            "characters; use a shorter name made of those."
        )
    return group
