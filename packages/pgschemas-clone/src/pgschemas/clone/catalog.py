"""Everything a schema holds, read from the PostgreSQL catalogs in one round trip.

The query runs while ``search_path`` is the source schema alone (``pg_catalog`` is always
searched implicitly), so every definition PostgreSQL deparses for us - column types,
defaults, constraints, index, view and trigger definitions, function signatures - names
the source schema's own objects *unqualified* and everything else (``public``, extensions)
*qualified*. Replayed with ``search_path`` set to the destination, the same text points at
the destination's objects, and references to ``public`` keep pointing at ``public``.

The answer is one JSON document built by PostgreSQL: a single statement instead of one
per object kind and per table, which is what makes cloning cheap for schemas with
hundreds of tables.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

#: Objects this package does not know how to copy faithfully. Cloning refuses a source
#: holding any of them rather than producing a destination that silently differs.
_UNSUPPORTED = """
SELECT 'extension member: ' || pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
  FROM (SELECT 'pg_catalog.pg_class'::regclass, oid FROM rel
        UNION ALL
        SELECT 'pg_catalog.pg_proc'::regclass, oid FROM pg_catalog.pg_proc
         WHERE pronamespace = ns.oid
        UNION ALL
        SELECT 'pg_catalog.pg_type'::regclass, oid FROM typ) AS o(classid, oid)
  JOIN pg_catalog.pg_depend d ON d.classid = o.classid AND d.objid = o.oid
 WHERE d.deptype = 'e'
UNION ALL
SELECT 'foreign table: ' || c.relname FROM toprel JOIN pg_catalog.pg_class c USING (oid)
 WHERE c.relkind = 'f'
UNION ALL
SELECT 'row level security on table: ' || c.relname
  FROM toprel JOIN pg_catalog.pg_class c USING (oid)
 WHERE c.relrowsecurity OR c.relforcerowsecurity
UNION ALL
SELECT 'aggregate or window function: ' || proname FROM pg_catalog.pg_proc
 WHERE pronamespace = ns.oid AND prokind IN ('a', 'w')
UNION ALL
SELECT 'range, base or pseudo type: ' || t.typname
  FROM typ JOIN pg_catalog.pg_type t USING (oid)
 WHERE (t.typtype IN ('r', 'p')
        OR (t.typtype = 'b'
            AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)))
UNION ALL
SELECT 'rule: ' || r.rulename || ' on ' || c.relname
  FROM toprel JOIN pg_catalog.pg_class c USING (oid)
  JOIN pg_catalog.pg_rewrite r ON r.ev_class = c.oid
 WHERE r.rulename <> '_RETURN'
UNION ALL
SELECT 'policy: ' || p.polname || ' on ' || c.relname
  FROM toprel JOIN pg_catalog.pg_class c USING (oid)
  JOIN pg_catalog.pg_policy p ON p.polrelid = c.oid
UNION ALL
SELECT 'extended statistics: ' || stxname FROM pg_catalog.pg_statistic_ext
 WHERE stxnamespace = ns.oid
UNION ALL
SELECT 'table inheritance (not partitioning): ' || c.relname
  FROM toprel JOIN pg_catalog.pg_class c USING (oid)
  JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
UNION ALL
SELECT 'collation: ' || collname FROM pg_catalog.pg_collation WHERE collnamespace = ns.oid
UNION ALL
SELECT 'operator: ' || oprname FROM pg_catalog.pg_operator WHERE oprnamespace = ns.oid
UNION ALL
SELECT 'text search configuration: ' || cfgname FROM pg_catalog.pg_ts_config
 WHERE cfgnamespace = ns.oid
