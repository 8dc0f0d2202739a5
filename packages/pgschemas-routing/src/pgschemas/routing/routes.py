"""Routes: what a request was matched to, computed once and shared by every request.

A :class:`Route` is immutable and holds everything a request needs without touching the
database: the schema name, the urlconf object (folder wrapper included), the redirect
target, and either the routed static :class:`~pgschemas.core.schema.Schema` or a snapshot
of the tenant row. :meth:`Route.tenant` hands each request its *own* tenant object, so
the per-request attribute (``routing``, which ``domain`` and ``folder`` are read from) never
leaks between requests.
"""

from __future__ import annotations

import copy
import datetime
import decimal
import enum
import functools
import threading
import types
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Final, TypeAlias

from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

from pgschemas.core.config import TenancyConfig, get_config
from pgschemas.core.domains import split_domain_folder
from pgschemas.core.guard import Guard, attach
from pgschemas.core.routing_info import DomainInfo, HeadersInfo, RoutingInfo, SessionInfo
from pgschemas.core.schema import Schema, get_static_schema

from . import tenant_keys
from .urlconf import static_urlconf, urlconf_for

#: Routing mechanisms, as found in ``route.mechanism``.
DOMAIN = "domain"
FALLBACK = "fallback"
HEADER = "header"
SESSION = "session"


#: Field values that can be handed to many instances (nothing can change them in place).
_IMMUTABLE = (
    type(None),
    bool,
    int,
    float,
    str,
    bytes,
    decimal.Decimal,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    uuid.UUID,
)


@functools.cache
def _plain_model(model: Any, attnames: tuple[str, ...]) -> bool:
    """True when building ``model`` from a dict of field values is what ``from_db`` does.

    That holds when neither ``__init__`` nor ``from_db`` is customised and every field is
    read through Django's plain descriptor (no ``__set__`` doing work, as a ``FileField``'s
    would). Signals are checked per call (receivers may connect at any time).
    """
    if model.__init__ is not Model.__init__:
        return False
    if getattr(model.from_db, "__func__", None) is not Model.from_db.__func__:
        return False
    if attnames != tuple(f.attname for f in model._meta.concrete_fields):
        return False
    for attname in attnames:
        descriptor = model.__dict__.get(attname)
        if descriptor is None:
            descriptor = getattr(model, attname, None)
        cls = type(descriptor)
        if cls is not DeferredAttribute and cls.__name__ != "ForeignKeyDeferredAttribute":
            return False
    return True


@dataclass(frozen=True, slots=True)
class TenantSnapshot:
    """A tenant row as plain values: enough to build a fresh instance with no query."""

    model: type[Any]
    db_alias: str
    attnames: tuple[str, ...]
    values: tuple[Any, ...]
    #: attname -> value, when every value is immutable (else None: copy them per instance).
    shared: dict[str, Any] | None = field(default=None, compare=False)
    #: ``shared`` is set and the model is plain (see :func:`_plain_model`).
    fast: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        if all(type(value) in _IMMUTABLE for value in self.values):
            object.__setattr__(self, "shared", dict(zip(self.attnames, self.values, strict=True)))
            model: Any = self.model
            object.__setattr__(self, "fast", _plain_model(model, self.attnames))

    @classmethod
    def of(cls, tenant: Any) -> TenantSnapshot:
        fields = tenant._meta.concrete_fields
        return cls(
            model=type(tenant),
            db_alias=tenant._state.db,
            attnames=tuple(f.attname for f in fields),
            values=tuple(getattr(tenant, f.attname) for f in fields),
        )

    @property
    def schema_name(self) -> str:
        return str(self.values[self.attnames.index("schema_name")])

    @property
    def pk(self) -> Any:
        return self.values[self.attnames.index(self.model._meta.pk.attname)]

    def instantiate(self) -> Any:
        """A new instance, as ``model.from_db()`` would build it; no state is shared.

        Routing builds one per request, so when it is provably the same (plain model, no
        ``pre_init``/``post_init`` receivers, immutable values) the instance is made from
        the snapshot's field dict directly, skipping ``Model.__init__``'s per-field work.
        """
        model: Any = self.model
        if not self.fast or pre_init.receivers or post_init.receivers:
            values = self.values if self.shared is not None else copy.deepcopy(self.values)
            return model.from_db(self.db_alias, self.attnames, values)
        tenant = model.__new__(model)
        tenant.__dict__.update(self.shared)
        state = tenant._state = ModelState()
        state.adding = False
        state.db = self.db_alias
        return tenant


class Unavailable(enum.Enum):
    """The answer of a lookup made with ``allow_db=False`` that needs the database.

    Async callers ask memory first on the event loop, and on this answer ask again in a
    thread. It is an enum member (:data:`UNAVAILABLE`), so ``route is UNAVAILABLE`` narrows
    a :data:`Lookup` for type checkers, and it is never mistaken for "no tenant" (None).
    """

    UNAVAILABLE = "unavailable"

    def __repr__(self) -> str:
        return "UNAVAILABLE"


UNAVAILABLE: Final = Unavailable.UNAVAILABLE


