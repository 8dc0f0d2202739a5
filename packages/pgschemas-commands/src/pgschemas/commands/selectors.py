"""Turning ``-s``/``-x`` values into schemas.

A selector is one of: a static tenant key (``public`` included), the clone reference, the
``schema_name`` of a dynamic tenant, ``domain/folder``, the prefix of exactly one tenant's
domain (static ``DOMAINS``/``FALLBACK_DOMAINS`` and, when ``DOMAIN_MODEL`` is set, the rows of
the domain model), or a wildcard (``:all:``, ``:static:``, ``:dynamic:``).

Nothing here imports ``pgschemas.routing``: the domain model is found through core's
``get_domain_model()`` and only its ``domain``, ``folder`` and ``tenant`` fields are read.
Resolution never creates anything, so ``whowill`` and the prompt can use it freely.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import CommandError
from django.db import connections

from pgschemas.core.activation import override
from pgschemas.core.config import get_config
from pgschemas.core.schema import SchemaLike, get_public_schema, get_static_schemas
from pgschemas.core.utils import get_domain_model, get_tenant_model

WILDCARD_ALL = ":all:"
WILDCARD_STATIC = ":static:"
WILDCARD_DYNAMIC = ":dynamic:"
WILDCARDS = (WILDCARD_ALL, WILDCARD_STATIC, WILDCARD_DYNAMIC)


class SelectorError(CommandError):
    """A selector matched nothing, several tenants, or a kind of schema not allowed here."""


@dataclass(frozen=True)
class Scope:
    """Which kinds of schema a command may run on."""

    static: bool = True
    dynamic: bool = True

    def describe(self) -> str:
        if self.static and self.dynamic:
            return "any schema"
        return "static schemas only" if self.static else "dynamic tenants only"


@dataclass
class Selection:
    """The resolved schemas, in command order, plus the names the user spelled out."""

    schemas: list[SchemaLike] = field(default_factory=list)
    explicit: set[str] = field(default_factory=set)

    @property
    def names(self) -> list[str]:
        return [schema.schema_name for schema in self.schemas]


def _table_exists(model: type[Any]) -> bool:
    connection = connections[get_config().tenant_db_alias]
    with override(get_public_schema()), connection.cursor() as cursor:
        return model._meta.db_table in connection.introspection.table_names(cursor)


class Catalog:
    """Every schema a selector can name, loaded once (two queries at most)."""

    def __init__(self, scope: Scope | None = None) -> None:
        self.scope = scope or Scope()
        config = get_config()
        self.static: list[SchemaLike] = list(get_static_schemas()) if self.scope.static else []
        every_dynamic = self._load_dynamic()
        self.dynamic: list[SchemaLike] = every_dynamic if self.scope.dynamic else []
        self.by_name: dict[str, SchemaLike] = {s.schema_name: s for s in self.static}
        for tenant in self.dynamic:
            self.by_name.setdefault(tenant.schema_name, tenant)
        self.order = {name: index for index, name in enumerate(self.by_name)}
        #: (domain, folder, schema_name) of every routable tenant.
        self.domains: list[tuple[str, str, str]] = []
        if self.scope.static:
            for key, entry in config.static.items():
                for domain in (*entry.domains, *entry.fallback_domains):
                    host, _, folder = domain.partition("/")
                    self.domains.append((host, folder, key))
        self.domains.extend(self._load_domain_rows())
        #: Every schema name, in or out of scope (for "cannot be used here" errors).
        self.all_names = {s.schema_name for s in get_static_schemas()} | {
            t.schema_name for t in every_dynamic
        }

    def _load_dynamic(self) -> list[SchemaLike]:
        model = get_tenant_model()
        if model is None or not _table_exists(model):
            return []
        alias = get_config().tenant_db_alias
        with override(get_public_schema()):
            return list(model._default_manager.using(alias).order_by("schema_name"))

    def _load_domain_rows(self) -> list[tuple[str, str, str]]:
        model = get_domain_model()
        if model is None or not self.scope.dynamic or not _table_exists(model):
            return []
        alias = get_config().tenant_db_alias
        with override(get_public_schema()):
            rows = model._default_manager.using(alias).values_list(
                "domain", "folder", "tenant__schema_name"
            )
            return [(d or "", f or "", s) for d, f, s in rows if s in self.by_name]

    def wildcard(self, token: str) -> list[SchemaLike]:
        if token == WILDCARD_ALL:
            return list(self.by_name.values())
        if token == WILDCARD_STATIC:
            return list(self.static)
        return list(self.dynamic)

    def resolve(self, token: str) -> list[SchemaLike]:
        """The schemas one selector names; raises :class:`SelectorError` when unclear."""
        token = token.strip()
        if not token:
            raise SelectorError("An empty schema selector was given; pass a schema name or :all:.")
        if token in WILDCARDS:
            return self.wildcard(token)
        if token in self.by_name:
            return [self.by_name[token]]
        if token in self.all_names:
            raise SelectorError(
                f"Schema {token!r} cannot be used here: this command runs on "
                f"{self.scope.describe()}."
            )
        host, slash, folder = token.partition("/")
        if slash:
            exact = sorted({s for d, f, s in self.domains if d == host and f == folder})
            if len(exact) == 1:
                return [self.by_name[exact[0]]]
        matches = sorted({s for d, _f, s in self.domains if d.startswith(token)})
        if not matches and not slash:
            matches = sorted({s for d, f, s in self.domains if f and f"{d}/{f}".startswith(token)})
        if len(matches) == 1:
            return [self.by_name[matches[0]]]
        if matches:
            raise SelectorError(
                f"Schema selector {token!r} is ambiguous: it is the prefix of domains of "
                f"{len(matches)} tenants ({', '.join(matches)}). Use a longer prefix, "
                "domain/folder or the schema name."
            )
        raise SelectorError(self._unknown_message(token))

    def _unknown_message(self, token: str) -> str:
        candidates = sorted(set(self.by_name) | {d for d, _f, _s in self.domains} | set(WILDCARDS))
        close = difflib.get_close_matches(token, candidates, n=5, cutoff=0.6)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        return (
            f"No schema matches {token!r}: it is not a schema name, a domain (prefix) or "
            f"a wildcard ({', '.join(WILDCARDS)}).{hint}"
        )

    def sort(self, schemas: Iterable[SchemaLike]) -> list[SchemaLike]:
        """Public, static tenants, clone reference, dynamic tenants; no duplicates."""
        unique = {schema.schema_name: schema for schema in schemas}
        return sorted(unique.values(), key=lambda s: self.order[s.schema_name])


def resolve_selectors(
    include: Sequence[str],
    exclude: Sequence[str] = (),
    *,
    scope: Scope | None = None,
    catalog: Catalog | None = None,
) -> Selection:
    """Resolve ``-s`` values minus ``-x`` values into an ordered :class:`Selection`."""
    catalog = catalog or Catalog(scope)
    chosen: list[SchemaLike] = []
    explicit: set[str] = set()
    for token in include:
        found = catalog.resolve(token)
        chosen.extend(found)
        if token.strip() not in WILDCARDS:
            explicit.update(schema.schema_name for schema in found)
    removed = {schema.schema_name for token in exclude for schema in catalog.resolve(token)}
    schemas = [schema for schema in catalog.sort(chosen) if schema.schema_name not in removed]
    return Selection(schemas=schemas, explicit=explicit - removed)