UNION ALL
SELECT 'conversion: ' || conname FROM pg_catalog.pg_conversion WHERE connamespace = ns.oid
"""

_TYPES = """
SELECT json_agg(json_build_object(
         'oid', t.oid,
         'name', t.typname,
         'kind', CASE t.typtype WHEN 'c' THEN 'c' ELSE t.typtype::text END,
         'labels', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder)
                      FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid),
         'base', CASE WHEN t.typtype = 'd'
                      THEN pg_catalog.format_type(t.typbasetype, t.typtypmod) END,
         'notnull', t.typnotnull,
         'default', pg_catalog.pg_get_expr(t.typdefaultbin, 0, true),
         'checks', (SELECT json_agg(json_build_object(
                              'name', con.conname,
                              'type', con.contype,
                              'def', pg_catalog.pg_get_constraintdef(con.oid, true))
                            ORDER BY con.oid)
                      FROM pg_catalog.pg_constraint con WHERE con.contypid = t.oid),
         'attrs', (SELECT json_agg(json_build_object(
                             'name', a.attname,
                             'type', pg_catalog.format_type(a.atttypid, a.atttypmod))
                           ORDER BY a.attnum)
                     FROM pg_catalog.pg_attribute a
                    WHERE t.typtype = 'c' AND a.attrelid = t.typrelid
                      AND a.attnum > 0 AND NOT a.attisdropped),
         'deps', (SELECT json_agg(DISTINCT COALESCE(NULLIF(dt.typelem, 0), dt.oid))
                    FROM pg_catalog.pg_type dt
                   WHERE dt.oid = t.typbasetype
                      OR dt.oid IN (SELECT a.atttypid FROM pg_catalog.pg_attribute a
                                     WHERE t.typrelid <> 0 AND a.attrelid = t.typrelid
                                       AND a.attnum > 0))
       ) ORDER BY t.oid)
  FROM typ JOIN pg_catalog.pg_type t USING (oid)
 WHERE (t.typtype IN ('e', 'd')
        OR (t.typtype = 'c' AND (SELECT relkind FROM pg_catalog.pg_class
                                  WHERE oid = t.typrelid) = 'c'))
"""

_SEQUENCES = """
SELECT json_agg(json_build_object(
         'name', c.relname,
         'type', pg_catalog.format_type(s.seqtypid, NULL),
         'start', s.seqstart, 'increment', s.seqincrement,
         'min', s.seqmin, 'max', s.seqmax, 'cache', s.seqcache, 'cycle', s.seqcycle,
         'last', pg_catalog.pg_sequence_last_value(c.oid),
         'owner_table', ot.relname, 'owner_column', oa.attname,
         'identity', COALESCE(d.deptype = 'i', false)
       ) ORDER BY c.oid)
  FROM toprel JOIN pg_catalog.pg_class c USING (oid)
  JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid
  LEFT JOIN pg_catalog.pg_depend d
         ON d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
        AND d.refclassid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
  LEFT JOIN pg_catalog.pg_class ot ON ot.oid = d.refobjid
  LEFT JOIN pg_catalog.pg_attribute oa
         ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
 WHERE c.relkind = 'S'
"""

_TABLES = """
SELECT json_agg(json_build_object(
         'oid', c.oid,
         'name', c.relname,
         'kind', c.relkind,
         'unlogged', c.relpersistence = 'u',
         'bytes', CASE WHEN c.relkind = 'r' THEN pg_catalog.pg_relation_size(c.oid) END,
         'options', c.reloptions,
         'partkey', CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
         'parent', (SELECT p.relname FROM pg_catalog.pg_inherits i
                      JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                     WHERE c.relispartition AND i.inhrelid = c.oid),
         'bound', CASE WHEN c.relispartition
                       THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid, true) END,
         'columns', (SELECT json_agg(json_build_object(
                              'name', a.attname,
                              'type', pg_catalog.format_type(a.atttypid, a.atttypmod),
                              'notnull', a.attnotnull,
                              'default', pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true),
                              'identity', a.attidentity,
                              'generated', a.attgenerated,
                              'local_type', ty.typnamespace = ns.oid
                                            OR EXISTS (SELECT 1 FROM pg_catalog.pg_type el
                                                        WHERE el.oid = ty.typelem
                                                          AND el.typnamespace = ns.oid),
                              'collation', CASE WHEN a.attcollation <> 0
                                                 AND a.attcollation <> ty.typcollation
                                                THEN json_build_array(cn.nspname, co.collname)
                                           END)
                            ORDER BY a.attnum)
                       FROM pg_catalog.pg_attribute a
                       JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
                       LEFT JOIN pg_catalog.pg_attrdef ad
                              ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                       LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
                       LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
       ) ORDER BY c.oid)
  FROM toprel JOIN pg_catalog.pg_class c USING (oid)
 WHERE c.relkind IN ('r', 'p')
