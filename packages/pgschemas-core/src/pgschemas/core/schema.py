"""Schemas as values: static tenants, ``public`` and the clone reference.

A :class:`Schema` is a value: its name, kind and database never change. Only ``routing``
(how a request came in, a :mod:`~pgschemas.core.routing_info` value) may be assigned, as
django-pgschemas 1.x allows (``schema.routing = DomainInfo(...)``); it is left out of the
hash, so a schema in a set or dict stays findable when it is routed. Routing itself hands
each request its own copy (:meth:`Schema.routed`), so assigning ``request.tenant.routing``
never changes a shared object. Tenant
model rows satisfy the same :class:`SchemaLike` protocol, so code that activates, routes or
migrates schemas never needs to know which kind it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Protocol, Self, runtime_checkable

from . import activation
from .config import PUBLIC_KEY, get_config
from .routing_info import (
    DomainInfo,
    HeadersInfo,
    RoutingInfo,
    SessionInfo,
    routed_domain,
    routed_folder,
)
from .validation import check_schema_name


@runtime_checkable
class SchemaLike(Protocol):
    """What every schema-bearing object offers: a ``Schema`` or a ``TenantModel`` row."""

    @property
    def schema_name(self) -> str: ...

    @property
    def is_dynamic(self) -> bool: ...

    @property
    def db_alias(self) -> str: ...

    def __enter__(self) -> Any: ...

    def __exit__(self, *exc: object) -> None: ...


class SchemaActivationMixin:
    """``with obj:``, ``obj.activate()`` and ``obj.deactivate()`` for schema-like objects."""

    def __enter__(self) -> Self:
        activation.enter(self)  # type: ignore[arg-type]
        return self

    def __exit__(self, *exc: object) -> None:
        activation.leave(*exc)

    def activate(self) -> None:
        activation.activate(self)  # type: ignore[arg-type]

    @staticmethod
    def deactivate() -> None:
        activation.deactivate()


#: The fields of a :class:`Schema` fixed at construction (all but ``routing``).
_FIXED_FIELDS = frozenset({"schema_name", "is_dynamic", "alias"})


@dataclass(eq=True)
class Schema(SchemaActivationMixin):
    """A description of a schema that has no tenant row; only ``routing`` can change.

    ``routing`` says how the current request reached it (None outside a request; ``domain``
    and ``folder`` are read from it); ``is_dynamic`` is False for everything but ad-hoc
    descriptions of tenant schemas; ``alias`` is the database the schema lives on
    (``PGSCHEMAS_TENANT_DB_ALIAS`` when None). Equality compares every field, routing
    included (activating the same schema routed differently is a change); the hash leaves
    routing out, so it never changes.
    """

    schema_name: str
    is_dynamic: bool = False
    alias: str | None = None
    routing: RoutingInfo = None

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "routing" or (name in _FIXED_FIELDS and name not in self.__dict__):
            object.__setattr__(self, name, value)
            return
        if name in _FIXED_FIELDS:
            raise AttributeError(
                f"Schema.{name} cannot change (schema {self.__dict__['schema_name']!r}); "
                "only routing can be assigned. Build another Schema instead."
            )
        raise AttributeError(
            f"Schema has no attribute {name!r} to set; only routing can be assigned."
        )

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Schema.{name} cannot be deleted.")

    def __hash__(self) -> int:
        return hash((self.schema_name, self.is_dynamic, self.alias))

    @classmethod
    def create(
        cls,
        schema_name: str,
        domain_url: str | DomainInfo | SessionInfo | HeadersInfo | None = None,
        folder: str | None = None,
        *,
        routing: RoutingInfo = None,
    ) -> Schema:
        """django-pgschemas' constructor: ``create(name, routing=...)`` (1.x) or
        ``create(name, domain_url, folder)`` (the older spelling); the name is validated."""
        if isinstance(domain_url, DomainInfo | SessionInfo | HeadersInfo):
            domain_url, routing = None, domain_url
        if domain_url or folder:
            if routing is not None:
                raise TypeError(
                    "Schema.create() takes either routing=... or domain_url/folder, not both; "
                    f"got routing={routing!r} and domain_url={domain_url!r}, folder={folder!r}."
                )
            routing = DomainInfo(domain=domain_url or "", folder=folder or None)
        check_schema_name(schema_name, allow_public=True)
        return cls(schema_name=schema_name, routing=routing)

    def routed(self, domain: str = "", folder: str = "", routing: RoutingInfo = None) -> Schema:
        """A copy carrying how a request reached this schema (a domain route by default)."""
        if routing is None:
            routing = DomainInfo(domain=domain, folder=folder or None)
        return replace(self, routing=routing)

    @property
    def domain(self) -> str:
        """The routed host ("" unless routed by domain)."""
        return routed_domain(self.routing)

    @property
    def folder(self) -> str:
        """The routed folder ("" unless routed by domain and folder)."""
        return routed_folder(self.routing)

    @property
    def db_alias(self) -> str:
        return self.alias or get_config().tenant_db_alias

    @property
    def domain_url(self) -> str:
        """The routed domain, as django-pgschemas spells it (``folder`` is separate)."""
        return self.domain

    @property
    def is_public(self) -> bool:
        return self.schema_name == PUBLIC_KEY

    @property
    def is_clone_reference(self) -> bool:
        return self.schema_name == get_config().clone_reference

    def __str__(self) -> str:
        return self.schema_name


def get_public_schema() -> Schema:
    """The ``public`` schema on the tenant database (a new object each time: its
    ``routing`` can be assigned, so it is never shared)."""
    return Schema(PUBLIC_KEY, alias=get_config().tenant_db_alias)


def get_static_schema(key: str) -> Schema:
    """The static tenant ``key`` (``public`` and the clone reference included)."""
    config = get_config()
    if key == PUBLIC_KEY:
        return get_public_schema()
    if key in config.static or key == config.clone_reference:
        return Schema(key, alias=config.tenant_db_alias)
    known = ", ".join(sorted(config.reserved_names()))
    raise LookupError(f"{key!r} is not a static tenant; the static tenants are: {known}")


def get_static_schemas(
    *, include_public: bool = True, include_reference: bool = True
) -> list[Schema]:
    """Static schemas in command order: public, static keys, then the clone reference."""
    config = get_config()
    schemas = [get_public_schema()] if include_public else []
    schemas.extend(Schema(key, alias=config.tenant_db_alias) for key in config.static)
    if include_reference and config.clone_reference:
        schemas.append(Schema(config.clone_reference, alias=config.tenant_db_alias))
    return schemas
