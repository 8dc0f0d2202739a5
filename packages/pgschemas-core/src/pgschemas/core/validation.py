"""Schema name rules.

Names are checked once, before any SQL is built with them, so that a bad name can never
reach the server and every name we store is exactly what PostgreSQL stores (unquoted
identifiers are folded to lowercase by PostgreSQL, so we accept lowercase only and never
rely on case folding).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError

#: PostgreSQL truncates identifiers longer than NAMEDATALEN - 1 bytes.
MAX_SCHEMA_NAME_BYTES = 63

#: Names PostgreSQL or the library itself reserve.
RESERVED_SCHEMA_NAMES = frozenset({"information_schema"})

_NAME_PATTERN = re.compile(r"[a-z_][a-z0-9_]*")

#: Prefixes of schema names the pgschemas packages create for themselves (prefix -> owner).
#: ``pg_`` (PostgreSQL's own) is always refused; see :func:`register_reserved_prefix`.
_reserved_prefixes: dict[str, str] = {}
_registry_lock = threading.Lock()
#: Prefixes whose owner is at work in this context (see :func:`owning_reserved_prefix`).
_owned_prefixes: ContextVar[frozenset[str]] = ContextVar(
    "pgschemas_owned_prefixes", default=frozenset()
)


def register_reserved_prefix(prefix: str, owner: str) -> None:
    """Reserve schema names starting with ``prefix`` for ``owner`` (a package, e.g.
    ``"pgschemas.clone"``): :func:`check_schema_name` refuses them everywhere except
    inside :func:`owning_reserved_prefix`, so no tenant can ever be named like the
    schemas a package manages (and be mistaken for one of them)."""
    check_schema_name(prefix)
    with _registry_lock:
        _reserved_prefixes[prefix] = owner


def reserved_prefixes() -> dict[str, str]:
    """The registered reserved prefixes and their owners."""
    return dict(_reserved_prefixes)


@contextmanager
def owning_reserved_prefix(prefix: str) -> Iterator[None]:
    """Let the owner of ``prefix`` create, rename and drop its own schemas in this block
    (a context variable: other threads and tasks are unaffected)."""
    token = _owned_prefixes.set(_owned_prefixes.get() | {prefix})
    try:
        yield
    finally:
        _owned_prefixes.reset(token)


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
    for prefix, owner in _reserved_prefixes.items():
        if name.startswith(prefix) and prefix not in _owned_prefixes.get():
            raise InvalidSchemaName(
                name, f"the {prefix!r} prefix is reserved for schemas {owner} manages"
            )
    if name in RESERVED_SCHEMA_NAMES:
        raise InvalidSchemaName(name, f"{name!r} is reserved by PostgreSQL")
    if name == "public" and not allow_public:
        raise InvalidSchemaName(
            name,
            "'public' holds shared data and cannot be a tenant schema "
            "(a tenant named 'public' would clash with it)",
        )
    return name


def is_valid_schema_name(name: object, *, allow_public: bool = False) -> bool:
    """True when ``check_schema_name`` would accept ``name``."""
    try:
        check_schema_name(name, allow_public=allow_public)
    except InvalidSchemaName:
        return False
    return True
