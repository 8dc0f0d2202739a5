"""pgschemas-routing: route each request to its tenant (domain, folder, header, session).

Import the middleware from :mod:`pgschemas.routing.middleware`, ``DomainModel`` from
:mod:`pgschemas.routing.models` and the route table from :mod:`pgschemas.routing.table`;
this module stays import-light (no models, no settings read at import).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .__about__ import __version__

if TYPE_CHECKING:
    from .cache import CacheStats

__all__ = ["__version__", "cache_stats"]


def cache_stats() -> CacheStats:
    """This process's routing cache: ``hits``, ``misses``, ``evictions`` (since start or
    ``pgschemas.routing.cache.reset_counters()``), ``entries`` and ``bytes`` held, the
    bounds ``max_entries`` / ``max_bytes``, and ``hit_rate``."""
    from .cache import counters

    return counters()
