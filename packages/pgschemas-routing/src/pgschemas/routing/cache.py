"""The routing lookup cache: warm routing costs no database query.

Two layers:

- **Process memory**: a dict from a lookup key (``("host", "example.com")``,
  ``("header", "acme")``, ...) to what the database said, stamped with an expiry time
  (``PGSCHEMAS_ROUTING_CACHE_TIMEOUT``) and, when a shared cache is configured, with the
  shared version. Bounded by ``PGSCHEMAS_ROUTING_CACHE_MAX_ENTRIES`` and, in approximate
  bytes (key plus the data read), by ``PGSCHEMAS_ROUTING_CACHE_MAX_BYTES``; the oldest
  entries are evicted first. Answers the caller says are not worth keeping (a host no
  tenant lives on) are stored nowhere, so made-up hosts cannot fill or churn the cache.
- **A shared Django cache** (``PGSCHEMAS_ROUTING_CACHE``, optional): holds a version number
  read once per routed request, and the raw lookup data under versioned keys, so a fresh
  process warms up without the database and a bump of the version invalidates every
  process at once.

Invalidation (:func:`invalidate`) clears process memory and bumps the shared version. It
runs on every save/delete of the tenant or domain model (see :mod:`.signals`), once at
once and once more when the transaction commits: a concurrent request that re-read the
old rows between the change and the commit cannot leave them cached. A load started before
an invalidation is not stored (generation check).

Counters (:func:`counters`, public as :func:`pgschemas.routing.cache_stats`): a *hit* is a
lookup answered from process memory, a *miss* one that had to load (shared cache or
database), an *eviction* an entry dropped to stay within the bounds. They are plain
integer increments, not locked: exact in one thread, approximate (never off by more than
the racing increments) under threads.
"""

from __future__ import annotations

import enum
import hashlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from django.db import transaction

from pgschemas.core.activation import get_current_schema, override
from pgschemas.core.config import PUBLIC_KEY
from pgschemas.core.schema import get_public_schema

from . import conf

T = TypeVar("T")
D = TypeVar("D")


class Miss(enum.Enum):
    """The type of :data:`MISS` (an enum member, so type checkers can narrow it away)."""

    MISS = "MISS"

    def __repr__(self) -> str:
        return "MISS"


#: Returned by :func:`get` when the key is not cached (None is a valid cached value).
MISS: Final = Miss.MISS

VERSION_KEY = "pgschemas.routing:version"
_KEY_PREFIX = "pgschemas.routing"
#: Shape of the lookup data kept in the shared cache: a change of shape changes the keys,
#: so processes running different releases never read each other's data.
DATA_FORMAT = "2"

_lock = threading.Lock()
#: key -> (expires_at (monotonic) or None, shared version or None, value, accounted bytes)
_entries: dict[tuple[str, str], tuple[float | None, Any, object, int]] = {}
_bytes = 0
_generation = 0
_hits = 0
_misses = 0
_evictions = 0
#: Accounted per entry on top of its key and data: the entry tuple, the dict slot and the
#: built objects (routes, snapshots), which hold references to the data rather than copies.
ENTRY_OVERHEAD = 1024


def data_size(data: Any) -> int:
    """Approximate bytes held by plain data (str, bytes, numbers, tuples, lists, dicts)."""
    size = sys.getsizeof(data)
    if isinstance(data, tuple | list | set | frozenset):
        size += sum(data_size(item) for item in data)
    elif isinstance(data, dict):
        size += sum(data_size(k) + data_size(v) for k, v in data.items())
    return size


def entry_size(key: tuple[str, str], data: Any) -> int:
    """What an entry for ``key`` holding ``data`` counts against the byte bound."""
    return ENTRY_OVERHEAD + data_size(key) + data_size(data)


@contextmanager
def in_public() -> Iterator[None]:
    """Run shared-cache and lookup queries in ``public`` (tenant-aware KEY_FUNCTIONs agree)."""
    if get_current_schema().schema_name == PUBLIC_KEY:
        yield
    else:
        with override(get_public_schema()):
            yield


def shared_cache() -> Any:
    """The shared Django cache, or None when ``PGSCHEMAS_ROUTING_CACHE`` is not set."""
    alias = conf.cache_alias()
    if alias is None:
        return None
    from django.core.cache import caches

    return caches[alias]


def current_version() -> Any:
    """The shared version (one shared-cache read), or None without a shared cache."""
    shared = shared_cache()
    if shared is None:
        return None
    with in_public():
        version = shared.get(VERSION_KEY)
        if version is None:
            # A fresh (or evicted) key starts from the clock, never from an old value.
            shared.add(VERSION_KEY, time.time_ns(), None)
            version = shared.get(VERSION_KEY)
    return version


