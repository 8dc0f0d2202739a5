"""The conditions under which a cached dynamic route still holds (see pgschemas.core.guard).

A route read from the database is kept in process memory; another process may delete
the tenant, move the domain to another tenant or rename the schema meanwhile. The first
statement of each request routed by a cached route checks, in the message it sends
anyway, that the rows it was built from still say the same:

- a domain route: the domain row, found by its primary key, still has the route's host,
  folder and tenant, and the tenant's schema name still names the schema (same OID) it
  named when the route was read;
- a header or session route: the tenant row still has that primary key and schema name.

Why this is enough for a domain route without reading the tenant row: a deleted tenant
takes its domain rows with it (foreign key), a moved domain changes ``tenant_id``, a
domain deleted and re-added is a new primary key, and a schema renamed away (and perhaps
another created under the old name) fails the name or OID comparison. Each check is one
table read by primary key and no join: the server plans it each time, and a join
cost about twice as much to plan (figures: docs/benchmarks.md). The row is found by its
primary key alone and the other values are compared in the select list, ``(SELECT
d.tenant_id = ... AND d.domain = ... FROM ... WHERE d.id = ...) IS TRUE``: conditions in
the ``WHERE`` clause would each be estimated by the planner from the column's
statistics, which costs more than comparing one row's values (a missing row gives NULL,
which is not TRUE).

Tables are qualified with ``public`` (where the tenant and domain models live): the
condition is parsed before the search path it travels with is set.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from pgschemas.core.config import PUBLIC_KEY
from pgschemas.core.guard import Guard
from pgschemas.core.utils import get_domain_model, get_tenant_model


def _table(model: Any) -> sql.Identifier:
    return sql.Identifier(PUBLIC_KEY, model._meta.db_table)


def tenant_guard(alias: str, pk: Any, schema_name: str) -> Guard:
    """Holds while the tenant row ``pk`` exists with ``schema_name``."""
    model = get_tenant_model()
    assert model is not None
    condition = sql.SQL(
        "(SELECT t.{schema} = {schema_value} FROM {table} t WHERE t.{pk} = {pk_value}) IS TRUE"
    ).format(
        table=_table(model),
        pk=sql.Identifier(model._meta.pk.column),
        pk_value=sql.Literal(pk),
        schema=sql.Identifier(model._meta.get_field("schema_name").column),
        schema_value=sql.Literal(schema_name),
    )
    return Guard.build(alias, condition)


def _schema_is(schema_name: str, schema_oid: int | None) -> sql.Composable:
    """The name still names the schema with ``schema_oid`` (None: it did not exist when the
    route was read; the search-path statement checks that it exists now)."""
    if schema_oid is None:
        return sql.SQL("TRUE")
    return sql.SQL(
        "pg_catalog.to_regnamespace(pg_catalog.quote_ident({name}))::pg_catalog.oid "
        "= {oid}::pg_catalog.oid"
    ).format(name=sql.Literal(schema_name), oid=sql.Literal(str(schema_oid)))


def domain_guard(
    alias: str,
    domain_pk: Any,
    host: str,
    folder: str,
    *,
    tenant_pk: Any,
    schema_name: str,
    schema_oid: int | None,
) -> Guard:
    """Holds while domain row ``domain_pk`` is (``host``, ``folder``) of tenant
    ``tenant_pk`` and ``schema_name`` still names the schema ``schema_oid``."""
    domain_model = get_domain_model()
    assert domain_model is not None
    opts = domain_model._meta
    condition = sql.SQL(
        "(SELECT d.{tenant} = {tenant_value} AND d.{domain} = {host} AND d.{folder} = "
        "{folder_value} FROM {domains} d WHERE d.{pk} = {pk_value}) IS TRUE AND {schema}"
    ).format(
        domains=_table(domain_model),
        pk=sql.Identifier(opts.pk.column),
        pk_value=sql.Literal(domain_pk),
        tenant=sql.Identifier(opts.get_field("tenant").column),
        tenant_value=sql.Literal(tenant_pk),
        domain=sql.Identifier(opts.get_field("domain").column),
        host=sql.Literal(host),
        folder=sql.Identifier(opts.get_field("folder").column),
        folder_value=sql.Literal(folder),
        schema=_schema_is(schema_name, schema_oid),
    )
    return Guard.build(alias, condition)
