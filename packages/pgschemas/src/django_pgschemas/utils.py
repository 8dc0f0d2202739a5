"""The django-pgschemas ``utils`` helpers that pgschemas has an equivalent for.

Each one hands over to pgschemas-core; where the original helper had a different
signature (``create_schema``/``drop_schema`` returned whether they did anything and took
``check_if_exists``), a few lines adapt the call and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import transaction

from pgschemas.core import ddl
from pgschemas.core.activation import override
from pgschemas.core.config import PUBLIC_KEY, get_config
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import Schema, get_public_schema
from pgschemas.core.utils import get_domain_model, get_tenant_model
from pgschemas.core.validation import check_schema_name, is_valid_schema_name

if TYPE_CHECKING:
    from pgschemas.core.models import (
        validate_tenant_schema_name as check_schema_name_not_reserved,
    )

__all__ = [
    "DryRunException",
    "check_schema_name",
    "check_schema_name_not_reserved",
    "clone_schema",
    "create_or_clone_schema",
    "create_schema",
    "drop_schema",
    "dynamic_models_exist",
    "get_clone_reference",
    "get_domain_model",
    "get_limit_set_calls",
    "get_tenant_database_alias",
    "get_tenant_model",
    "is_valid_identifier",
    "is_valid_schema_name",
    "quote_schema_name",
    "remove_www",
    "run_in_public_schema",
    "schema_exists",
]

_F = TypeVar("_F", bound=Callable[..., Any])


def get_tenant_database_alias() -> str:
    """``PGSCHEMAS_TENANT_DB_ALIAS`` (default ``"default"``)."""
    return get_config().tenant_db_alias


def get_clone_reference() -> str | None:
    """``TENANTS["default"]["CLONE_REFERENCE"]``, or None."""
    return get_config().clone_reference


def schema_exists(schema_name: str, using: str | None = None) -> bool:
    """True when the schema exists (names compare exactly, as PostgreSQL stores them)."""
    return ddl.schema_exists(schema_name, using)


def create_schema(
    schema_name: str,
    check_if_exists: bool = False,
    sync_schema: bool = True,
    verbosity: int = 1,
) -> bool:
    """Create a schema (and migrate it when ``sync_schema``); False if it already existed."""
    if check_if_exists and ddl.schema_exists(schema_name):
        return False
    ddl.create_schema(schema_name, if_not_exists=False)
    if sync_schema:
        is_dynamic = schema_name != PUBLIC_KEY and schema_name not in get_config().static_keys
        migrate_schema(Schema(schema_name, is_dynamic=is_dynamic), verbosity=verbosity)
    return True


def drop_schema(schema_name: str, check_if_exists: bool = True, verbosity: int = 1) -> bool:
    """Drop a schema and its contents; False if there was nothing to drop."""
    if check_if_exists and not ddl.schema_exists(schema_name):
        return False
    ddl.drop_schema(schema_name, if_exists=False)
    return True


class DryRunException(Exception):
    """Raised inside the clone's transaction to roll a dry run back."""


_DryRun = DryRunException


def clone_schema(base_schema_name: str, new_schema_name: str, dry_run: bool = False) -> None:
    """Clone ``base_schema_name`` into a new schema (pgschemas-clone); ``dry_run`` rolls back."""
    from pgschemas.clone import clone_schema as clone

    try:
        with transaction.atomic(using=get_config().tenant_db_alias):
            clone(base_schema_name, new_schema_name)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass


def run_in_public_schema(func: _F) -> _F:
    """Decorator: run ``func`` with ``public`` active, restoring the previous schema after."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with override(get_public_schema()):
            return func(*args, **kwargs)

    return cast(_F, wrapper)


def get_limit_set_calls() -> bool:
    """Always True: the backend sends the search path only when it changes."""
    return True


def is_valid_identifier(identifier: str) -> bool:
    """True for a valid schema name (pgschemas' rules: lowercase, at most 63 bytes)."""
    return is_valid_schema_name(identifier)


def __getattr__(name: str) -> Any:
    # ``check_schema_name_not_reserved`` *is* core's tenant-name validator (looked up on
    # first use: core's models module needs the app registry). The same object matters:
    # an upstream project's migrations list it as the validator of ``schema_name``, and
    # Django's autodetector compares validators by identity, so any other function would
    # make ``makemigrations`` write an AlterField.
    if name == "check_schema_name_not_reserved":
        from pgschemas.core.models import validate_tenant_schema_name

        return validate_tenant_schema_name
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def quote_schema_name(schema_name: str) -> str:
    """The validated name as a quoted SQL identifier (prefer ``psycopg.sql.Identifier``)."""
    from django.db import connections

    check_schema_name(schema_name, allow_public=True)
    return str(connections[get_config().tenant_db_alias].ops.quote_name(schema_name))


def remove_www(path: str) -> str:
    """``www.acme.com`` -> ``acme.com``, as routing treats hosts."""
    from pgschemas.routing.hosts import remove_www as remove

    return remove(path)


def dynamic_models_exist() -> bool:
    """True when the tables of the tenant model (and the domain model, if any) exist."""
    from django.db import connections

    models = [m for m in (get_tenant_model(), get_domain_model()) if m is not None]
    if not models:
        return False
    connection = connections[get_config().tenant_db_alias]
    with override(get_public_schema()):
        tables = set(connection.introspection.table_names())
    return all(m._meta.db_table in tables for m in models)


def create_or_clone_schema(schema_name: str, sync_schema: bool = True, verbosity: int = 1) -> bool:
    """Create a dynamic tenant's schema and provision it (cloned from ``CLONE_REFERENCE``
    when it is set, else migrated); False when the schema already exists."""
    from pgschemas.core.models import validate_tenant_schema_name
    from pgschemas.core.provisioning import provision_schema

    validate_tenant_schema_name(schema_name)
    if ddl.schema_exists(schema_name):
        return False
    if not sync_schema:
        ddl.create_schema(schema_name, if_not_exists=False)
        return True
    with transaction.atomic(using=get_config().tenant_db_alias):
        provision_schema(Schema(schema_name, is_dynamic=True), verbosity=verbosity)  # creates it
    return True
