"""Finding the route for a host, header value or session value (cached).

Every function takes ``allow_db``: with False it answers only from memory and returns
:data:`~.routes.UNAVAILABLE` when the database would be needed, so async middleware can
stay on the event loop for warm requests and hop to a thread only for cold ones. The
public face of these functions is :class:`~.table.RouteTable`.

Database rows are read in ``public``, on ``PGSCHEMAS_TENANT_DB_ALIAS``: one query per host
(every folder of that host at once, plus one for primary domains when a row redirects),
so unknown first path segments never reach the database or grow the cache.

A host with no rows is cached only when a static tenant answers on it: made-up hosts
(anything ``ALLOWED_HOSTS`` lets through) cost one indexed query each and are stored
nowhere, so they can neither fill the cache nor evict the routes of real tenants. A
header or session value that cannot name a tenant (longer than
:data:`MAX_VALUE_LENGTH`, or containing a NUL character) is answered without a query.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, F, Func, Q

from pgschemas.core.config import get_config
from pgschemas.core.utils import get_domain_model, get_tenant_model

from . import cache, conf
from .guards import domain_guard, tenant_guard
from .hosts import MAX_DOMAIN_LENGTH, remove_www
from .routes import (
    DOMAIN,
    HEADER,
    SESSION,
    UNAVAILABLE,
    Lookup,
    Route,
    TenantSnapshot,
    Unavailable,
    dynamic_route,
    static_tables,
)
from .urlconf import dynamic_urlconf

_PG_BIGINT = 2**63
#: Longest header or session value looked up: schema names have at most 63 bytes, and a
#: primary key this long is not one a client should be able to name.
MAX_VALUE_LENGTH = 255

#: One domain row of a host, as plain data: (folder, tenant values, redirect target,
#: domain primary key, OID of the tenant's schema or None when it does not exist).
HostRow: TypeAlias = tuple[str, tuple[Any, ...], tuple[str, str] | None, Any, int | None]
#: The dynamic routes of one host by folder ("" = no folder).
HostRoutes: TypeAlias = dict[str, Route]


# ----------------------------------------------------------------------------- domains


def _schema_oid() -> Func:
    """The OID of the row's tenant schema (NULL when none exists), read with the row.

    The guard compares it later: a schema renamed away and another created under the old
    name has another OID, so the route's guard refuses it without reading the tenant row.
    """
    return Func(
        F("tenant__schema_name"),
        template="pg_catalog.to_regnamespace(pg_catalog.quote_ident(%(expressions)s))"
        "::pg_catalog.oid::bigint",
        output_field=BigIntegerField(),
    )


def _fetch_host(host: str) -> list[HostRow]:
    """Rows for ``host`` as plain data (see :data:`HostRow`)."""
    domain_model = get_domain_model()
    if domain_model is None:
        return []
    alias = get_config().tenant_db_alias
    with cache.in_public():
        rows = list(
            domain_model._default_manager.using(alias)
            .filter(domain=host)
            .select_related("tenant")
            .annotate(pgschemas_schema_oid=_schema_oid())
        )
        redirecting = {
            row.tenant_id for row in rows if row.redirect_to_primary and not row.is_primary
        }
        primaries: dict[Any, tuple[str, str]] = {}
        if redirecting:
            primaries = {
                tenant_id: (domain, folder)
                for tenant_id, domain, folder in domain_model._default_manager.using(alias)
                .filter(tenant_id__in=redirecting, is_primary=True)
                .values_list("tenant_id", "domain", "folder")
            }
    data: list[HostRow] = []
    for row in rows:
        snapshot = TenantSnapshot.of(row.tenant)
        # Redirection is a property of the row: the tenant's other rows on this host serve.
        redirects = row.redirect_to_primary and not row.is_primary
        target = primaries.get(row.tenant_id) if redirects else None
        data.append((row.folder, snapshot.values, target, row.pk, row.pgschemas_schema_oid))
    return data


def _snapshot(values: tuple[Any, ...]) -> TenantSnapshot:
    model = get_tenant_model()
    assert model is not None
    fields = model._meta.concrete_fields
    return TenantSnapshot(
        model=model,
        db_alias=get_config().tenant_db_alias,
        attnames=tuple(f.attname for f in fields),
        values=tuple(values),
    )


def _build_host(host: str, data: list[HostRow]) -> HostRoutes:
    urlconf = dynamic_urlconf()
    guarded = conf.route_guard()
    routes: HostRoutes = {}
    for folder, values, target, domain_pk, schema_oid in data:
        snapshot = _snapshot(values)
        guard = None
        if guarded and target is None:  # a redirecting row answers without a query
            guard = domain_guard(
                snapshot.db_alias,
                domain_pk,
                host,
                folder,
                tenant_pk=snapshot.pk,
                schema_name=snapshot.schema_name,
                schema_oid=schema_oid,
            )
        routes[folder] = dynamic_route(snapshot, DOMAIN, urlconf, host, folder, target, guard=guard)
    return routes


def dynamic_routes_for_host(host: str, *, allow_db: bool = True) -> HostRoutes | Unavailable:
    """``{folder: Route}`` of the dynamic tenants on ``host`` ("" = no folder), or
    UNAVAILABLE."""
    if get_config().domain_model is None:
        return {}
    key = ("host", host)
    version = cache.current_version()
    found = cache.get(key, version)
    if isinstance(found, dict):  # only host tables are cached under "host" keys
        return found
    if not allow_db:
        return UNAVAILABLE
    static_hosts = static_tables().hosts
    return cache.load(
        key,
        version,
        lambda: _fetch_host(host),
        lambda data: _build_host(host, data),
        keep=lambda data: bool(data) or host in static_hosts,
    )


def route_for_domain(host: str, path: str, *, allow_db: bool = True) -> Lookup:
    """The route for ``host`` + request path, None when nothing matches, or UNAVAILABLE.

    Most specific first: (host, first path segment) of a static tenant, then of a dynamic
    tenant; then host alone, static then dynamic; then ``FALLBACK_DOMAINS``. A leading
    ``www.`` is ignored (``www.acme.com`` routes as ``acme.com``, as django-pgschemas does)
    unless a static tenant lists the ``www.`` host itself.
    """
    if len(host) > MAX_DOMAIN_LENGTH:
        return None  # no DNS name is this long: nothing to look up, nothing to cache
    tables = static_tables()
    if host not in tables.hosts:
        host = remove_www(host)
    segment = path.lstrip("/").split("/", 1)[0]
    if segment:
        route = tables.domains.get((host, segment))
        if route is not None:
            return route
    dynamic = dynamic_routes_for_host(host, allow_db=allow_db)
    if isinstance(dynamic, Unavailable):
        return dynamic
    if segment:
        route = dynamic.get(segment)
        if route is not None:
            return route
    route = tables.domains.get((host, ""))
    if route is not None:
        return route
    route = dynamic.get("")
    if route is not None:
        return route
    return tables.fallback.get(host)


# ----------------------------------------------------------------- headers and sessions


def _fetch_tenant(value: str) -> tuple[Any, ...] | None:
    """Values of the tenant whose schema_name (or else primary key) is ``value``."""
    model = get_tenant_model()
    if model is None:
        return None
    condition = Q(schema_name=value)
    try:
        pk = model._meta.pk.to_python(value)
    except (ValidationError, TypeError, ValueError):
        pk = None
    if pk is not None and not (isinstance(pk, int) and not -_PG_BIGINT <= pk < _PG_BIGINT):
        condition |= Q(pk=pk)
    alias = get_config().tenant_db_alias
    with cache.in_public():
        rows = list(model._default_manager.using(alias).filter(condition)[:2])
    # A schema_name match wins over a primary key match.
    rows.sort(key=lambda row: row.schema_name != value)
    return TenantSnapshot.of(rows[0]).values if rows else None


def _route_for_value(kind: str, value: str, static: dict[str, Route], allow_db: bool) -> Lookup:
    route = static.get(value)
    if route is not None:
        return route
    if get_config().tenant_model is None:
        return None
    if len(value) > MAX_VALUE_LENGTH or "\x00" in value:
        return None
    key = (kind, value)
    version = cache.current_version()
    found = cache.get(key, version)
    if found is None or isinstance(found, Route):  # what "header"/"session" keys hold
        return found
    if not allow_db:
        return UNAVAILABLE

    def build(values: tuple[Any, ...] | None) -> Route | None:
        if values is None:
            return None
        snapshot = _snapshot(values)
        guard = None
        if conf.route_guard():
            guard = tenant_guard(snapshot.db_alias, snapshot.pk, snapshot.schema_name)
        return dynamic_route(snapshot, kind, dynamic_urlconf(), reference=value, guard=guard)

    return cache.load(key, version, lambda: _fetch_tenant(value), build)


def route_for_header(value: str, *, allow_db: bool = True) -> Lookup:
    """Static tenant whose ``HEADER`` is ``value``, else tenant by schema_name or pk."""
    return _route_for_value(HEADER, value, static_tables().headers, allow_db)


def route_for_session(value: str, *, allow_db: bool = True) -> Lookup:
    """Static tenant whose ``SESSION_KEY`` is ``value``, else tenant by schema_name or pk."""
    return _route_for_value(SESSION, value, static_tables().sessions, allow_db)
