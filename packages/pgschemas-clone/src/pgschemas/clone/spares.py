"""Spare schemas: clones of the reference made ahead of time, renamed into new tenants.

A clone costs what PostgreSQL's DDL costs: one file per table, index and sequence, and
their catalog rows, most of it inside the server (docs/benchmarks.md). That cost cannot
be cut much further, but it can be paid *before* a tenant is created.
With ``TENANTS["default"]["CLONE_SPARES"] = N``, ``manage.py clonespares`` (also run by
``createrefschema``) keeps N clones of the reference under reserved names; creating a
tenant then renames one of them (``ALTER SCHEMA ... RENAME``: one catalog row) instead of
cloning.

A spare is only used while it is provably what a clone made now would be. Its schema
comment records the reference's :mod:`.fingerprint` at the moment it was cloned; taking it
recomputes the fingerprint and refuses spares whose fingerprint differs (the reference
was migrated, edited, loaded with data...). Such stale spares are left for
``clonespares`` to replace, and the tenant is cloned directly, so a stale spare makes
creation slower, never different.

Renaming keeps everything PostgreSQL stores by object id: defaults (``nextval``), views,
triggers, constraints, foreign keys, comments, sequence ownership. The one thing stored as
text is a function body: bodies that name the schema (rewritten by the clone to name the
spare) are rewritten again, to the tenant's name, right after the rename.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import DatabaseError, connections, transaction
from psycopg import sql

from pgschemas.core.config import get_config
from pgschemas.core.validation import owning_reserved_prefix

from .clone import clone_schema
from .fingerprint import schema_digest
from .plan import CloneError, _qualified_reference
from .reference import lock_reference, reference_status
from .tenant_keys import CLONE_SPARES

logger = logging.getLogger("pgschemas.clone")

#: Spare schemas are named ``pgschemas_spare_`` + 16 hex digits. The prefix is reserved
#: (registered in the app config): no tenant can be named like a spare and be taken for one.
SPARE_PREFIX = "pgschemas_spare_"
SETTING = "CLONE_SPARES"
#: First key of the advisory locks that claim a spare (the second is the name's hash).
_LOCK_KEY = 0x70677370  # "pgsp"
_LABEL_VERSION = 1
_SPARE_NAME = re.compile(re.escape(SPARE_PREFIX) + r"[0-9a-f]{16}")

_LIST_SPARES = """
SELECT n.nspname, d.description
  FROM pg_catalog.pg_namespace n
  JOIN pg_catalog.pg_description d
    ON d.objoid = n.oid AND d.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass
 WHERE n.nspname LIKE 'pgschemas\\_spare\\_%'
 ORDER BY n.nspname