def _shared_key(version: Any, key: tuple[str, str]) -> str:
    digest = hashlib.sha256(key[1].encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{_KEY_PREFIX}:{version}:{DATA_FORMAT}:{key[0]}:{digest}"


def get(key: tuple[str, str], version: Any) -> object:
    """The cached value for ``key`` (no I/O but the version read already done), or MISS.

    A found value counts as a hit; a miss is counted by :func:`load` (an async caller
    asks twice, on the event loop and again in a thread, before loading once).
    """
    global _hits
    entry = _entries.get(key)
    if entry is None:
        return MISS
    expires, entry_version, value, _ = entry
    if entry_version != version or (expires is not None and expires <= time.monotonic()):
        return MISS
    _hits += 1
    return value


def load(
    key: tuple[str, str],
    version: Any,
    fetch: Callable[[], D],
    build: Callable[[D], T],
    keep: Callable[[D], bool] | None = None,
) -> T:
    """Fetch raw data (shared cache, else ``fetch()`` = database), build, cache, return it.

    ``fetch`` returns plain picklable data; ``build`` turns it into what callers use.
    ``keep(data)`` False: the answer is returned but cached nowhere.
    """
    global _misses
    _misses += 1
    timeout = conf.cache_timeout()
    if timeout == 0:
        return build(fetch())
    generation = _generation
    shared = shared_cache() if version is not None else None
    data: Any = MISS
    if shared is not None:
        with in_public():
            data = shared.get(_shared_key(version, key), MISS)
    fetched = data is MISS
    if fetched:
        data = fetch()
    if keep is not None and not keep(data):
        return build(data)
    if fetched and shared is not None:
        with in_public():
            shared.set(_shared_key(version, key), data, timeout)
    value = build(data)
    expires = None if timeout is None else time.monotonic() + timeout
    _store(generation, key, (expires, version, value, entry_size(key, data)))
    return value


def _store(
    generation: int, key: tuple[str, str], entry: tuple[float | None, Any, object, int]
) -> None:
    """Keep ``entry`` unless an invalidation ran since the load; evict to stay in bounds."""
    global _bytes, _evictions
    max_entries, max_bytes = conf.cache_max_entries(), conf.cache_max_bytes()
    size = entry[3]
    if size > max_bytes:
        return  # larger than the whole cache: never kept
    with _lock:
        if generation != _generation:
            return
        replaced = _entries.pop(key, None)
        if replaced is not None:
            _bytes -= replaced[3]
        if len(_entries) >= max_entries:
            # Evict the oldest half: insertion order is age order.
            for old in list(_entries)[: max(1, len(_entries) // 2)]:
                _bytes -= _entries.pop(old)[3]
                _evictions += 1
        if _bytes + size > max_bytes:
            # Evict the oldest until the new entry fits, and at least down to half full.
            target = min(max_bytes - size, max_bytes // 2)
            for old in list(_entries):
                if _bytes <= target:
                    break
                _bytes -= _entries.pop(old)[3]
                _evictions += 1
        _entries[key] = entry
        _bytes += size


def clear_local() -> None:
    """Forget what this process cached (other processes are untouched)."""
    global _generation, _bytes
    with _lock:
        _generation += 1
        _entries.clear()
        _bytes = 0


def bump_shared_version() -> None:
    """Make every process's cached routing stale (no-op without a shared cache)."""
    shared = shared_cache()
    if shared is None:
        return
    with in_public():
        try:
            shared.incr(VERSION_KEY)
        except ValueError:  # missing or evicted: any new value differs from the old ones
            shared.set(VERSION_KEY, time.time_ns(), None)


def _invalidate_now() -> None:
    clear_local()
    bump_shared_version()


def invalidate(using: str | None = None) -> None:
    """Drop cached routing now and again when the current transaction commits.

    Call it after changes Django sends no signal for (``QuerySet.update()``, raw SQL).
    """
    _invalidate_now()
    transaction.on_commit(_invalidate_now, using=using)


#: Public name for projects and benchmarks: forget every cached route, everywhere.
clear_routing_cache = invalidate


def stats() -> dict[str, int]:
    """Entries and accounted bytes held in this process (diagnostics and benchmarks)."""
    return {"entries": len(_entries), "bytes": _bytes, "generation": _generation}


@dataclass(frozen=True, slots=True)
class CacheStats:
    """This process's routing cache: counters since start (or :func:`reset_counters`)
    and what it holds now against its bounds."""

    hits: int
    misses: int
    evictions: int
    entries: int
    bytes: int
    max_entries: int
    max_bytes: int

    @property
    def hit_rate(self) -> float | None:
        """hits / (hits + misses), None before the first lookup."""
        total = self.hits + self.misses
        return self.hits / total if total else None


def counters() -> CacheStats:
    """Hits, misses and evictions so far, entries and bytes held, and the bounds."""
    return CacheStats(
        hits=_hits,
        misses=_misses,
        evictions=_evictions,
        entries=len(_entries),
        bytes=_bytes,
        max_entries=conf.cache_max_entries(),
        max_bytes=conf.cache_max_bytes(),
    )


def reset_counters() -> None:
    """Start counting hits, misses and evictions from zero (e.g. per metrics interval)."""
    global _hits, _misses, _evictions
    _hits = _misses = _evictions = 0
