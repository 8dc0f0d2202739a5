"""The route table: the one typed way to find, and to forget, the route of a request.

::

    from pgschemas.routing.table import UNAVAILABLE, route_table

    route = route_table.lookup(host, path, allow_db=False)  # memory only: never blocks
    if route is UNAVAILABLE:
        route = await sync_to_async(route_table.resolve)(host, path)
    if route is None:
        ...  # no tenant answers here

The routing middleware and pgschemas-channels both go through it, so HTTP requests and
websockets agree on every tenant and share one warm cache. A lookup answers a
:class:`~.routes.Route`, None (no tenant), or, with ``allow_db=False`` when the answer is
not in memory, :data:`UNAVAILABLE`; ``resolve*`` may read the database and never answer
UNAVAILABLE. Caching, guards and cross-process invalidation are those of :mod:`.cache`,
:mod:`.guards` and :mod:`.lookup`.
"""

from __future__ import annotations

from . import cache, lookup
from .routes import UNAVAILABLE, Lookup, Route, Unavailable

__all__ = ["UNAVAILABLE", "Lookup", "RouteTable", "Unavailable", "route_table"]


class RouteTable:
    """Cached lookup of routes by host and path, header value or session value."""

    __slots__ = ()

    def lookup(self, host: str, path: str, *, allow_db: bool = True) -> Lookup:
        """The route for ``host`` (normalised, no port) and request ``path``."""
        return lookup.route_for_domain(host, path, allow_db=allow_db)

    def lookup_header(self, value: str, *, allow_db: bool = True) -> Lookup:
        """The route a tenant header value names (static ``HEADER`` or key, schema, pk)."""
        return lookup.route_for_header(value, allow_db=allow_db)

    def lookup_session(self, value: str, *, allow_db: bool = True) -> Lookup:
        """The route a session value names (static ``SESSION_KEY`` or key, schema, pk)."""
        return lookup.route_for_session(value, allow_db=allow_db)

    def resolve(self, host: str, path: str) -> Route | None:
        """:meth:`lookup`, reading the database when needed."""
        return _settled(self.lookup(host, path))

    def resolve_header(self, value: str) -> Route | None:
        """:meth:`lookup_header`, reading the database when needed."""
        return _settled(self.lookup_header(value))

    def resolve_session(self, value: str) -> Route | None:
        """:meth:`lookup_session`, reading the database when needed."""
        return _settled(self.lookup_session(value))

    def invalidate(self, *, everywhere: bool = True, using: str | None = None) -> None:
        """Forget cached routes.

        ``everywhere`` (default): in this process now and when the current transaction
        (on ``using``) commits, and in every process sharing ``PGSCHEMAS_ROUTING_CACHE``;
        what model signals do, for changes that send none (``QuerySet.update()``, raw SQL).
        ``everywhere=False``: in this process only (a stale route was just refused here).
        """
        if everywhere:
            cache.invalidate(using=using)
        else:
            cache.clear_local()

    def stats(self) -> cache.CacheStats:
        """This process's cache counters and size (see :func:`pgschemas.routing.cache_stats`)."""
        return cache.counters()


def _settled(found: Lookup) -> Route | None:
    # A lookup allowed to read the database always settles.
    assert not isinstance(found, Unavailable), found
    return found


#: The process's route table (stateless: the state is the routing cache).
route_table = RouteTable()
