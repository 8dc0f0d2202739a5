"""Schema name rules.

Names are checked once, before any SQL is built with them, so that a bad name can never
reach the server and every name we store is exactly what PostgreSQL stores (unquoted
identifiers are folded to lowercase by PostgreSQL, so we accept lowercase only and never
rely on case folding).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

#: PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes.
MAX_SCHEMA_NAME_BYTES = 63

#: Names PostgreSQL or the library itself reserve.
RESERVED_SCHEMA_NAMES = frozenset({"information_schema"})

_NAME_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")


class InvalidSchemaName(ValidationError):
    """A schema name that breaks one of the naming rules; the message names the rule."""

    def __init__(self, name: str, rule: str) -> None:
        self.name = name
        self.rule = rule
        super().__init__(
            f"Invalid schema name {name!r}: {rule}",
            code="invalid_schema_name",
            params={"name": name},
        )

    def __str__(self) -> str:
        return str(self.messages[0])


def check_schema_name(name: object, *, allow_public: bool = False) -> str:
    """Return ``name`` unchanged if it is a valid schema name, else raise ``InvalidSchemaName``.

    ``allow_public`` admits ``public`` for the places that legitimately address it (DDL
    helpers, activation); tenants may never be called ``public``.
    """
    if not isinstance(name, str):
        raise InvalidSchemaName(
            repr(name), f"a schema name must be a string, not {type(name).__name__}"
        )
    if not name:
        raise InvalidSchemaName(name, "a schema name cannot be empty")
    if not name.isascii():
        raise InvalidSchemaName(
            name, "use only lowercase ASCII letters, digits and underscores (non-ASCII found)"
        )
    size = len(name.encode())
    if size > MAX_SCHEMA_NAME_BYTES:
        raise InvalidSchemaName(
            name, f"at most {MAX_SCHEMA_NAME_BYTES} bytes are allowed (this one has {size})"
        )
    if not _NAME_PATTERN.fullmatch(name):
        if name.lower() != name and _NAME_PATTERN.fullmatch(name.lower()):
            raise InvalidSchemaName(
                name, f"use lowercase only (PostgreSQL folds unquoted names): try {name.lower()!r}"
            )
        raise InvalidSchemaName(
            name,
            "use only lowercase ASCII letters, digits and underscores, "
            "starting with a letter or an underscore",
        )
    if name.startswith("pg_"):
        raise InvalidSchemaName(name, "the 'pg_' prefix is reserved by PostgreSQL")
    if name in RESERVED_SCHEMA_NAMES:
        raise InvalidSchemaName(name, f"{name!r} is reserved by PostgreSQL")
    if name == "public" and not allow_public:
        raise InvalidSchemaName(name, "'public' holds shared data and cannot be a tenant schema")
    return name


def is_valid_schema_name(name: object, *, allow_public: bool = False) -> bool:
    """True when ``check_schema_name`` would accept ``name``."""
    try:
        check_schema_name(name, allow_public=allow_public)
    except InvalidSchemaName:
        return False
    return True
