"""Which package owns each key of a ``TENANTS`` entry, and how its value is read.

Core parses only its own keys (``APPS``, ``URLCONF``, ``TENANT_MODEL``, ``DOMAIN_MODEL``).
Every other key is declared by the package that reads it: a :class:`TenantKey` says in
which entries the key may appear, its default, and how its value is parsed (refusing a bad
value with an error naming it). Core's parser stores the parsed value of every declared
key (:meth:`pgschemas.core.config.TenantConfig.value`), and its checks report keys no
installed package declares (``pgschemas.E020``) and keys in an entry they do not belong to.

A package declares its keys in its ``pgschemas.<name>.tenant_keys`` module, at import.
Not in ``AppConfig.ready()``: pgschemas-channels has no app, and a package may be used
without being in ``INSTALLED_APPS``. So a declaration never depends on what was imported
first, core imports that module itself for a key of a family package (:data:`KNOWN_OWNERS`)
that it finds in ``TENANTS`` and nobody declared yet; when the module is not there, the key
is reported with the package to install.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import import_module
from types import MappingProxyType
from typing import Any, Generic, Literal, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

#: The three kinds of ``TENANTS`` entries.
Where = Literal["public", "static", "default"]
PUBLIC: Where = "public"
STATIC: Where = "static"
DEFAULT: Where = "default"
EVERYWHERE: frozenset[Where] = frozenset({PUBLIC, STATIC, DEFAULT})

#: A key no installed package declares.
UNKNOWN_KEY_ID = "pgschemas.E020"
#: A declared key in an entry it does not belong to, when its declaration names no ID.
MISPLACED_KEY_ID = "pgschemas.E021"

#: Keys of the family's other packages, and the distribution that declares each: a key
#: found in ``TENANTS`` that nobody declared is reported with "install <distribution>".
#: Only names live here; the owning package parses and checks the value.
KNOWN_OWNERS: dict[str, str] = {
    "DOMAINS": "pgschemas-routing",
    "FALLBACK_DOMAINS": "pgschemas-routing",
    "HEADER": "pgschemas-routing",
    "SESSION_KEY": "pgschemas-routing",
    "TEMPLATE_DIRS": "pgschemas-routing",
    "STATICFILES_DIRS": "pgschemas-routing",
    "WS_URLCONF": "pgschemas-channels",
    "CLONE_REFERENCE": "pgschemas-clone",
    "CLONE_SPARES": "pgschemas-clone",
}


def where_of(entry_key: str) -> Where:
    """The kind of a ``TENANTS`` entry from its key."""
    if entry_key == PUBLIC:
        return PUBLIC
    if entry_key == DEFAULT:
        return DEFAULT
    return STATIC


@dataclass(frozen=True)
class Refusal:
    """How a key found in an entry it does not belong to is reported.

    ``message`` and ``hint`` are format strings: ``{key}`` is the key, ``{value}`` the
    repr of its value, ``{entry}`` the repr of the entry's key in ``TENANTS``. It lets a
    key keep the check ID it was reported under before it moved to its package.
    """

    id: str
    message: str
    hint: str | None = None


#: ``public`` is never routed to: shared by the keys that route requests (E003).
ROUTED_IN_PUBLIC = Refusal(
    "pgschemas.E003",
    'TENANTS["public"] cannot be routed, but it sets {key}={value}.',
    'Remove {key} from TENANTS["public"]; route a static tenant instead.',
)


@dataclass(frozen=True, eq=False)
class TenantKey(Generic[T]):
    """One key of a ``TENANTS`` entry, declared by the package that reads it.

    ``parse(value, entry_key)`` turns the value as written into what the package uses and
    raises ``ImproperlyConfigured`` naming the value when it cannot; the check reports that
    message under ``check_id`` (with ``hint``). A key absent from an entry reads as
    ``default``. ``names_schema`` marks a key of ``default`` whose value is the name of a
    schema that takes ``default``'s ``APPS`` (pgschemas-clone's ``CLONE_REFERENCE``): core
    reserves that name and routes its migrations without knowing the key.
    """

    name: str
    package: str
    entries: frozenset[Where]
    default: T
    parse: Callable[[Any, str], T]
    check_id: str
    hint: str | None = None
    refusals: Mapping[Where, Refusal] = field(default_factory=dict)
    names_schema: bool = False

    def read(self, entry_key: str, entry: Mapping[str, Any]) -> T:
        """The parsed value of this key in one entry (``default`` when absent)."""
        if self.name not in entry:
            return self.default
        return self.parse(entry[self.name], entry_key)


_keys: dict[str, TenantKey[Any]] = {}
#: Called after a key is declared (config drops what it parsed before).
_listeners: list[Callable[[], None]] = []
#: Distributions whose ``tenant_keys`` module was looked for and is not installed.
_missing: set[str] = set()


def register_key(key: TenantKey[T]) -> TenantKey[T]:
    """Declare ``key``; returns it, so a module can write ``DOMAINS = register_key(...)``."""
    existing = _keys.get(key.name)
    if existing is not None and existing.package != key.package:
        raise ImproperlyConfigured(
            f"TENANTS key {key.name!r} is declared by both {existing.package} and {key.package}."
        )
    _keys[key.name] = key
    for listener in _listeners:
        listener()
    return key


def unregister_key(name: str) -> None:
    """Forget the declaration of ``name`` (tests declaring a key for a while)."""
    if _keys.pop(name, None) is not None:
        for listener in _listeners:
            listener()


def on_register(listener: Callable[[], None]) -> None:
    """Call ``listener`` whenever a key is declared."""
    _listeners.append(listener)


def declared_keys() -> Mapping[str, TenantKey[Any]]:
    """Every declared key by name (read-only view)."""
    return MappingProxyType(_keys)


def keys_module(package: str) -> str:
    """``pgschemas-routing`` -> ``pgschemas.routing.tenant_keys`` (the naming rule)."""
    return f"pgschemas.{package.removeprefix('pgschemas-')}.tenant_keys"


def _load(package: str) -> None:
    if package in _missing:
        return
    module = keys_module(package)
    try:
        import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not (module == exc.name or module.startswith(f"{exc.name}.")):
            raise  # the package is there but one of its own imports is broken
        _missing.add(package)


def find_key(name: str) -> TenantKey[Any] | None:
    """The declaration of ``name``, loading its family package's declarations if needed.

    None when no installed package declares it.
    """
    key = _keys.get(name)
    if key is None and name in KNOWN_OWNERS:
        _load(KNOWN_OWNERS[name])
        key = _keys.get(name)
    return key


def load_all() -> None:
    """Load the declarations of every installed family package (for complete listings)."""
    for package in sorted(set(KNOWN_OWNERS.values())):
        _load(package)


def keys_by_package() -> dict[str, list[str]]:
    """Declared key names grouped by package, both sorted."""
    grouped: dict[str, list[str]] = {}
    for key in _keys.values():
        grouped.setdefault(key.package, []).append(key.name)
    return {package: sorted(names) for package, names in sorted(grouped.items())}


def schema_name_keys(names: Iterable[str]) -> list[TenantKey[Any]]:
    """The declared ``names_schema`` keys among ``names``."""
    found = (find_key(name) for name in names)
    return [key for key in found if key is not None and key.names_schema]


# Parsers shared by several packages' declarations.


def optional_str(value: Any, entry_key: str, *, name: str) -> str | None:
    """None or a str, as written; anything else is refused naming the value."""
    if value is None or isinstance(value, str):
        return value
    raise ImproperlyConfigured(f"TENANTS[{entry_key!r}][{name!r}] must be a string, got {value!r}.")


def string_tuple(value: Any, entry_key: str, *, name: str) -> tuple[str, ...]:
    """One string or a list/tuple of strings, as a tuple; anything else is refused."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ImproperlyConfigured(
        f"TENANTS[{entry_key!r}][{name!r}] must be a string or a list of strings, got {value!r}."
    )