@dataclass(frozen=True, slots=True)
class Route:
    """One way into one tenant; ``info`` becomes ``request.tenant.routing``."""

    schema_name: str
    is_dynamic: bool
    mechanism: str
    domain: str = ""
    folder: str = ""
    #: ``request.urlconf``: a dotted path, a folder wrapper module, or None (ROOT_URLCONF).
    urlconf: str | types.ModuleType | None = None
    #: (domain, folder) of the primary domain when this domain redirects there.
    redirect_to: tuple[str, str] | None = None
    snapshot: TenantSnapshot | None = field(default=None, compare=False)
    static: Schema | None = field(default=None, compare=False)
    #: How the request reached the tenant: ``request.tenant.routing``.
    info: RoutingInfo = None
    #: What the request's first statement checks (the route still holds), if anything.
    guard: Guard | None = field(default=None, compare=False)

    def tenant(self) -> Any:
        """The object for ``request.tenant``: a routed ``Schema`` or a fresh tenant row
        carrying the route's guard, unchecked. A static tenant is copied too: its
        ``routing`` can be assigned, and the route is shared by every request."""
        if self.static is not None:
            return replace(self.static)
        assert self.snapshot is not None
        tenant = self.snapshot.instantiate()
        tenant.routing = self.info
        if self.guard is not None:
            attach(tenant, self.guard)
        return tenant

    @property
    def domain_url(self) -> str:
        return f"{self.domain}/{self.folder}" if self.folder else self.domain


#: What a lookup answers: the route, None (no tenant), or :data:`UNAVAILABLE`.
Lookup: TypeAlias = Route | Unavailable | None


def routing_info(mechanism: str, domain: str = "", folder: str = "", reference: str = "") -> Any:
    """The ``tenant.routing`` value of a route."""
    if mechanism == HEADER:
        return HeadersInfo(reference=reference)
    if mechanism == SESSION:
        return SessionInfo(reference=reference)
    return DomainInfo(domain=domain, folder=folder or None, fallback=mechanism == FALLBACK)


def static_route(
    key: str, mechanism: str, domain: str = "", folder: str = "", reference: str = ""
) -> Route:
    info = routing_info(mechanism, domain, folder, reference)
    return Route(
        schema_name=key,
        is_dynamic=False,
        mechanism=mechanism,
        domain=domain,
        folder=folder,
        urlconf=urlconf_for(static_urlconf(key), folder),
        static=get_static_schema(key).routed(routing=info),
        info=info,
    )


def dynamic_route(
    snapshot: TenantSnapshot,
    mechanism: str,
    urlconf: str | None,
    domain: str = "",
    folder: str = "",
    redirect_to: tuple[str, str] | None = None,
    reference: str = "",
    guard: Guard | None = None,
) -> Route:
    return Route(
        schema_name=snapshot.schema_name,
        is_dynamic=True,
        mechanism=mechanism,
        domain=domain,
        folder=folder,
        urlconf=urlconf_for(urlconf, folder),
        redirect_to=redirect_to,
        snapshot=snapshot,
        info=routing_info(mechanism, domain, folder, reference),
        guard=guard,
    )


@dataclass(frozen=True)
class StaticTables:
    """Routes of static tenants from ``TENANTS``, built once per configuration."""

    domains: dict[tuple[str, str], Route]
    fallback: dict[str, Route]
    headers: dict[str, Route]
    sessions: dict[str, Route]
    #: Every host a static tenant answers on (``DOMAINS`` and ``FALLBACK_DOMAINS``).
    hosts: frozenset[str] = frozenset()

    @classmethod
    def build(cls, config: TenancyConfig) -> StaticTables:
        domains: dict[tuple[str, str], Route] = {}
        fallback: dict[str, Route] = {}
        headers: dict[str, Route] = {}
        sessions: dict[str, Route] = {}
        for key, entry in config.static.items():
            for raw in entry.value(tenant_keys.DOMAINS):
                host, folder = split_domain_folder(raw)
                domains.setdefault((host, folder), static_route(key, DOMAIN, host, folder))
            for raw in entry.value(tenant_keys.FALLBACK_DOMAINS):
                host = split_domain_folder(raw)[0]
                if host not in fallback:
                    fallback[host] = static_route(key, FALLBACK, domain=host)
            # A static tenant is named by its HEADER / SESSION_KEY value or by its key.
            for value in (entry.value(tenant_keys.HEADER), key):
                if value and value not in headers:
                    headers[value] = static_route(key, HEADER, reference=value)
            for value in (entry.value(tenant_keys.SESSION_KEY), key):
                if value and value not in sessions:
                    sessions[value] = static_route(key, SESSION, reference=value)
        hosts = frozenset(host for host, _ in domains) | frozenset(fallback)
        return cls(domains, fallback, headers, sessions, hosts)


_tables_lock = threading.Lock()
_tables: tuple[TenancyConfig, StaticTables] | None = None


def static_tables() -> StaticTables:
    """The tables for the current configuration (rebuilt when ``TENANTS`` changes)."""
    global _tables
    config = get_config()
    current = _tables
    if current is not None and current[0] is config:
        return current[1]
    with _tables_lock:
        tables = StaticTables.build(config)
        _tables = (config, tables)
    return tables


def clear_static_tables() -> None:
    global _tables
    _tables = None