"""

_CONSTRAINTS = """
SELECT json_agg(json_build_object(
         'table', r.relname,
         'name', con.conname,
         'type', con.contype,
         'def', pg_catalog.pg_get_constraintdef(con.oid, true),
         'validated', con.convalidated,
         'references', CASE WHEN con.contype = 'f' THEN
                            CASE WHEN f.relnamespace = ns.oid THEN f.relname ELSE '' END END
       ) ORDER BY con.oid)
  FROM toprel
  JOIN pg_catalog.pg_class r USING (oid)
  JOIN pg_catalog.pg_constraint con ON con.conrelid = r.oid
  LEFT JOIN pg_catalog.pg_class f ON f.oid = con.confrelid
 WHERE con.contype IN ('p', 'u', 'c', 'x', 'f')
   AND con.conparentid = 0 AND con.conislocal
"""

_INDEXES = """
SELECT json_agg(json_build_object(
         'name', i.relname,
         'table', t.relname,
         'on_matview', t.relkind = 'm',
         'partitioned', i.relkind = 'I',
         'def', pg_catalog.pg_get_indexdef(i.oid, 0, true),
         'unique', x.indisunique,
         'clustered', x.indisclustered
       ) ORDER BY i.oid)
  FROM toprel
  JOIN pg_catalog.pg_class t USING (oid)
  JOIN pg_catalog.pg_index x ON x.indrelid = t.oid
  JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
 WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                    WHERE con.conindid = x.indexrelid AND con.conrelid = x.indrelid
                      AND con.contype IN ('p', 'u', 'x'))
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = x.indexrelid)
"""

_VIEWS = """
SELECT json_agg(json_build_object(
         'oid', c.oid,
         'name', c.relname,
         'kind', c.relkind,
         'def', pg_catalog.pg_get_viewdef(c.oid, true),
         'options', c.reloptions,
         'populated', c.relispopulated,
         'deps', (SELECT json_agg(DISTINCT d.refobjid)
                    FROM pg_catalog.pg_rewrite rw
                    JOIN pg_catalog.pg_depend d
                      ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = rw.oid
                   WHERE rw.ev_class = c.oid
                     AND d.refclassid = 'pg_catalog.pg_class'::regclass
                     AND d.refobjid <> c.oid)
       ) ORDER BY c.oid)
  FROM toprel JOIN pg_catalog.pg_class c USING (oid)
 WHERE c.relkind IN ('v', 'm')
"""

_FUNCTIONS = """
SELECT json_agg(json_build_object(
         'name', p.proname,
         'kind', p.prokind,
         'args', pg_catalog.pg_get_function_identity_arguments(p.oid),
         'signature', pg_catalog.pg_get_function_arguments(p.oid) || ' '
                      || COALESCE(pg_catalog.pg_get_function_result(p.oid), ''),
         'def', pg_catalog.pg_get_functiondef(p.oid),
         'header', 'CREATE OR REPLACE '
                   || CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END || ' '
                   || pg_catalog.quote_ident(ns.nspname) || '.'
                   || pg_catalog.quote_ident(p.proname) || '('
       ) ORDER BY p.oid)
  FROM pg_catalog.pg_proc p
 WHERE p.pronamespace = ns.oid AND p.prokind IN ('f', 'p')
