"""Turning ``-s``/``-x`` values into schemas.

A selector is one of: a static tenant key (``public`` included), the clone reference, the
``schema_name`` of a dynamic tenant, ``domain/folder``, the prefix of exactly one tenant's
domain (static ``DOMAINS``/``FALLBACK_DOMAINS`` and, when ``DOMAIN_MODEL`` is set, the rows of
the domain model), or a wildcard (``:all:``, ``:static:``, ``:dynamic:``, ``:tenants:``).

Every selector resolves to a :class:`Match` saying by which rule it matched: a name or a
wildcard is exact, so is a tenant's full domain or ``domain/folder``; a *prefix* is not
(``acme`` picking ``acmecorp.example.com`` once the tenant ``acme`` is gone), and commands
confirm or refuse such a match before writing (see ``pgschemas.commands.base``).

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
from pgschemas.core.domains import normalize_domain, normalize_host, split_domain_folder
from pgschemas.core.schema import SchemaLike, get_public_schema, get_static_schemas
from pgschemas.core.utils import get_domain_model, get_tenant_model

WILDCARD_ALL = ":all:"
WILDCARD_STATIC = ":static:"
WILDCARD_DYNAMIC = ":dynamic:"
#: django-pgschemas' "tenant-like" schemas (``-ts``): dynamic tenants plus the clone reference.
WILDCARD_TENANTS = ":tenants:"
WILDCARDS = (WILDCARD_ALL, WILDCARD_STATIC, WILDCARD_DYNAMIC, WILDCARD_TENANTS)

#: How a selector matched (:attr:`Match.rule`).
RULE_NAME = "schema name"
RULE_WILDCARD = "wildcard"
RULE_DOMAIN = "domain"
RULE_ROUTE = "domain/folder"
RULE_DOMAIN_PREFIX = "domain prefix"
RULE_ROUTE_PREFIX = "domain/folder prefix"
#: Rules that name the schema unmistakably; the others are prefixes of something longer.
EXACT_RULES = frozenset({RULE_NAME, RULE_WILDCARD, RULE_DOMAIN, RULE_ROUTE})


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


@dataclass(frozen=True)
class Match:
    """What one selector resolved to, and by which rule (one of the ``RULE_*`` names)."""

    token: str
    schemas: tuple[SchemaLike, ...]
    rule: str
    #: The domains (``domain`` or ``domain/folder``) that matched, for the domain rules.
    via: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        """True for a schema name, a wildcard or a full domain; False for a prefix."""
        return self.rule in EXACT_RULES

    @property
    def by_name(self) -> bool:
        return self.rule in (RULE_NAME, RULE_WILDCARD)

    def describe(self) -> str:
        """``'acme' -> schema 'acmecorp' (domain prefix of acmecorp.example.com)``."""
        names = ", ".join(repr(schema.schema_name) for schema in self.schemas)
        via = f" of {', '.join(self.via)}" if self.via else ""
        return f"{self.token!r} -> schema {names} ({self.rule}{via})"


@dataclass
class Selection:
    """The resolved schemas, in command order, plus the names the user spelled out."""

    schemas: list[SchemaLike] = field(default_factory=list)
    explicit: set[str] = field(default_factory=set)
    #: How each ``-s`` and each ``-x`` value matched, in the order given.
    matches: list[Match] = field(default_factory=list)
    excluded: list[Match] = field(default_factory=list)

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
                # pgschemas-routing's keys, read by name: commands does not need routing.
                routed = (*entry.option("DOMAINS", ()), *entry.option("FALLBACK_DOMAINS", ()))
                for domain in routed:
                    host, folder = split_domain_folder(domain)
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
            # Rows written around save() (bulk_create, update) may not be normalised.
            return [
                (normalize_domain(d or ""), (f or "").strip("/"), s)
                for d, f, s in rows
                if s in self.by_name
            ]

    def wildcard(self, token: str) -> list[SchemaLike]:
        if token == WILDCARD_ALL:
            return list(self.by_name.values())
        if token == WILDCARD_STATIC:
            return list(self.static)
        if token == WILDCARD_TENANTS:
            reference = get_config().clone_reference
            static = [s for s in self.static if s.schema_name == reference]
            return [*static, *self.dynamic]
        return list(self.dynamic)

    def _check_wildcard_scope(self, token: str) -> None:
        """A wildcard naming only kinds this command cannot run on is an error, not nothing."""
        wants_dynamic = token in (WILDCARD_DYNAMIC, WILDCARD_TENANTS)
        if (token == WILDCARD_STATIC and not self.scope.static) or (
            wants_dynamic and not self.scope.dynamic
        ):
            raise SelectorError(
                f"Wildcard {token!r} cannot be used here: this command runs on "
                f"{self.scope.describe()}."
            )

    def resolve(self, token: str) -> list[SchemaLike]:
        """The schemas one selector names; raises :class:`SelectorError` when unclear."""
        return list(self.match(token).schemas)

    def match(self, token: str) -> Match:
        """What one selector names and by which rule; :class:`SelectorError` when unclear."""
        token = token.strip()
        if not token:
            raise SelectorError("An empty schema selector was given; pass a schema name or :all:.")
        if token in WILDCARDS:
            self._check_wildcard_scope(token)
            return Match(token, tuple(self.wildcard(token)), RULE_WILDCARD)
        if token in self.by_name:
            return Match(token, (self.by_name[token],), RULE_NAME)
        if token in self.all_names:
            raise SelectorError(
                f"Schema {token!r} cannot be used here: this command runs on "
                f"{self.scope.describe()}."
            )
        raw_host, slash, raw_folder = token.partition("/")
        # Hosts compare as routing compares them (core.domains): "ACME.example.com.:8000"
        # is acme.example.com. A prefix is only lowercased ("acme." must stay a prefix).
        host = normalize_host(raw_host)
        prefix = raw_host.lower()
        folder = raw_folder.strip("/")
        routes = [(f"{d}/{f}" if f else d, s) for d, f, s in self.domains]
        if slash:
            exact = sorted({s for d, f, s in self.domains if d == host and f == folder})
            if len(exact) == 1:
                return self._domain_match(token, prefix, exact[0], RULE_ROUTE, routes)
            route_prefix = f"{prefix}/{raw_folder}"
            matches = sorted(
                {s for route, s in routes if "/" in route and route.startswith(route_prefix)}
            )
            rule = RULE_ROUTE_PREFIX
        else:
            whole = sorted({s for d, f, s in self.domains if d == host and not f})
            if len(whole) == 1:
                # A full domain names the tenant answering on the bare host, as routing
                # does, even where folder tenants share the host or longer domains start
                # with it ("example.com" with "example.com/beta" and "example.com.au").
                return self._domain_match(token, prefix, whole[0], RULE_DOMAIN, routes)
            matches = sorted({s for d, _f, s in self.domains if d.startswith(prefix)} | set(whole))
            rule = RULE_DOMAIN_PREFIX
        if len(matches) == 1:
            return self._domain_match(token, prefix, matches[0], rule, routes)
        if matches:
            raise SelectorError(
                f"Schema selector {token!r} is ambiguous: it is the prefix of domains of "
                f"{len(matches)} tenants ({', '.join(matches)}). Use a longer prefix, "
                "domain/folder or the schema name."
            )
        raise SelectorError(self._unknown_message(token))

    def _domain_match(
        self, token: str, prefix: str, schema_name: str, rule: str, routes: list[tuple[str, str]]
    ) -> Match:
        host = normalize_host(prefix)
        via = sorted(
            {
                route
                for route, s in routes
                if s == schema_name
                and (route.startswith(prefix) or route.partition("/")[0] == host)
            }
        )
        return Match(token, (self.by_name[schema_name],), rule, tuple(via))

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
    matches = [catalog.match(token) for token in include]
    for match in matches:
        chosen.extend(match.schemas)
        if match.rule != RULE_WILDCARD:
            explicit.update(schema.schema_name for schema in match.schemas)
    excluded = [catalog.match(token) for token in exclude]
    removed = {schema.schema_name for match in excluded for schema in match.schemas}
    schemas = [schema for schema in catalog.sort(chosen) if schema.schema_name not in removed]
    return Selection(
        schemas=schemas, explicit=explicit - removed, matches=matches, excluded=excluded
    )
