"""The spec page's "Caching" section in the sandbox: ``KEY_FUNCTION`` set as written.

Every test runs on the sandbox's local-memory cache and on Django's Redis backend against
a real Redis (``PGSCHEMAS_TEST_REDIS_URL``, default ``redis://127.0.0.1:6379/0``); the
Redis run is skipped, with the reason printed, when nothing answers there. Redis is
shared: each run uses a ``KEY_PREFIX`` of its own and deletes exactly the keys it wrote
(never ``FLUSHDB``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from pgschemas.core import Schema, get_current_schema
from pgschemas.core.schema import get_static_schema
from pgschemas.routing import cache as routing_cache
from tests.redis_support import REDIS_URL, redis_unavailable

pytestmark = pytest.mark.django_db

#: What the spec page tells users to write.
SPEC_KEY_FUNCTION = "django_pgschemas.cache.make_key"


@pytest.fixture(autouse=True)
def _fresh_routing_cache() -> Iterator[None]:
    # Tenants of these tests are rolled back: no cached route may outlive them.
    routing_cache.clear_local()
    yield
    routing_cache.clear_local()


@contextmanager
def redis_cache() -> Iterator[str]:
    """Django's RedisCache with the sandbox's KEY_FUNCTION; yields its KEY_PREFIX."""
    reason = redis_unavailable()
    if reason:
        print(f"skipping the Redis run: {reason}")
        pytest.skip(reason)
    import redis

    prefix = f"pgschemas-sandbox-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "KEY_FUNCTION": settings.CACHES["default"]["KEY_FUNCTION"],
        }
    }
    client = redis.Redis.from_url(REDIS_URL)
    try:
        with override_settings(CACHES=caches):
            yield prefix
    finally:
        leftovers = list(client.scan_iter(match=f"*:{prefix}:*"))
        if leftovers:
            client.delete(*leftovers)
        client.close()


@pytest.fixture(params=["locmem", "redis"])
def backend(request: Any) -> Iterator[str]:
    """The sandbox's own CACHES, then Django's RedisCache with the same KEY_FUNCTION."""
    if request.param == "locmem":
        cache.clear()  # the sandbox's in-process cache: nobody else uses it
        yield "locmem"
        cache.clear()
    else:
        with redis_cache():
            yield "redis"


def test_the_sandbox_uses_the_spec_key_function() -> None:
    assert settings.CACHES["default"]["KEY_FUNCTION"] == SPEC_KEY_FUNCTION
    with get_static_schema("www"):
        assert cache.make_key("menu").startswith("www:")


def test_same_key_in_two_tenants_never_collides(backend: str, make_tenant: Any) -> None:
    www, blog = get_static_schema("www"), get_static_schema("blog")
    acme = make_tenant("cache_acme")
    for tenant, value in ((www, "www's"), (blog, "blog's"), (acme, "acme's")):
        with tenant:
            assert cache.get("greeting") is None
            cache.set("greeting", value)
            cache.set_many({"a": f"{value} a", "b": f"{value} b"})
    with www:
        assert cache.get("greeting") == "www's"
        assert cache.get_many(["a", "b"]) == {"a": "www's a", "b": "www's b"}
        cache.delete("greeting")  # only www's key
        assert cache.get("greeting") is None
    with blog:
        assert cache.get("greeting") == "blog's"
    with acme:
        assert cache.get("greeting") == "acme's"
        assert cache.get_many(["a", "b"]) == {"a": "acme's a", "b": "acme's b"}
        assert cache.add("hits", 10)
        assert cache.incr("hits") == 11
    # A schema that is not a tenant row at all, and public, see none of it.
    with Schema("cache_acme_not", is_dynamic=True):
        assert cache.get("greeting") is None and cache.get("hits") is None
    assert get_current_schema().schema_name == "public"
    assert cache.get("greeting") is None and cache.get_many(["a", "b"]) == {}
    for tenant in (www, blog, acme):
        with tenant:
            cache.delete_many(["greeting", "a", "b", "hits"])


def test_visits_counted_per_tenant_through_the_routing_middleware(
    backend: str, make_tenant: Any
) -> None:
    """Requests routed by domain and folder count the same key ``"visits"`` apart."""
    from shared_public.models import Domain

    acme, globex = make_tenant("cache_acme"), make_tenant("cache_globex")
    Domain.objects.create(tenant=acme, domain="cache-acme.localhost")
    Domain.objects.create(tenant=globex, domain="cache-tenants.localhost", folder="globex")
    client = Client()
    requests = [
        ("localhost", "/visits/"),
        ("localhost", "/visits/"),
        ("blog.localhost", "/visits/"),
        ("cache-acme.localhost", "/visits/"),
        ("cache-acme.localhost", "/visits/"),
        ("cache-acme.localhost", "/visits/"),
        ("cache-tenants.localhost", "/globex/visits/"),
    ]
    answers = []
    for host, path in requests:
        response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, (host, path, response.content)
        answers.append(response.content.decode())
    assert answers == [
        "visits=1 schema=www",
        "visits=2 schema=www",
        "visits=1 schema=blog",
        "visits=1 schema=cache_acme",
        "visits=2 schema=cache_acme",
        "visits=3 schema=cache_acme",
        "visits=1 schema=cache_globex",
    ]
    # The same counters, read outside any request with the tenant active.
    counts = {}
    for tenant in (get_static_schema("www"), get_static_schema("blog"), acme, globex):
        with tenant:
            counts[tenant.schema_name] = cache.get("visits")
            cache.delete("visits")
    assert counts == {"www": 2, "blog": 1, "cache_acme": 3, "cache_globex": 1}
    assert cache.get("visits") is None  # public never counted


def test_redis_holds_one_key_per_tenant() -> None:
    """What an operator sees in Redis: the schema leads every key (``SCAN www:*``)."""
    with redis_cache() as prefix:
        _check_redis_keys(prefix)


def _check_redis_keys(prefix: str) -> None:
    import redis

    from django_pgschemas.cache import reverse_key
    from pgschemas.cache import schema_key_prefix

    for name in ("www", "blog"):
        with get_static_schema(name):
            cache.set("menu", name)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        keys = {
            name: sorted(k.decode() for k in client.scan_iter(match=f"{name}:{prefix}:*"))
            for name in ("www", "blog")
        }
    finally:
        client.close()
    assert keys == {"www": [f"www:{prefix}:1:menu"], "blog": [f"blog:{prefix}:1:menu"]}
    assert keys["www"][0].startswith(schema_key_prefix("www", prefix))
    assert reverse_key(keys["blog"][0]) == "menu"
