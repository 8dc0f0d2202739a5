"""The ``TENANTS`` setting, parsed once into an immutable configuration.

Everything else in the family reads tenancy settings through :func:`get_config`, never from
``settings.TENANTS`` directly, so the parsing rules (and their error messages) live in one
place. Validation that should be reported rather than raised lives in :mod:`.checks`; this
module only refuses input it cannot make sense of at all.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed

from . import settings_registry

T = TypeVar("T")

#: The keys of a ``TENANTS`` entry core itself reads (every other key belongs to a package
#: that declares it in :mod:`.settings_registry`).
_CORE_KEYS = frozenset({"APPS", "URLCONF", "TENANT_MODEL", "DOMAIN_MODEL"})

#: Keys of ``TENANTS`` that are not static tenants.
PUBLIC_KEY = "public"
DEFAULT_KEY = "default"

#: Settings whose change must drop the parsed configuration (tests use override_settings).
_WATCHED_SETTINGS = frozenset(
    {
        "TENANTS",
        "PGSCHEMAS_EXTRA_SEARCH_PATHS",
        "PGSCHEMAS_TENANT_DB_ALIAS",
        "INSTALLED_APPS",
    }
)


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


@dataclass(frozen=True)
class _Refused:
    """A declared key whose value its parser refused: raised again where it is read."""

    error: ImproperlyConfigured


_ABSENT: Any = object()


def _parse_declared(key: str, value: Mapping[str, Any]) -> dict[str, Any]:
    """Parsed values of the declared keys present in one entry (core's own excluded).

    A refused value is kept as :class:`_Refused`: only the package reading that key (and
    the checks) see the error, as before the keys moved to their packages.
    """
    parsed: dict[str, Any] = {}
    for name in value:
        if name in _CORE_KEYS:
            continue
        declared = settings_registry.find_key(name) if _discovery_allowed() else None
        if declared is None:
            declared = settings_registry.declared_keys().get(name)
        if declared is None:
            continue
        try:
            parsed[name] = declared.read(key, value)
        except ImproperlyConfigured as exc:
            parsed[name] = _Refused(exc)
    return parsed


def _discovery_allowed() -> bool:
    """Loading a package's declarations imports it: only once apps are ready."""
    from django.apps import apps

    return bool(apps.ready)


@dataclass(frozen=True)
class TenantConfig:
    """One entry of ``TENANTS``: ``public``, a static tenant key, or ``default``.

    Core's own keys are attributes; a key another package declares is read with
    :meth:`value` (typed, with the package's :class:`~.settings_registry.TenantKey`) or
    :meth:`option` (by name, for a package reading a key of one it does not depend on).
    """

    key: str
    apps: tuple[str, ...] = ()
    urlconf: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    options: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_setting(cls, key: str, value: Mapping[str, Any]) -> TenantConfig:
        return cls(
            key=key,
            apps=_strings(value.get("APPS")),
            urlconf=value.get("URLCONF"),
            raw=dict(value),
            options=_parse_declared(key, value),
        )

    @property
    def where(self) -> settings_registry.Where:
        return settings_registry.where_of(self.key)

    def value(self, key: settings_registry.TenantKey[T]) -> T:
        """The parsed value of a declared key (its default when the entry does not set it).

        Raises ``ImproperlyConfigured`` naming the value when the key's parser refused it.
        """
        found = self.options.get(key.name, _ABSENT)
        if found is _ABSENT:
            # Declared after this entry was parsed, or the entry does not set it.
            return key.read(self.key, self.raw)
        if isinstance(found, _Refused):
            raise found.error
        return found  # type: ignore[no-any-return]

    def option(self, name: str, default: Any = None) -> Any:
        """The parsed value of the key ``name``; ``default`` when no installed package
        declares it or the entry does not set it."""
        declared = settings_registry.find_key(name)
        if declared is None or name not in self.raw:
            return default
        return self.value(declared)


@dataclass(frozen=True)
class TenancyConfig:
    """Parsed ``TENANTS`` plus the ``PGSCHEMAS_*`` settings core needs."""

    public: TenantConfig
    static: Mapping[str, TenantConfig]
    default: TenantConfig | None
    tenant_model: str | None
    domain_model: str | None
    extra_search_paths: tuple[str, ...]
    tenant_db_alias: str
    #: The schema named by a ``names_schema`` key of ``default`` (pgschemas-clone's
    #: ``CLONE_REFERENCE``), None when no installed package declares one or it is unset.
    reference_schema: str | None = None

    @property
    def clone_reference(self) -> str | None:
        """:attr:`reference_schema` by the name every caller has used so far."""
        return self.reference_schema

    @property
    def static_keys(self) -> tuple[str, ...]:
        """Static tenant keys in declaration order (``public`` and ``default`` excluded)."""
        return tuple(self.static)

    def tenant_config_for(self, schema_name: str, *, is_dynamic: bool) -> TenantConfig | None:
        """The entry whose APPS and urlconf apply to a schema, or None if none does."""
        if schema_name == PUBLIC_KEY:
            return self.public
        if is_dynamic or schema_name == self.clone_reference:
            return self.default
        return self.static.get(schema_name)

    def reserved_names(self) -> frozenset[str]:
        """Names a dynamic tenant may not take: static keys and the clone reference."""
        names = set(self.static) | {PUBLIC_KEY}
        if self.clone_reference:
            names.add(self.clone_reference)
        return frozenset(names)


def parse_tenants(
    tenants: Any,
    *,
    extra_search_paths: Any = (),
    tenant_db_alias: str = "default",
) -> TenancyConfig:
    """Build a :class:`TenancyConfig`; raise ``ImproperlyConfigured`` only for unusable input."""
    if not isinstance(tenants, Mapping):
        raise ImproperlyConfigured(
            f"TENANTS must be a dict of tenant entries, got {type(tenants).__name__}. "
            "Run `manage.py check` for details (pgschemas.E001)."
        )
    for key, value in tenants.items():
        if not isinstance(value, Mapping):
            raise ImproperlyConfigured(
                f"TENANTS[{key!r}] must be a dict, got {type(value).__name__} (pgschemas.E001)."
            )
    public_raw = tenants.get(PUBLIC_KEY, {})
    default_raw = tenants.get(DEFAULT_KEY)
    static = {
        key: TenantConfig.from_setting(key, value)
        for key, value in tenants.items()
        if key not in (PUBLIC_KEY, DEFAULT_KEY)
    }
    default = TenantConfig.from_setting(DEFAULT_KEY, default_raw) if default_raw else None
    reference = _reference_schema(default)
    tenant_model = public_raw.get("TENANT_MODEL") or (default_raw or {}).get("TENANT_MODEL")
    domain_model = public_raw.get("DOMAIN_MODEL") or (default_raw or {}).get("DOMAIN_MODEL")
    return TenancyConfig(
        public=TenantConfig.from_setting(PUBLIC_KEY, public_raw),
        static=static,
        default=default,
        tenant_model=tenant_model,
        domain_model=domain_model,
        extra_search_paths=_strings(extra_search_paths),
        tenant_db_alias=tenant_db_alias,
        reference_schema=reference,
    )


def _reference_schema(default: TenantConfig | None) -> str | None:
    if default is None:
        return None
    for declared in settings_registry.declared_keys().values():
        if declared.names_schema and declared.name in default.options:
            value = default.options[declared.name]
            if isinstance(value, str) and value:
                return value
    return None


@dataclass(frozen=True)
class _Parsed:
    """A parsed configuration and a deep copy of the setting values it was parsed from."""

    sources: tuple[Any, Any, Any]
    config: TenancyConfig
    #: False when parsed before apps were ready: packages' key declarations could not be
    #: loaded then, so it is parsed again once they can.
    complete: bool = True


_parsed: _Parsed | None = None
#: Bumped whenever the parsed configuration may change: a pinned one is valid only while
#: the generation it was pinned in lasts.
_generation = 0
#: ``(PGSCHEMAS_EXTRA_SEARCH_PATHS, PGSCHEMAS_TENANT_DB_ALIAS)`` as set (the objects, not
#: copies), read once: usually unset, and reading an unset setting raises and catches an
#: ``AttributeError`` inside Django's ``LazySettings`` on every call. They change through
#: ``override_settings`` (the ``setting_changed`` signal drops this); edits in place of the
#: list are still seen, as the objects themselves are compared.
_optional: tuple[Any, Any] | None = None
#: The configuration pinned for the current request (see :class:`pinned_config`).
_pinned: ContextVar[tuple[int, TenancyConfig] | None] = ContextVar(
    "pgschemas_pinned_config", default=None
)


def _optional_sources() -> tuple[Any, Any]:
    global _optional
    optional = _optional
    if optional is None:
        optional = _optional = (
            getattr(settings, "PGSCHEMAS_EXTRA_SEARCH_PATHS", ()),
            getattr(settings, "PGSCHEMAS_TENANT_DB_ALIAS", "default"),
        )
    return optional


def _setting_sources() -> tuple[Any, Any, Any]:
    extra, alias = _optional_sources()
    return (getattr(settings, "TENANTS", {}), extra, alias)


def extra_search_paths() -> tuple[str, ...]:
    """``PGSCHEMAS_EXTRA_SEARCH_PATHS`` as parsed, read straight from the setting.

    For the backend, which needs it for every statement: :func:`get_config` compares the
    whole ``TENANTS`` setting on each call, work a statement has no need of.
    """
    raw = _optional_sources()[0]
    if raw == ():  # unset, the usual case: nothing to convert for each statement
        return ()
    return _strings(raw)


def get_config() -> TenancyConfig:
    """The process-wide parsed configuration.

    It is re-parsed when a watched setting changes: through ``override_settings`` (the
    ``setting_changed`` signal) and also when ``settings.TENANTS`` is edited in place
    (``settings.TENANTS["default"]["APPS"].append(...)`` in a test, which sends no signal):
    the values it was parsed from are kept as a deep copy and compared on every call
    (cheap for a usual ``TENANTS``). Inside :class:`pinned_config` (a routed
    request) that comparison is made once, when the pin is taken.
    """
    global _parsed, _generation
    pinned = _pinned.get()
    if pinned is not None and pinned[0] == _generation:
        return pinned[1]
    sources = _setting_sources()
    parsed = _parsed
    if (
        parsed is not None
        and parsed.sources == sources
        and (parsed.complete or not _discovery_allowed())
    ):
        return parsed.config
    complete = _discovery_allowed()
    config = parse_tenants(sources[0], extra_search_paths=sources[1], tenant_db_alias=sources[2])
    if parsed is not None:
        _clear_derived_caches()
    _parsed = _Parsed(copy.deepcopy(sources), config, complete)
    _generation += 1
    return config


class pinned_config:
    """Within the block, :func:`get_config` answers the configuration read on entry.

    Routing enters it once per request, so the many ``get_config()`` calls a request makes
    (lookups, urlconf, template and static directories) cost a context-variable read
    instead of a comparison of the whole ``TENANTS`` setting each. An edit in place of
    ``settings.TENANTS`` is seen from the next block on; ``override_settings`` (the
    ``setting_changed`` signal) ends the pin at once. A plain class rather than a
    generator: it is entered on every request.
    """

    __slots__ = ("_token",)

    def __enter__(self) -> TenancyConfig:
        config = get_config()
        self._token = _pinned.set((_generation, config))
        return config

    def __exit__(self, *exc: object) -> None:
        _pinned.reset(self._token)


def _clear_derived_caches() -> None:
    from .apps_map import clear_app_label_cache

    clear_app_label_cache()


def _reset_config(*, setting: str, **kwargs: Any) -> None:
    global _parsed, _optional, _generation
    if setting in _WATCHED_SETTINGS:
        _parsed = None
        _optional = None
        _generation += 1
        _clear_derived_caches()


def _key_declared() -> None:
    """A package declared a ``TENANTS`` key: parse again to include its value."""
    global _parsed, _generation
    _parsed = None
    _generation += 1


setting_changed.connect(_reset_config)
settings_registry.on_register(_key_declared)


def _passthrough(value: Any, entry_key: str) -> Any:
    return value


def _apps_value(value: Any, entry_key: str) -> tuple[str, ...]:
    return _strings(value)


#: Core's own keys, declared like any package's so the unknown-key check and its listing
#: know them; core reads them as :class:`TenantConfig` attributes.
CORE_KEYS: tuple[settings_registry.TenantKey[Any], ...] = tuple(
    settings_registry.register_key(key)
    for key in (
        settings_registry.TenantKey[tuple[str, ...]](
            "APPS",
            "pgschemas-core",
            settings_registry.EVERYWHERE,
            (),
            _apps_value,
            check_id="pgschemas.E008",
        ),
        settings_registry.TenantKey(
            "URLCONF",
            "pgschemas-core",
            frozenset({settings_registry.STATIC, settings_registry.DEFAULT}),
            None,
            _passthrough,
            check_id="pgschemas.E005",
            refusals={settings_registry.PUBLIC: settings_registry.ROUTED_IN_PUBLIC},
        ),
        *(
            settings_registry.TenantKey(
                name,
                "pgschemas-core",
                frozenset({settings_registry.PUBLIC, settings_registry.DEFAULT}),
                None,
                _passthrough,
                check_id="pgschemas.E004",
            )
            for name in ("TENANT_MODEL", "DOMAIN_MODEL")
        ),
    )
)
