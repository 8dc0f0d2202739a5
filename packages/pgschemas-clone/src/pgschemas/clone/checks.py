"""System check: warn while the clone reference is missing or behind its migrations.

Reading the database from a check is unusual, so this one is careful: it only runs when
``CLONE_REFERENCE`` is set, and any database error (server down, database not created
yet, tables missing) makes it silent rather than failing ``manage.py check``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from pgschemas.core.config import get_config

from .reference import reference_status
from .spares import configured_spares
from .tenant_keys import E001

W001 = "pgschemas.clone.W001"


def check_spares_setting(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """``CLONE_SPARES`` must be a whole number >= 0, and needs ``CLONE_REFERENCE``."""
    try:
        count = configured_spares()
        reference = get_config().clone_reference
    except ImproperlyConfigured:
        # TENANTS unusable, or CLONE_SPARES refused by its parser: core's key check
        # reports that (under E001 for CLONE_SPARES, see tenant_keys).
        return []
    if count and not reference:
        return [
            Error(
                f'TENANTS["default"]["CLONE_SPARES"]={count} without a CLONE_REFERENCE: '
                "spares are clones of the reference.",
                hint='Set TENANTS["default"]["CLONE_REFERENCE"] (e.g. "sample") or remove '
                "CLONE_SPARES.",
                id=E001,
            )
        ]
    return []


def check_reference(
    app_configs: Iterable[Any] | None = None,
    databases: Iterable[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    try:
        config = get_config()
        reference = config.clone_reference
    except ImproperlyConfigured:
        return []  # TENANTS unusable: core's checks report it
    if not reference or config.tenant_db_alias not in (databases or ()):
        return []  # like Django's database checks: only for the databases asked about
    try:
        status = reference_status(reference)
    except DatabaseError:
        return []  # no database (yet): nothing to say about the reference
    if status.ready:
        return []
    if status.exists:
        hint = (
            "Run `python manage.py migrate` (it migrates an existing reference) or "
            "`python manage.py createrefschema`."
        )
    else:
        # `migrate` never creates the reference (it skips it when missing): only
        # createrefschema builds one, complete or not at all.
        hint = "Run `python manage.py createrefschema`; `migrate` does not create it."
    return [
        Warning(
            f"New tenants will be migrated, not cloned: {status.describe()}.",
            hint=hint,
            id=W001,
        )
    ]


# It reads the database: run by `check --database default`, `migrate` and the test runner.
register(check_reference, "pgschemas", Tags.database)
register(check_spares_setting, "pgschemas", Tags.compatibility)