"""

_TRIGGERS = """
SELECT json_agg(json_build_object(
         'name', tg.tgname,
         'table', c.relname,
         'def', pg_catalog.pg_get_triggerdef(tg.oid, true),
         'enabled', tg.tgenabled
       ) ORDER BY tg.oid)
  FROM toprel
  JOIN pg_catalog.pg_class c USING (oid)
  JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = c.oid
 WHERE NOT tg.tgisinternal AND tg.tgparentid = 0
"""

_COMMENTS = """
SELECT json_agg(x) FROM (
  SELECT json_build_object(
           'on', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                WHEN 'S' THEN 'SEQUENCE' WHEN 'i' THEN 'INDEX'
                                WHEN 'I' THEN 'INDEX' WHEN 'c' THEN 'TYPE' ELSE 'TABLE' END,
           'name', c.relname,
           'column', a.attname,
           'text', d.description) AS x
    FROM rel
    JOIN pg_catalog.pg_class c USING (oid)
    JOIN pg_catalog.pg_description d ON d.objoid = c.oid
                                    AND d.classoid = 'pg_catalog.pg_class'::regclass
    LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = d.objsubid
   WHERE d.objsubid = 0 OR c.relkind <> 'c'
  UNION ALL
  SELECT json_build_object(
           'on', 'CONSTRAINT', 'name', con.conname,
           'table', r.relname, 'domain', ty.typname, 'text', d.description)
    FROM (SELECT k.oid FROM toprel JOIN pg_catalog.pg_constraint k ON k.conrelid = toprel.oid
          UNION ALL
          SELECT k.oid FROM typ JOIN pg_catalog.pg_constraint k ON k.contypid = typ.oid) o
    JOIN pg_catalog.pg_constraint con USING (oid)
    JOIN pg_catalog.pg_description d ON d.objoid = con.oid
                                    AND d.classoid = 'pg_catalog.pg_constraint'::regclass
    LEFT JOIN pg_catalog.pg_class r ON r.oid = con.conrelid
    LEFT JOIN pg_catalog.pg_type ty ON ty.oid = con.contypid
  UNION ALL
  SELECT json_build_object(
           'on', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
           'name', p.proname, 'args', pg_catalog.pg_get_function_identity_arguments(p.oid),
           'text', d.description)
    FROM pg_catalog.pg_description d
    JOIN pg_catalog.pg_proc p ON d.classoid = 'pg_catalog.pg_proc'::regclass
                             AND p.oid = d.objoid
   WHERE p.pronamespace = ns.oid
  UNION ALL
  SELECT json_build_object('on', 'TYPE', 'name', t.typname, 'text', d.description)
    FROM typ
    JOIN pg_catalog.pg_type t USING (oid)
    JOIN pg_catalog.pg_description d ON d.objoid = t.oid
                                    AND d.classoid = 'pg_catalog.pg_type'::regclass
   WHERE t.typtype IN ('e', 'd', 'c')
  UNION ALL
  SELECT json_build_object('on', 'TRIGGER', 'name', tg.tgname, 'table', c.relname,
                           'text', d.description)
    FROM toprel
    JOIN pg_catalog.pg_class c USING (oid)
    JOIN pg_catalog.pg_trigger tg ON tg.tgrelid = c.oid
    JOIN pg_catalog.pg_description d ON d.objoid = tg.oid
                                    AND d.classoid = 'pg_catalog.pg_trigger'::regclass
) comments
"""

#: The whole read, one statement. ``%(schema)s`` is the only parameter.
#: What lives in the schema, found through the schema's own dependency entries
#: (``pg_depend`` is indexed by what is depended on) rather than by filtering ``pg_class``,
#: ``pg_type`` and ``pg_constraint`` on their namespace column, which no index covers: with
#: hundreds of tenants those catalogs hold hundreds of thousands of rows, and every scan
#: of them made each clone slower than the last. ``toprel``: tables, partitions, views,
#: materialized views, sequences (each records a dependency on its schema) and the
#: relations behind composite types (recorded through their type); ``rel`` adds their
#: indexes; ``typ``: enums, domains, composite, range and base types.
MEMBERS = """
member AS MATERIALIZED (
  SELECT d.classid, d.objid FROM ns
    JOIN pg_catalog.pg_depend d
      ON d.refclassid = 'pg_catalog.pg_namespace'::regclass AND d.refobjid = ns.oid
), typ AS MATERIALIZED (
  SELECT objid AS oid FROM member WHERE classid = 'pg_catalog.pg_type'::regclass
), toprel AS MATERIALIZED (
  SELECT objid AS oid FROM member WHERE classid = 'pg_catalog.pg_class'::regclass
  UNION ALL
  SELECT t.typrelid FROM typ JOIN pg_catalog.pg_type t USING (oid) WHERE t.typrelid <> 0
), rel AS MATERIALIZED (
  SELECT oid FROM toprel
  UNION ALL
  SELECT x.indexrelid FROM toprel JOIN pg_catalog.pg_index x ON x.indrelid = toprel.oid
)"""

CATALOG_QUERY = f"""
WITH ns AS (SELECT oid, nspname FROM pg_catalog.pg_namespace WHERE nspname = %(schema)s),
{MEMBERS}
SELECT json_build_object(
  'unsupported', (SELECT json_agg(u) FROM ({_UNSUPPORTED}) u(u)),
  'types', ({_TYPES}),
  'sequences', ({_SEQUENCES}),
  'tables', ({_TABLES}),
  'constraints', ({_CONSTRAINTS}),
  'indexes', ({_INDEXES}),
  'views', ({_VIEWS}),
  'functions', ({_FUNCTIONS}),
  'triggers', ({_TRIGGERS}),
  'comments', ({_COMMENTS})
)
  FROM ns
