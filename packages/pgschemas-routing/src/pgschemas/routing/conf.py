"""The ``PGSCHEMAS_*`` settings routing reads, each in one place with its default.

Read at call time so ``override_settings`` in tests and settings changed at startup are
always honoured. The one read on every request (``PGSCHEMAS_ROUTING_CACHE``) is remembered
until a ``setting_changed`` signal (sent by ``override_settings``) names it or ``CACHES``:
reading an *unset* setting through ``django.conf.settings`` raises and catches an
exception each time, which a request should not pay for.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Seconds a routing lookup is trusted before it is read again from the database.
DEFAULT_CACHE_TIMEOUT = 60
#: Hosts (and header/session values) kept in process memory before the oldest are evicted.
#: Above the tenant counts one server holds: a process that cycles through more hosts than
#: the cache keeps misses on every request (docs/many-tenants.md).
DEFAULT_CACHE_MAX_ENTRIES = 50_000
#: Approximate bytes of process memory the routing lookup cache may hold (64 MiB: about
#: 40,000 hosts of one tenant each, at the accounted 1.7 KiB per entry).
DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024


#: The request header and the session key that name the tenant when the settings are unset.
DEFAULT_TENANT_HEADER = "tenant"
DEFAULT_TENANT_SESSION_KEY = "tenant"


def tenant_header() -> str | None:
    """``PGSCHEMAS_TENANT_HEADER``: the request header naming the tenant (default
    ``"tenant"``); None when set to an empty value."""
    return getattr(settings, "PGSCHEMAS_TENANT_HEADER", DEFAULT_TENANT_HEADER) or None


def tenant_session_key() -> str | None:
    """``PGSCHEMAS_TENANT_SESSION_KEY``: the session key naming the tenant (default
    ``"tenant"``); None when set to an empty value."""
    return getattr(settings, "PGSCHEMAS_TENANT_SESSION_KEY", DEFAULT_TENANT_SESSION_KEY) or None


def cache_timeout() -> float | None:
    """``PGSCHEMAS_ROUTING_CACHE_TIMEOUT``: seconds; 0 disables caching, None never expires."""
    value: Any = getattr(settings, "PGSCHEMAS_ROUTING_CACHE_TIMEOUT", DEFAULT_CACHE_TIMEOUT)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ImproperlyConfigured(
            f"PGSCHEMAS_ROUTING_CACHE_TIMEOUT must be a number of seconds >= 0 or None, "
            f"got {value!r}."
        )
    return float(value)


#: Settings whose remembered values :func:`clear_memo` must drop when they change.
MEMO_SETTINGS = frozenset({"PGSCHEMAS_ROUTING_CACHE", "CACHES"})
_UNSET: Any = object()
_cache_alias: Any = _UNSET


def clear_memo() -> None:
    global _cache_alias
    _cache_alias = _UNSET


def cache_alias() -> str | None:
    """``PGSCHEMAS_ROUTING_CACHE``: alias of a shared Django cache (Redis, Memcached), or None."""
    global _cache_alias
    alias = _cache_alias
    if alias is _UNSET:
        alias = _cache_alias = _read_cache_alias()
    return alias  # type: ignore[no-any-return]


def _read_cache_alias() -> str | None:
    alias = getattr(settings, "PGSCHEMAS_ROUTING_CACHE", None)
    if alias is None:
        return None
    caches_setting = getattr(settings, "CACHES", {})
    if alias not in caches_setting:
        raise ImproperlyConfigured(
            f"PGSCHEMAS_ROUTING_CACHE is {alias!r} but CACHES has no such alias; "
            f"use one of {sorted(caches_setting)} or None."
        )
    return str(alias)


def cache_max_entries() -> int:
    """``PGSCHEMAS_ROUTING_CACHE_MAX_ENTRIES``: bound on entries kept in process memory."""
    value: Any = getattr(settings, "PGSCHEMAS_ROUTING_CACHE_MAX_ENTRIES", DEFAULT_CACHE_MAX_ENTRIES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(
            f"PGSCHEMAS_ROUTING_CACHE_MAX_ENTRIES must be a positive integer, got {value!r}."
        )
    return value


def cache_max_bytes() -> int:
    """``PGSCHEMAS_ROUTING_CACHE_MAX_BYTES``: bound on the approximate bytes kept in memory."""
    value: Any = getattr(settings, "PGSCHEMAS_ROUTING_CACHE_MAX_BYTES", DEFAULT_CACHE_MAX_BYTES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(
            f"PGSCHEMAS_ROUTING_CACHE_MAX_BYTES must be a positive integer (bytes, e.g. "
            f"16 * 1024 * 1024), got {value!r}."
        )
    return value


def route_guard() -> bool:
    """``PGSCHEMAS_ROUTING_GUARD`` (default True): the first statement of a request routed
    from the cache checks that the route still holds (see :mod:`.guards`). Read when a
    route is built, so a change applies to routes read from the database afterwards."""
    value: Any = getattr(settings, "PGSCHEMAS_ROUTING_GUARD", True)
    if not isinstance(value, bool):
        raise ImproperlyConfigured(f"PGSCHEMAS_ROUTING_GUARD must be True or False, got {value!r}.")
    return value
