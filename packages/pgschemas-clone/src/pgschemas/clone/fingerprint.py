"""A schema's state as two digests, cheap enough to compute on every tenant creation.

Spare schemas (:mod:`.spares`) are clones made ahead of time; one may only become a
tenant if the reference has not changed since it was cloned. Comparing the schemas would
cost as much as cloning, so instead we compare *versions*, which PostgreSQL keeps for us:
every row version (of a catalog or of a table) carries the id of the transaction that
wrote it (``xmin``), and a committed change always writes a row version with a new id or
removes one. So the set of ``(row, xmin)`` pairs of everything the clone reads - the
schema's catalog rows, its sequences' positions and its tables' rows - changes whenever
anything a clone would copy changes, whoever changed it (a migration, ``loaddata``, a
``shell``, psql). Rewrites that change nothing visible (``VACUUM FULL``, ``CLUSTER``)
change the pairs too: they only make spares look stale, which is the safe direction.

* :func:`catalog_digest`: one query over the catalogs, also answering which tables hold
  rows. A table whose main fork is empty (no page at all) has no row, and recording that
  fact in the digest covers it: the first row written to it makes it non-empty.
* :func:`data_digest`: one query over the rows (``ctid`` and ``xmin`` only: no value is
  read or detoasted) of the tables that are not empty, which in a reference are few.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import sql

from .catalog import MEMBERS

#: Every catalog row the clone reads for a schema, as ``kind + identity + ':' + xmin``.
#: Kinds are one letter so the digest input stays small; ``z`` marks empty tables.
_CATALOG_DIGEST = f"""
WITH ns AS (
  SELECT oid, xmin FROM pg_catalog.pg_namespace WHERE nspname = %(schema)s
),
{MEMBERS},
toprow AS (
  SELECT c.oid, c.xmin, c.relkind, c.relname FROM toprel JOIN pg_catalog.pg_class c USING (oid)
), relrow AS (
  SELECT c.oid, c.xmin FROM rel JOIN pg_catalog.pg_class c USING (oid)
), typrow AS (
  SELECT t.oid, t.xmin FROM typ JOIN pg_catalog.pg_type t USING (oid)
), pro AS (
  SELECT p.oid, p.xmin FROM member m JOIN pg_catalog.pg_proc p ON p.oid = m.objid
   WHERE m.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
), con AS (
  SELECT k.oid, k.xmin FROM toprel JOIN pg_catalog.pg_constraint k ON k.conrelid = toprel.oid
  UNION ALL
  SELECT k.oid, k.xmin FROM typ JOIN pg_catalog.pg_constraint k ON k.contypid = typ.oid
), trg AS (
  SELECT g.oid, g.xmin FROM toprel JOIN pg_catalog.pg_trigger g ON g.tgrelid = toprel.oid
), stored AS (
  SELECT oid, relname, pg_catalog.pg_relation_size(oid) = 0 AS empty
    FROM toprow WHERE relkind IN ('r', 'm')
), item(v) AS (
  SELECT 'n' || oid || ':' || xmin FROM ns
  UNION ALL SELECT 'c' || oid || ':' || xmin FROM relrow
  UNION ALL SELECT 'a' || a.attrelid || '.' || a.attnum || ':' || a.xmin
    FROM rel JOIN pg_catalog.pg_attribute a ON a.attrelid = rel.oid
  UNION ALL SELECT 'd' || d.oid || ':' || d.xmin
    FROM toprel JOIN pg_catalog.pg_attrdef d ON d.adrelid = toprel.oid
  UNION ALL SELECT 'i' || i.indexrelid || ':' || i.xmin
    FROM toprel JOIN pg_catalog.pg_index i ON i.indrelid = toprel.oid
  UNION ALL SELECT 'k' || oid || ':' || xmin FROM con
  UNION ALL SELECT 't' || oid || ':' || xmin FROM trg
  UNION ALL SELECT 'r' || w.oid || ':' || w.xmin
    FROM toprel JOIN pg_catalog.pg_rewrite w ON w.ev_class = toprel.oid
  UNION ALL SELECT 'y' || oid || ':' || xmin FROM typrow
  UNION ALL SELECT 'e' || e.oid || ':' || e.xmin
    FROM typ JOIN pg_catalog.pg_enum e ON e.enumtypid = typ.oid
  UNION ALL SELECT 'p' || oid || ':' || xmin FROM pro
  UNION ALL SELECT 'q' || s.seqrelid || ':' || s.xmin || ':'
         || COALESCE(pg_catalog.pg_sequence_last_value(s.seqrelid)::text, '-')
    FROM toprel JOIN pg_catalog.pg_sequence s ON s.seqrelid = toprel.oid
  UNION ALL SELECT 'h' || h.inhrelid || '.' || h.inhparent || ':' || h.xmin
    FROM toprel JOIN pg_catalog.pg_inherits h ON h.inhrelid = toprel.oid
  UNION ALL SELECT 'P' || pt.partrelid || ':' || pt.xmin
    FROM toprel JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = toprel.oid
  UNION ALL SELECT 'D' || dep.objid || '.' || dep.objsubid || '>' || dep.refclassid || '.'
         || dep.refobjid || '.' || dep.refobjsubid || dep.deptype::text || ':' || dep.xmin
    FROM toprel JOIN pg_catalog.pg_depend dep ON dep.objid = toprel.oid
   WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
  UNION ALL SELECT 'm' || x.classoid || '.' || x.objoid || '.' || x.objsubid || ':' || x.xmin
    FROM (SELECT oid FROM rel UNION ALL SELECT oid FROM typ UNION ALL SELECT oid FROM pro
          UNION ALL SELECT oid FROM con UNION ALL SELECT oid FROM trg) o
    JOIN pg_catalog.pg_description x ON x.objoid = o.oid
  UNION ALL SELECT 'z' || oid FROM stored WHERE empty
)
SELECT (SELECT pg_catalog.md5(pg_catalog.string_agg(v, ',' ORDER BY v COLLATE "C")) FROM item),
       (SELECT pg_catalog.array_agg(relname ORDER BY relname) FROM stored WHERE NOT empty)
 WHERE EXISTS (SELECT 1 FROM ns)
