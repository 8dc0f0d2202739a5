"""The typed route table shared by the middleware and pgschemas-channels, and its counters."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from pgschemas.routing import cache, cache_stats
from pgschemas.routing.routes import HEADER, Route
from pgschemas.routing.table import UNAVAILABLE, Unavailable, route_table

pytestmark = pytest.mark.django_db


def test_memory_only_lookups_say_unavailable_until_resolved(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("table.test.com",))
    assert route_table.lookup("table.test.com", "/", allow_db=False) is UNAVAILABLE
    resolved = route_table.resolve("table.test.com", "/x/")
    assert isinstance(resolved, Route) and resolved.schema_name == tenant.schema_name
    warm = route_table.lookup("table.test.com", "/", allow_db=False)
    assert warm is resolved  # the very route object: no rebuild on a warm lookup


def test_no_tenant_is_none_never_unavailable(db: Any) -> None:
    assert route_table.resolve("nobody.test.com", "/") is None
    assert route_table.lookup("nobody.test.com", "/") is None
    assert route_table.resolve_header("no-such-tenant") is None
    assert route_table.resolve_session("no-such-tenant") is None
    assert UNAVAILABLE is not None and not isinstance(UNAVAILABLE, Route)
    assert isinstance(UNAVAILABLE, Unavailable) and repr(UNAVAILABLE) == "UNAVAILABLE"


def test_header_and_session_values(make_tenant: Any) -> None:
    tenant = make_tenant()
    assert route_table.lookup_header(tenant.schema_name, allow_db=False) is UNAVAILABLE
    by_header = route_table.resolve_header(tenant.schema_name)
    assert by_header is not None and by_header.mechanism == HEADER
    assert route_table.lookup_header(tenant.schema_name, allow_db=False) is by_header
    by_session = route_table.resolve_session(str(tenant.pk))
    assert by_session is not None and by_session.schema_name == tenant.schema_name


def test_invalidate_here_only_or_everywhere(make_tenant: Any) -> None:
    make_tenant(domains=("forget.test.com",))
    route_table.resolve("forget.test.com", "/")
    route_table.invalidate(everywhere=False)
    assert route_table.lookup("forget.test.com", "/", allow_db=False) is UNAVAILABLE
    route_table.resolve("forget.test.com", "/")
    with transaction.atomic():
        route_table.invalidate()
        assert route_table.lookup("forget.test.com", "/", allow_db=False) is UNAVAILABLE


def test_cache_stats_count_hits_misses_and_evictions(make_tenant: Any) -> None:
    hosts = [f"stats{i}.test.com" for i in range(3)]
    for host in hosts:
        make_tenant(domains=(host,))
    cache.reset_counters()
    with override_settings(PGSCHEMAS_ROUTING_CACHE_MAX_ENTRIES=2):
        empty = cache_stats()
        assert (empty.hits, empty.misses, empty.evictions, empty.hit_rate) == (0, 0, 0, None)
        assert empty.max_entries == 2
        route_table.resolve(hosts[0], "/")  # cold: a miss
        assert route_table.lookup(hosts[0], "/", allow_db=False) is not UNAVAILABLE  # a hit
        route_table.resolve(hosts[0], "/")  # a hit
        after = cache_stats()
        assert (after.hits, after.misses, after.evictions) == (2, 1, 0)
        assert after.hit_rate == pytest.approx(2 / 3)
        assert after.entries == 1 and after.bytes > 0
        route_table.resolve(hosts[1], "/")
        route_table.resolve(hosts[2], "/")  # a third entry with room for two: evicts
        full = cache_stats()
        assert full.misses == 3 and full.evictions >= 1 and full.entries <= 2
    assert route_table.stats().misses == 3


def test_an_unavailable_answer_is_not_counted_as_a_miss(make_tenant: Any) -> None:
    # Async callers ask memory first, then load in a thread: one lookup, one miss.
    make_tenant(domains=("once.test.com",))
    cache.reset_counters()
    assert route_table.lookup("once.test.com", "/", allow_db=False) is UNAVAILABLE
    route_table.resolve("once.test.com", "/")
    assert (cache_stats().hits, cache_stats().misses) == (0, 1)
