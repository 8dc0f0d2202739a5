"""``clone_schema``: copy a schema, structure and data, inside one transaction.

A handful of round trips whatever the size of the schema: save the session settings we
change (and turn JIT off), read the catalog (one JSON document), run the generated script
(one multi-statement query; one statement per message on Citus, whose workers refuse a
forwarded DDL message holding several), restore the settings. Any failure rolls the whole clone back,
including the destination schema when we created it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connections, transaction
from psycopg import sql

from pgschemas.core import ddl
from pgschemas.core.citus import citus_installed
from pgschemas.core.config import get_config
from pgschemas.core.validation import check_schema_name

from .catalog import read_catalog, use_citus_table_sizes
from .plan import CloneError, ClonePlan, build_plan

__all__ = ["CloneError", "CloneResult", "clone_schema", "plan_clone"]


@dataclass(frozen=True)
class CloneResult:
    """What a clone did: the plan that ran and how long it took (seconds)."""

    plan: ClonePlan
    seconds: float
    executed: bool


#: Session settings a clone changes for its own transaction and puts back afterwards.
#: ``jit`` is off because the catalog read is one large statement whose estimated cost is
#: far above ``jit_above_cost``: on servers built with LLVM (PostgreSQL's default since
#: 12), compiling it costs far more than running it (docs/benchmarks.md); nothing a clone
#: runs is big enough to gain from JIT.
_SETTINGS = ("search_path", "check_function_bodies", "jit")


@contextmanager
def _clone_settings(cursor: Any) -> Iterator[None]:
    """Turn JIT off for the clone's statements; restore every setting we touch after.

    Settings are transaction-local: when the clone fails, rolling back its savepoint or
    transaction puts them back, so they are only restored explicitly on success.
    """
    cursor.execute(
        "SELECT "
        + ", ".join(f"pg_catalog.current_setting('{name}')" for name in _SETTINGS)
        + ", pg_catalog.set_config('jit', 'off', true)"
    )
    saved = cursor.fetchone()[: len(_SETTINGS)]
    yield
    cursor.execute(
        "SELECT " + ", ".join(["pg_catalog.set_config(%s, %s, true)"] * len(_SETTINGS)),
        [item for pair in zip(_SETTINGS, saved, strict=True) for item in pair],
    )


def _read(cursor: Any, source: str, destination: str, *, citus: bool) -> ClonePlan:
    cursor.execute(
        "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident(%s), true)", [source]
    )
    doc = read_catalog(cursor, source)
    if doc is None:
        raise CloneError(
            f"Cannot clone schema {source!r}: it does not exist. Create it first "
            "(for the clone reference: `manage.py createrefschema`)."
        )
    if citus:
        use_citus_table_sizes(cursor, source, doc)
    return build_plan(doc, source, destination, one_subcommand=citus)


def plan_clone(source: str, destination: str, *, using: str | None = None) -> ClonePlan:
    """The statements :func:`clone_schema` would run, without running them."""
    alias = using or get_config().tenant_db_alias
    check_schema_name(destination)
    with (
        transaction.atomic(using=alias),
        connections[alias].cursor() as cursor,
        _clone_settings(cursor),
    ):
        return _read(cursor, source, destination, citus=citus_installed(connections[alias]))


def clone_schema(
    source: str,
    destination: str,
    *,
    using: str | None = None,
    create_schema: bool = True,
) -> CloneResult:
    """Copy schema ``source`` (structure and data) into ``destination``.

    With ``create_schema`` (the default) ``destination`` must not exist and is created;
    without it, it must exist and be empty (how the tenant provisioner calls it, right after
    creating the schema). Runs in one transaction (a savepoint when one is open): on
    any error nothing is left behind and :class:`CloneError` is raised.
    """
    alias = using or get_config().tenant_db_alias
    check_schema_name(destination)
    if source == destination:
        raise CloneError(f"Cannot clone schema {source!r} into itself; pick another name.")
    started = time.perf_counter()
    connection = connections[alias]
    with transaction.atomic(using=alias):
        if create_schema:
            if ddl.schema_exists(destination, using=alias):
                raise CloneError(
                    f"Cannot clone into schema {destination!r}: it already exists. Drop it or "
                    "choose another name."
                )
            ddl.create_schema(destination, using=alias, if_not_exists=False)
        with connection.cursor() as cursor, _clone_settings(cursor):
            citus = citus_installed(connection)
            plan = _read(cursor, source, destination, citus=citus)
            raw = cursor.cursor
            prologue = sql.SQL(
                "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident({}), true); "
                "SET LOCAL check_function_bodies = off"
            ).format(sql.Literal(destination))
            try:
                if citus:
                    # Citus forwards a DDL command's whole message text to its workers,
                    # which refuse several statements in one: one statement per message.
                    for statement in [prologue, *plan.statements]:
                        raw.execute(statement)
                else:
                    raw.execute(
                        sql.SQL(";\n").join([prologue, *plan.statements]).as_string(raw.connection)
                    )
            except psycopg.Error as exc:
                raise CloneError(
                    f"Cloning {source!r} into {destination!r} failed, nothing was kept: {exc}"
                ) from exc
    return CloneResult(plan=plan, seconds=time.perf_counter() - started, executed=True)
