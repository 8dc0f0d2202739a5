"""A normalised description of a schema, for proving two schemas identical.

Everything is read with ``search_path`` set to the schema alone, so definitions name the
schema's own objects unqualified and two schemas built the same way describe themselves
with the same text. Nothing depends on OIDs, attribute numbers or creation order; column
order is compared as a position among live columns. Sequence values and table contents are
part of the snapshot (a clone must carry the data), except columns the caller excludes
(e.g. ``django_migrations.applied``, a timestamp of when each migration ran).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connections, transaction
from psycopg import sql

_QUERIES: dict[str, str] = {
    "relations": """
        SELECT c.relname, c.relkind, c.relpersistence, c.reloptions, c.relispartition,
               CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
               pg_catalog.pg_get_expr(c.relpartbound, c.oid, true),
               (SELECT p.relname FROM pg_catalog.pg_inherits i
                  JOIN pg_catalog.pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid),
               CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, true) END,
               CASE WHEN c.relkind = 'm' THEN c.relispopulated END,
               pg_catalog.obj_description(c.oid, 'pg_class')
          FROM pg_catalog.pg_class c
         WHERE c.relnamespace = %(ns)s AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'c', 'f')
    """,
    "columns": """
        SELECT c.relname,
               row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
               a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_catalog.pg_get_expr(d.adbin, d.adrelid, true), a.attidentity, a.attgenerated,
               co.collname, a.attislocal, pg_catalog.col_description(c.oid, a.attnum)
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
          LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
          LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
         WHERE c.relnamespace = %(ns)s AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
           AND a.attnum > 0 AND NOT a.attisdropped
    """,
    "constraints": """
        SELECT COALESCE(r.relname, t.typname), con.conname, con.contype,
               pg_catalog.pg_get_constraintdef(con.oid, true), con.condeferrable,
               con.condeferred, con.convalidated, con.conislocal, con.coninhcount,
               pg_catalog.obj_description(con.oid, 'pg_constraint')
          FROM pg_catalog.pg_constraint con
          LEFT JOIN pg_catalog.pg_class r ON r.oid = con.conrelid
          LEFT JOIN pg_catalog.pg_type t ON t.oid = con.contypid
         WHERE con.connamespace = %(ns)s
    """,
    "indexes": """
        SELECT t.relname, i.relname, pg_catalog.pg_get_indexdef(i.oid, 0, true),
               x.indisunique, x.indisprimary, x.indisexclusion, x.indisclustered, x.indisvalid,
               pg_catalog.obj_description(i.oid, 'pg_class')
          FROM pg_catalog.pg_index x
          JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
          JOIN pg_catalog.pg_class t ON t.oid = x.indrelid
         WHERE t.relnamespace = %(ns)s
    """,
    "sequences": """
        SELECT c.relname, pg_catalog.format_type(s.seqtypid, NULL), s.seqstart,
               s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle,
               pg_catalog.pg_sequence_last_value(c.oid), ot.relname, oa.attname, d.deptype
          FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
          LEFT JOIN pg_catalog.pg_depend d
                 ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
          LEFT JOIN pg_catalog.pg_class ot ON ot.oid = d.refobjid
          LEFT JOIN pg_catalog.pg_attribute oa
                 ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
         WHERE c.relnamespace = %(ns)s
    """,
    "triggers": """
        SELECT c.relname, tg.tgname, pg_catalog.pg_get_triggerdef(tg.oid, true), tg.tgenabled,
               tg.tgisinternal, pg_catalog.obj_description(tg.oid, 'pg_trigger')
          FROM pg_catalog.pg_trigger tg
          JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
         WHERE c.relnamespace = %(ns)s AND NOT tg.tgisinternal
    """,
    "functions": """
        SELECT p.proname, p.prokind, pg_catalog.pg_get_function_identity_arguments(p.oid),
               pg_catalog.pg_get_function_result(p.oid), p.prosrc,
               pg_catalog.pg_get_function_sqlbody(p.oid), p.provolatile, p.proisstrict,
               p.prosecdef, p.proparallel, p.proconfig, l.lanname,
               pg_catalog.obj_description(p.oid, 'pg_proc')
          FROM pg_catalog.pg_proc p
          JOIN pg_catalog.pg_language l ON l.oid = p.prolang
         WHERE p.pronamespace = %(ns)s
    """,
    "types": """
        SELECT t.typname, t.typtype, pg_catalog.format_type(t.typbasetype, t.typtypmod),
               t.typnotnull, pg_catalog.pg_get_expr(t.typdefaultbin, 0, true),
               (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder)
                  FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid),
               pg_catalog.obj_description(t.oid, 'pg_type')
          FROM pg_catalog.pg_type t
         WHERE t.typnamespace = %(ns)s
    """,
}


def _normalise(rows: Iterable[tuple[Any, ...]]) -> list[tuple[str, ...]]:
    return sorted(tuple("" if value is None else str(value) for value in row) for row in rows)


def schema_snapshot(
    schema_name: str,
    *,
    using: str | None = None,
    data: bool = True,
    exclude_columns: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, list[tuple[str, ...]]]:
    """Describe ``schema_name`` as sorted rows per object kind (and per table's data).

    ``exclude_columns`` maps table names to columns left out of the data comparison.
    Raises ``LookupError`` when the schema does not exist.
    """
    from pgschemas.core.config import get_config

    alias = using or get_config().tenant_db_alias
    excluded = {table: set(columns) for table, columns in (exclude_columns or {}).items()}
    snapshot: dict[str, list[tuple[str, ...]]] = {}
    with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_catalog.current_setting('search_path')")
        saved_path = cursor.fetchone()[0]
        cursor.execute(
            "SELECT oid, pg_catalog.set_config('search_path', pg_catalog.quote_ident(nspname), "
            "true) FROM pg_catalog.pg_namespace WHERE nspname = %s",
            [schema_name],
        )
        row = cursor.fetchone()
        if row is None:
            raise LookupError(f"Schema {schema_name!r} does not exist.")
        params = {"ns": row[0]}
        for kind, query in _QUERIES.items():
            cursor.execute(query, params)
            snapshot[kind] = _normalise(cursor.fetchall())
        if data:
            cursor.execute(
                "SELECT c.relname, array_agg(a.attname ORDER BY a.attnum) "
                "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_attribute a "
                "ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                "WHERE c.relnamespace = %s AND c.relkind = 'r' GROUP BY c.relname",
                [row[0]],
            )
            for table, columns in sorted(cursor.fetchall()):
                kept = [c for c in columns if c not in excluded.get(table, set())]
                select = sql.SQL("SELECT {} FROM ONLY {}").format(
                    sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c)) for c in kept),
                    sql.Identifier(schema_name, table),
                )
                cursor.execute(select.as_string(cursor.cursor.connection))
                snapshot[f"data:{table}"] = _normalise(cursor.fetchall())
        # Leave the search path as the backend set it (it tracks what it sent).
        cursor.execute("SELECT pg_catalog.set_config('search_path', %s, true)", [saved_path])
    return snapshot


def diff_snapshots(
    left: Mapping[str, list[tuple[str, ...]]], right: Mapping[str, list[tuple[str, ...]]]
) -> list[str]:
    """Human-readable differences, empty when the snapshots are identical."""
    lines: list[str] = []
    for kind in sorted(set(left) | set(right)):
        a, b = Counter(left.get(kind, [])), Counter(right.get(kind, []))
        lines += [f"{kind}: only left  {row}" for row in sorted((a - b).elements())]
        lines += [f"{kind}: only right {row}" for row in sorted((b - a).elements())]
    return lines
