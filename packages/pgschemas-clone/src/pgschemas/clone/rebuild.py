"""Build the clone reference under a temporary name and swap it in when it is complete.

Migrating a schema takes one transaction per migration, so a build killed part-way leaves
whatever it had committed. Built in place, that would be a partial reference under the
reference's name. Instead a new reference is built in a schema named ``pgschemas_refbuild_``
+ 16 hex digits (labelled with a schema comment), and only once every migration is
recorded there does one transaction drop the old reference and rename the build into its
place. A kill at any point therefore leaves either the old complete reference or none,
plus at most a leftover build, which the next ``createrefschema`` drops.

The swap takes the reference's lock exclusively (:func:`.reference.lock_reference`), so
it waits for tenants being cloned from the old reference and tenants created after it see
the new one.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass

from django.db import connections, transaction
from psycopg import sql

from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import Schema
from pgschemas.core.validation import owning_reserved_prefix

from .plan import CloneError
from .reference import lock_reference, reference_status
from .spares import rewrite_function_bodies

#: Builds in progress (or left by an interrupted run) are named this + 16 hex digits; the
#: prefix is reserved (registered in the app config), so no tenant can be named like a build.
BUILD_PREFIX = "pgschemas_refbuild_"
_BUILD_NAME = re.compile(re.escape(BUILD_PREFIX) + r"[0-9a-f]{16}")
_LABEL_VERSION = 1

_LIST_BUILDS = """
SELECT n.nspname, pg_catalog.obj_description(n.oid, 'pg_namespace')
  FROM pg_catalog.pg_namespace n
 WHERE n.nspname LIKE 'pgschemas\\_refbuild\\_%'
 ORDER BY n.nspname
"""


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build_reference` did."""

    applied: int
    #: Whether an existing reference was replaced (and dropped with its data).
    replaced: bool


def _label(reference: str) -> str:
    return json.dumps({"pgschemas_refbuild": _LABEL_VERSION, "reference": reference})


def _label_reference(text: str | None) -> str | None:
    try:
        data = json.loads(text or "")
        if data.get("pgschemas_refbuild") != _LABEL_VERSION:
            return None
        return str(data["reference"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def list_builds(reference: str, *, using: str) -> list[str]:
    """Build schemas of ``reference``: only a build's name *and* its label count."""
    with connections[using].cursor() as cursor:
        cursor.execute(_LIST_BUILDS)
        rows = cursor.fetchall()
    return [
        name
        for name, text in rows
        if _BUILD_NAME.fullmatch(name) and _label_reference(text) == reference
    ]


def drop_leftover_builds(reference: str, *, using: str) -> list[str]:
    """Drop the builds of ``reference`` that an interrupted ``createrefschema`` left."""
    leftovers = list_builds(reference, using=using)
    with owning_reserved_prefix(BUILD_PREFIX):
        for name in leftovers:
            ddl.drop_schema(name, using=using)
    return leftovers


def build_reference(reference: str, *, using: str, verbosity: int = 0) -> BuildResult:
    """Migrate a new reference under a temporary name, then swap it in (see module doc)."""
    build = BUILD_PREFIX + secrets.token_hex(8)
    with owning_reserved_prefix(BUILD_PREFIX):
        with transaction.atomic(using=using):
            ddl.create_schema(build, using=using, if_not_exists=False)
            with connections[using].cursor() as cursor:
                cursor.execute(
                    sql.SQL("COMMENT ON SCHEMA {} IS {}")
                    .format(sql.Identifier(build), sql.Literal(_label(reference)))
                    .as_string(cursor.cursor.connection)
                )
        # A dynamic schema gets TENANTS["default"]["APPS"], exactly the reference's apps.
        plan = migrate_schema(Schema(build, is_dynamic=True, alias=using), verbosity=verbosity)
    replaced = swap_in(build, reference, using=using)
    return BuildResult(applied=len(plan), replaced=replaced)


def swap_in(build: str, reference: str, *, using: str) -> bool:
    """Replace ``reference`` by the complete ``build`` in one transaction.

    Refuses (:class:`CloneError`, nothing changed) a build that is not fully migrated.
    Returns whether an old reference existed (it is dropped with everything in it).
    """
    with transaction.atomic(using=using):
        lock_reference(reference, using=using, exclusive=True)
        status = reference_status(build, using=using)
        if not status.ready:
            raise CloneError(
                f"The new clone reference was not swapped in, {reference!r} is unchanged: "
                f"{status.describe()}."
            )
        replaced = ddl.schema_exists(reference, using=using)
        if replaced:
            ddl.drop_schema(reference, using=using)
        with owning_reserved_prefix(BUILD_PREFIX), connections[using].cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "ALTER SCHEMA {build} RENAME TO {reference}; COMMENT ON SCHEMA {reference} IS NULL"
                )
                .format(build=sql.Identifier(build), reference=sql.Identifier(reference))
                .as_string(cursor.cursor.connection)
            )
            # Bodies a migration wrote with the build's name now name the reference.
            rewrite_function_bodies(cursor.cursor, build, reference)
    return replaced