"""


@dataclass(frozen=True)
class SpareLabel:
    """What a spare's schema comment says: whose clone it is and in what state."""

    reference: str
    digest: str
    #: Some function bodies name the spare and must be rewritten when it is renamed.
    rewrite_functions: bool

    def dumps(self) -> str:
        return json.dumps(
            {
                "pgschemas_spare": _LABEL_VERSION,
                "reference": self.reference,
                "digest": self.digest,
                "rewrite_functions": self.rewrite_functions,
            },
            sort_keys=True,
        )

    @classmethod
    def loads(cls, text: str | None) -> SpareLabel | None:
        try:
            data = json.loads(text or "")
            if data.get("pgschemas_spare") != _LABEL_VERSION:
                return None
            return cls(str(data["reference"]), str(data["digest"]), bool(data["rewrite_functions"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None


@dataclass(frozen=True)
class Spare:
    """A spare schema: a reserved name whose comment is a valid :class:`SpareLabel`."""

    name: str
    label: SpareLabel


@dataclass(frozen=True)
class FillResult:
    """What :func:`fill_spares` did."""

    created: tuple[str, ...]
    dropped: tuple[str, ...]
    kept: tuple[str, ...]


def configured_spares() -> int:
    """``TENANTS["default"]["CLONE_SPARES"]`` (0 when unset); the system check validates it."""
    config = get_config()
    if config.default is None:
        return 0
    return config.default.value(CLONE_SPARES)


@contextmanager
def _cursor(using: str) -> Iterator[Any]:
    """A raw psycopg cursor on the tenant connection (statements are ours, not routed)."""
    with connections[using].cursor() as cursor:
        yield cursor.cursor


def list_spares(*, using: str | None = None) -> list[Spare]:
    """Every spare schema in the database.

    Only schemas with a spare's name *and* a spare's label count: nothing else is ever
    dropped or renamed by this module, whatever its name.
    """
    alias = using or get_config().tenant_db_alias
    with _cursor(alias) as cursor:
        cursor.execute(_LIST_SPARES)
        return [
            Spare(name, label)
            for name, text in cursor.fetchall()
            if is_spare_name(name) and (label := SpareLabel.loads(text)) is not None
        ]


def reference_digest(reference: str, *, using: str | None = None) -> str | None:
    """The reference's current fingerprint (None if the schema does not exist)."""
    alias = using or get_config().tenant_db_alias
    with _cursor(alias) as cursor:
        return schema_digest(cursor, reference)


def is_spare_name(name: str) -> bool:
    """Whether ``name`` has the form of a spare schema's name."""
    return _SPARE_NAME.fullmatch(name) is not None


def _new_name() -> str:
    return SPARE_PREFIX + secrets.token_hex(8)


def make_spare(reference: str, *, using: str | None = None) -> str | None:
    """Clone ``reference`` into a new spare; None if the reference changed meanwhile.

    The fingerprint is taken before and after the clone, in the clone's transaction: equal
    fingerprints mean no change was committed to the reference while it was copied, so the
    label describes exactly what the spare holds. A reference that is not ready (missing,
    half-built, behind its migrations) raises :class:`CloneError`: spares are only ever made
    of a complete reference.
    """
    made = _make(reference, using or get_config().tenant_db_alias, wanted=None)
    return made if isinstance(made, str) else None


#: What :func:`_make` answers when ``wanted`` fresh spares already exist.
_ENOUGH = object()


def _make(reference: str, alias: str, *, wanted: int | None) -> str | object | None:
    """Make one spare; with ``wanted``, only if fewer than that many fresh ones exist.

    The transaction-level advisory lock makes concurrent fillers take turns spare by spare,
    and the count is taken under it, so two ``clonespares`` runs never overshoot.
    """
    name = _new_name()
    with transaction.atomic(using=alias):
        with _cursor(alias) as cursor:
            cursor.execute("SELECT pg_catalog.pg_advisory_xact_lock(%s, 0)", [_LOCK_KEY])
        lock_reference(reference, using=alias)
        before = reference_digest(reference, using=alias)
        if before is None:
            raise CloneError(
                f"Cannot make spare clones of {reference!r}: the schema does not exist. "
                "Run `manage.py createrefschema` first."
            )
        # Checked between the two fingerprints: when they match, the state that was found
        # ready is the state that was copied. A spare of a half-migrated reference would
        # match that reference's fingerprint, so it must never be made.
        status = reference_status(reference, using=alias)
        if not status.ready:
            raise CloneError(f"No spare clone was made: {status.describe()}.")
        if wanted is not None:
            fresh = [
                spare
                for spare in list_spares(using=alias)
                if spare.label.reference == reference and spare.label.digest == before
            ]
            if len(fresh) >= wanted:
                return _ENOUGH
        with owning_reserved_prefix(SPARE_PREFIX):
            clone_schema(reference, name, using=alias)
        if reference_digest(reference, using=alias) != before:
            transaction.set_rollback(True, using=alias)
            return None
        with _cursor(alias) as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_proc p "
                "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = %s AND pg_catalog.strpos(p.prosrc, %s) > 0)",
                [name, name],
            )
            rewrite = bool(cursor.fetchone()[0])
            label = SpareLabel(reference, before, rewrite)
            cursor.execute(
                sql.SQL("COMMENT ON SCHEMA {} IS {}")
                .format(sql.Identifier(name), sql.Literal(label.dumps()))
                .as_string(cursor.connection)
            )
    return name


def _claim(cursor: Any, name: str) -> bool:
    """Lock spare ``name`` for this transaction; False if another transaction holds it."""
    cursor.execute(
        "SELECT pg_catalog.pg_try_advisory_xact_lock(%s, pg_catalog.hashtext(%s))",
        [_LOCK_KEY, name],
    )
    return bool(cursor.fetchone()[0])


def _drop(name: str, *, using: str) -> bool:
    """Drop one spare unless another process holds it (it is being taken right now)."""
    with (
        owning_reserved_prefix(SPARE_PREFIX),
        transaction.atomic(using=using),
        _cursor(using) as cursor,
    ):
        if not _claim(cursor, name):
            return False
        cursor.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
            .format(sql.Identifier(name))
            .as_string(cursor.connection)
        )
    return True


def fill_spares(count: int | None = None, *, using: str | None = None) -> FillResult:
    """Drop stale spares and clone fresh ones until ``count`` (default: CLONE_SPARES) are ready.

    A spare is stale when its label names another reference, or records
    another fingerprint than the reference's current one. ``count=0`` drops every spare.
    Each new spare is its own transaction, so an interrupted fill keeps what it finished.
    """
    wanted = configured_spares() if count is None else count
    if wanted < 0:
        raise ValueError(f"count={wanted!r}: expected a whole number >= 0.")
    config = get_config()
    alias = using or config.tenant_db_alias
    reference = config.clone_reference
    if wanted and reference is None:
        raise CloneError(
            'Spare clones need a clone reference: set TENANTS["default"]["CLONE_REFERENCE"].'
        )
    return _fill(wanted, reference, alias)


def _fill(wanted: int, reference: str | None, alias: str) -> FillResult:
    spares = list_spares(using=alias)
    digest = reference_digest(reference, using=alias) if reference and wanted else None
    fresh: list[str] = []
    dropped: list[str] = []
    for spare in spares:
        label = spare.label
        usable = digest is not None and label.reference == reference and label.digest == digest
        if usable and len(fresh) < wanted:
            fresh.append(spare.name)
        elif _drop(spare.name, using=alias):
            dropped.append(spare.name)
    created: list[str] = []
    attempts = 0
    while reference is not None and len(fresh) + len(created) < wanted:
        attempts += 1
        if attempts > wanted + 3:
            raise CloneError(
                f"The reference schema {reference!r} kept changing while spares were being "
                "cloned from it; run `manage.py clonespares` again once it is quiet."
            )
        made = _make(reference, alias, wanted=wanted)
        if made is _ENOUGH:
            break  # another filler made the rest meanwhile
        if isinstance(made, str):
            created.append(made)
    return FillResult(tuple(created), tuple(dropped), tuple(fresh))


def rewrite_function_bodies(cursor: Any, spare: str, tenant: str) -> None:
    """Point function bodies that named schema ``spare`` at ``tenant`` (after a rename)."""
    cursor.execute(
        "SELECT pg_catalog.pg_get_functiondef(p.oid) FROM pg_catalog.pg_proc p "
        "JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
        "WHERE n.nspname = %s AND pg_catalog.strpos(p.prosrc, %s) > 0",
        [tenant, spare],
    )
    pattern = _qualified_reference(spare)
    quoted = '"' + tenant.replace('"', '""') + '"'
    for (definition,) in cursor.fetchall():
        cursor.execute(pattern.sub(lambda _m: quoted + ".", definition))


def take_spare(tenant_schema: str, reference: str, *, using: str) -> str | None:
    """Rename a fresh spare to ``tenant_schema`` (a name that does not exist yet) and return
    the spare's name; None, having changed nothing, if no spare is fresh.

    Runs inside the tenant creation's transaction: the rename commits or rolls back with the
    tenant row. The claim is a transaction-level advisory lock, so concurrent creations never
    take the same spare, and a spare renamed by a transaction that committed meanwhile is
    seen as gone and skipped.
    """
    candidates = [spare for spare in list_spares(using=using) if spare.label.reference == reference]
    if not candidates:
        return None
    with _cursor(using) as cursor:
        digest = schema_digest(cursor, reference)
        fresh = [spare for spare in candidates if spare.label.digest == digest]
        if not fresh:
            logger.warning(
                "%d spare clone(s) of %r are older than the reference and were not used; "
                "run `manage.py clonespares` to replace them.",
                len(candidates),
                reference,
            )
            return None
        for spare in fresh:
            name = spare.name
            if not _claim(cursor, name):
                continue
            cursor.execute("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s", [name])
            if cursor.fetchone() is None:
                continue  # taken by a transaction that committed after our listing
            try:
                with transaction.atomic(using=using):
                    cursor.execute(
                        sql.SQL(
                            "ALTER SCHEMA {spare} RENAME TO {tenant}; "
                            "COMMENT ON SCHEMA {tenant} IS NULL"
                        )
                        .format(tenant=sql.Identifier(tenant_schema), spare=sql.Identifier(name))
                        .as_string(cursor.connection)
                    )
                    if spare.label.rewrite_functions:
                        rewrite_function_bodies(cursor, name, tenant_schema)
            except (DatabaseError, psycopg.Error):
                logger.exception(
                    "Could not turn spare %r into %r; cloning instead.", name, tenant_schema
                )
                return None
            return name
    return None
