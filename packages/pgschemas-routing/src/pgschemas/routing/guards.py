"""The conditions under which a cached dynamic route still holds (see pgschemas.core.guard).

A route read from the database is kept in process memory; another process may delete
the tenant, move the domain to another tenant or rename the schema meanwhile. The first
statement of each request routed by a cached route checks, in the message it sends
anyway, that the rows it was built from still say the same:

- a domain route: the domain row (host, folder) still belongs to the tenant, and the
  tenant row still has the route's primary key and schema name;
- a header or session route: the tenant row still has that primary key and schema name.

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


def _tenant_matches(pk: Any, schema_name: str) -> sql.Composable:
    model = get_tenant_model()
    assert model is not None
    return sql.SQL("t.{pk} = {pk_value} AND t.{schema} = {schema_value}").format(
        pk=sql.Identifier(model._meta.pk.column),
        pk_value=sql.Literal(pk),
        schema=sql.Identifier(model._meta.get_field("schema_name").column),
        schema_value=sql.Literal(schema_name),
    )


def tenant_guard(alias: str, pk: Any, schema_name: str) -> Guard:
    """Holds while the tenant row ``pk`` exists with ``schema_name``."""
    model = get_tenant_model()
    assert model is not None
    condition = sql.SQL("EXISTS (SELECT 1 FROM {table} t WHERE {matches})").format(
        table=_table(model), matches=_tenant_matches(pk, schema_name)
    )
    return Guard.build(alias, condition)


def domain_guard(alias: str, host: str, folder: str, pk: Any, schema_name: str) -> Guard:
    """Holds while the domain row (``host``, ``folder``) belongs to tenant ``pk`` of
    ``schema_name``."""
    tenant_model = get_tenant_model()
    domain_model = get_domain_model()
    assert tenant_model is not None and domain_model is not None
    opts = domain_model._meta
    condition = sql.SQL(
        "EXISTS (SELECT 1 FROM {domains} d JOIN {tenants} t ON t.{pk} = d.{tenant} "
        "WHERE d.{domain} = {host} AND d.{folder} = {folder_value} AND {matches})"
    ).format(
        domains=_table(domain_model),
        tenants=_table(tenant_model),
        pk=sql.Identifier(tenant_model._meta.pk.column),
        tenant=sql.Identifier(opts.get_field("tenant").column),
        domain=sql.Identifier(opts.get_field("domain").column),
        host=sql.Literal(host),
        folder=sql.Identifier(opts.get_field("folder").column),
        folder_value=sql.Literal(folder),
        matches=_tenant_matches(pk, schema_name),
    )
    return Guard.build(alias, condition)