"""  # noqa: S608  (static catalog SQL assembled from constants; the schema is a parameter)


def read_catalog(cursor: Any, schema_name: str) -> dict[str, Any] | None:
    """The catalog document for ``schema_name``, or None when the schema does not exist.

    The caller must have set ``search_path`` to the schema alone (see the module docstring).
    Empty object kinds come back as empty lists rather than JSON nulls.
    """
    cursor.execute(CATALOG_QUERY, {"schema": schema_name})
    row = cursor.fetchone()
    if row is None:
        return None
    document: dict[str, Any] = row[0]
    return {key: value or [] for key, value in document.items()}


#: The size given to a Citus table that has rows: above ``plan.INLINE_MAX_BYTES``.
CITUS_TABLE_WITH_ROWS_BYTES = 1 << 62

_CITUS_TABLES = """
SELECT c.relname
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_dist_partition p ON p.logicalrelid = c.oid
 WHERE n.nspname = %(schema)s AND c.relkind = 'r'
"""


def use_citus_table_sizes(cursor: Any, schema_name: str, document: dict[str, Any]) -> None:
    """Correct the sizes of Citus tables in ``document`` (on a Citus coordinator).

    A distributed table's rows live in its shard on a worker: on the coordinator its
    table is empty and ``pg_relation_size`` says 0, which would make the plan skip its
    rows. Citus' own size functions refuse to run in a transaction that already changed
    distributed data (tenant creation does), so each table is asked whether it has a row;
    one that has is planned like a big table (rows first, then constraints and indexes),
    which is right whatever its size.
    """
    cursor.execute(_CITUS_TABLES, {"schema": schema_name})
    citus_tables = {row[0] for row in cursor.fetchall()}
    for table in document["tables"]:
        if table["name"] not in citus_tables:
            continue
        cursor.execute(
            sql.SQL("SELECT EXISTS (SELECT FROM ONLY {}.{})").format(
                sql.Identifier(schema_name), sql.Identifier(table["name"])
            )
        )
        table["bytes"] = CITUS_TABLE_WITH_ROWS_BYTES if cursor.fetchone()[0] else 0
