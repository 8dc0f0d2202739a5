"""``clone_schema``: copy a schema, structure and data, inside one transaction.

Three round trips whatever the size of the schema: read the catalog (one JSON document),
run the generated script (one multi-statement query), restore the session settings. Any
failure rolls the whole clone back, including the destination schema when we created it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import psycopg
from django.db import connections, transaction
from psycopg import sql

from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.validation import check_schema_name

from .catalog import read_catalog
from .plan import CloneError, ClonePlan, build_plan

__all__ = ["CloneError", "CloneResult", "clone_schema", "plan_clone"]


@dataclass(frozen=True)
class CloneResult:
    """What a clone did: the plan that ran and how long it took (seconds)."""

    plan: ClonePlan
    seconds: float
    executed: bool


def _set_local(cursor: Any, name: str, value: str) -> None:
    cursor.execute("SELECT pg_catalog.set_config(%s, %s, true)", [name, value])


def _read(cursor: Any, source: str, destination: str) -> ClonePlan:
    cursor.execute("SELECT pg_catalog.current_setting('search_path')")
    saved_path = cursor.fetchone()[0]
    cursor.execute("SELECT pg_catalog.quote_ident(%s)", [source])
    _set_local(cursor, "search_path", cursor.fetchone()[0])
    try:
        doc = read_catalog(cursor, source)
    finally:
        _set_local(cursor, "search_path", saved_path)
    if doc is None:
        raise CloneError(
            f"Cannot clone schema {source!r}: it does not exist. Create it first "
            "(for the clone reference: `manage.py createrefschema`)."
        )
    return build_plan(doc, source, destination)


def plan_clone(source: str, destination: str, *, using: str | None = None) -> ClonePlan:
    """The statements :func:`clone_schema` would run, without running them."""
    alias = using or get_config().tenant_db_alias
    check_schema_name(destination)
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        return _read(cursor, source, destination)


def clone_schema(
    source: str,
    destination: str,
    *,
    using: str | None = None,
    create_schema: bool = True,
) -> CloneResult:
    """Copy schema ``source`` (structure and data) into ``destination``.

    With ``create_schema`` (the default) ``destination`` must not exist and is created;
    without it, it must exist and be empty (that is how tenant provisioning calls us, after
    core created the schema). Runs in one transaction (a savepoint when one is open): on
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
        with connection.cursor() as cursor:
            plan = _read(cursor, source, destination)
            cursor.execute(
                "SELECT pg_catalog.current_setting('search_path'), "
                "pg_catalog.current_setting('check_function_bodies')"
            )
            saved_path, saved_check = cursor.fetchone()
            raw = cursor.cursor
            prologue = sql.SQL(
                "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident({}), true); "
                "SET LOCAL check_function_bodies = off"
            ).format(sql.Literal(destination))
            script = sql.SQL(";\n").join([prologue, *plan.statements]).as_string(raw.connection)
            try:
                raw.execute(script)
            except psycopg.Error as exc:
                raise CloneError(
                    f"Cloning {source!r} into {destination!r} failed, nothing was kept: {exc}"
                ) from exc
            _set_local(cursor, "search_path", saved_path)
            _set_local(cursor, "check_function_bodies", saved_check)
    return CloneResult(plan=plan, seconds=time.perf_counter() - started, executed=True)
