"""System checks for ``TENANTS`` and the settings around it.

Every check has a stable ID (documented in docs/checks.md) and a message naming the key
and value at fault. Checks read the raw setting, so they still report problems that would
make :func:`pgschemas.core.config.get_config` refuse to parse it.

Split along their jobs: :mod:`.structure` (public entry, keys, models, names),
:mod:`.apps` (app placement), :mod:`.search_paths`, :mod:`.database` (alias, backend,
router, and the checks that query the tenant model), :mod:`.aliases` (silencing
aliases); :mod:`.tenants` runs the settings checks in order. Importing this package
registers the checks, once.
"""

from __future__ import annotations

from django.core.checks import Tags, register

from ..citus import check_citus
from .aliases import _not_silenced_by_alias, _silencing_aliases, register_silencing_alias
from .apps import AUTH, CONTENTTYPES, SESSIONS
from .common import TAG
from .database import (
    BACKEND,
    ROUTER,
    check_dynamic_tenant_names,
    check_extra_paths_against_dynamic,
)
from .tenants import check_tenants

__all__ = [
    "AUTH",
    "BACKEND",
    "CONTENTTYPES",
    "ROUTER",
    "SESSIONS",
    "TAG",
    "_not_silenced_by_alias",
    "_silencing_aliases",
    "check_citus",
    "check_dynamic_tenant_names",
    "check_extra_paths_against_dynamic",
    "check_tenants",
    "register_silencing_alias",
]

register(check_tenants, Tags.compatibility, TAG)
register(check_dynamic_tenant_names, Tags.database, TAG)
register(check_extra_paths_against_dynamic, Tags.database, TAG)
# Citus (docs/citus.md): needs the database, so it runs with `check --database` and `migrate`.
register(check_citus, Tags.database, TAG)