"""  # noqa: S608  (static SQL; the schema is a parameter)


@dataclass(frozen=True)
class CatalogDigest:
    """The catalog digest of a schema and the tables (and materialized views) with rows."""

    digest: str
    filled_tables: tuple[str, ...]


def catalog_digest(cursor: Any, schema: str) -> CatalogDigest | None:
    """Digest of ``schema``'s catalog rows; ``None`` when the schema does not exist."""
    cursor.execute(_CATALOG_DIGEST, {"schema": schema})
    row = cursor.fetchone()
    if row is None:
        return None
    return CatalogDigest(digest=row[0], filled_tables=tuple(row[1] or ()))


def data_digest(cursor: Any, schema: str, tables: tuple[str, ...]) -> str:
    """Digest of the row versions of ``tables`` (names inside ``schema``)."""
    if not tables:
        return ""
    parts = [
        sql.SQL("SELECT {} || ':' || ctid || ':' || xmin AS v FROM ONLY {}").format(
            sql.Literal(index), sql.Identifier(schema, table)
        )
        for index, table in enumerate(tables)
    ]
    query = sql.SQL(
        "SELECT pg_catalog.md5(pg_catalog.string_agg(v, ',' ORDER BY v)) FROM ({}) AS rows"
    ).format(sql.SQL(" UNION ALL ").join(parts))
    cursor.execute(query.as_string(cursor.connection))
    row = cursor.fetchone()
    return str(row[0] or "")


def schema_digest(cursor: Any, schema: str) -> str | None:
    """Catalog and data digests of ``schema`` as one string; ``None`` if it does not exist."""
    catalog = catalog_digest(cursor, schema)
    if catalog is None:
        return None
    return catalog.digest + "/" + data_digest(cursor, schema, catalog.filled_tables)
