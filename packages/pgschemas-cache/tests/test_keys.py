from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import override_settings

from pgschemas.cache import make_key, reverse_key, schema_key_prefix
from pgschemas.core import Schema, get_public_schema
from pgschemas.core.schema import get_static_schema

# The "db" cache backend reads and writes a table (rolled back after each test).
pytestmark = pytest.mark.django_db


def tenant1() -> Schema:
    return get_static_schema("tenant1")


def tenant2() -> Schema:
    return get_static_schema("tenant2")


def test_key_starts_with_the_active_schema() -> None:
    assert make_key("menu", "", 1) == "public::1:menu"
    with tenant1():
        assert make_key("menu", "site", 2) == "tenant1:site:2:menu"
    with Schema("customer1", is_dynamic=True):
        assert make_key("menu", "", 1) == "customer1::1:menu"


def test_reverse_key_undoes_make_key_with_awkward_keys_and_prefixes() -> None:
    for key in ["menu", "a:b:c", "", "with space", "üñí:çødé", "%3A"]:
        for prefix in ["", "site", "a:b", "50%:off", "%3A"]:
            for version in [1, 12, -1]:
                with tenant2():
                    built = make_key(key, prefix, version)
                assert built.startswith(schema_key_prefix("tenant2", prefix))
                assert reverse_key(built) == key


def test_keys_with_colon_prefixes_never_collide() -> None:
    # Without escaping, prefix "a:1" + version 2 and prefix "a" + version 1 + key "2:x"
    # would give the same string.
    assert make_key("x", "a:1", 2) != make_key("2:x", "a", 1)


def test_reverse_key_rejects_foreign_keys() -> None:
    with pytest.raises(ValueError, match=r"Cannot reverse cache key ':1:menu'"):
        reverse_key(":1:menu")
    with pytest.raises(ValueError, match=r"not built by pgschemas\.cache\.make_key"):
        reverse_key("tenant1:prefix:notaversion:menu")


def test_same_key_in_two_tenants_never_collides(cache: Any) -> None:
    with tenant1():
        cache.set("menu", "tenant1 menu")
    with tenant2():
        assert cache.get("menu") is None
        cache.set("menu", "tenant2 menu")
    with Schema("customer1", is_dynamic=True):
        cache.set("menu", "customer1 menu")
    assert cache.get("menu") is None  # public
    with tenant1():
        assert cache.get("menu") == "tenant1 menu"
        cache.delete("menu")
    with tenant2():
        assert cache.get("menu") == "tenant2 menu"
        assert cache.get_many(["menu", "other"]) == {"menu": "tenant2 menu"}
    with Schema("customer1", is_dynamic=True):
        assert cache.get("menu") == "customer1 menu"


def test_counters_and_versions_are_per_tenant(cache: Any) -> None:
    with tenant1():
        cache.set("hits", 1)
        cache.incr("hits", 10)
        cache.set("page", "v1")
        cache.incr_version("page")
        assert cache.get("page", version=2) == "v1"
    with tenant2():
        cache.set("hits", 5)
        assert cache.incr("hits") == 6
        assert cache.get("page", version=2) is None
    with tenant1():
        assert cache.get("hits") == 11


def test_redis_keys_carry_the_schema(redis_client: Any) -> None:
    cache = caches["redis"]
    try:
        with tenant1():
            cache.set("menu", "tenant1 menu")
        mine = f"{schema_key_prefix('tenant1', settings.RUN_PREFIX)}*"
        stored = sorted(k.decode() for k in redis_client.scan_iter(match=mine))
        assert stored == [f"tenant1:{settings.RUN_PREFIX}:1:menu"]
        assert [reverse_key(k) for k in stored] == ["menu"]
        theirs = f"{schema_key_prefix('tenant2', settings.RUN_PREFIX)}*"
        assert list(redis_client.scan_iter(match=theirs)) == []
    finally:
        for key in redis_client.scan_iter(match=f"*:{settings.RUN_PREFIX}:*"):
            redis_client.delete(key)


def test_clear_empties_the_whole_cache_for_every_tenant() -> None:
    """Documented behaviour: clear() is not tenant-scoped (see docs/cache.md)."""
    cache = caches["default"]
    with tenant1():
        cache.set("menu", "tenant1 menu")
    with tenant2():
        cache.set("menu", "tenant2 menu")
        cache.clear()
    with tenant1():
        assert cache.get("menu") is None


def test_caches_without_the_key_function_are_shared() -> None:
    cache = caches["plain"]
    try:
        with tenant1():
            cache.set("exchange-rate", 1.1)
        with tenant2():
            assert cache.get("exchange-rate") == 1.1
    finally:
        cache.clear()


def test_dotted_key_function_setting_is_what_django_uses() -> None:
    custom = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "dotted",
            "KEY_FUNCTION": "pgschemas.cache.make_key",
            "KEY_PREFIX": "p",
        }
    }
    with override_settings(CACHES=custom):
        from django.core.cache import caches as fresh

        cache = fresh.create_connection("default")
        with tenant1():
            assert cache.make_key("k") == "tenant1:p:1:k"
        assert cache.make_key("k") == f"{get_public_schema().schema_name}:p:1:k"


def test_prefix_glob_characters_are_encoded_and_never_collide() -> None:
    with tenant1():
        for prefix in ["*", "?", "[", "]", "\\", "a*b?c[d]e\\f"]:
            built = make_key("menu", prefix, 1)
            assert not set("*?[]\\") & set(built.rsplit(":", 1)[0]), built
            assert reverse_key(built) == "menu"
        # django-redis escapes a pattern's prefix as "[*]", "[?]", "[[]": same stored prefix.
        assert make_key("menu", "[*]a[?][[]", 1) == make_key("menu", "*a?[", 1)
        assert make_key("menu", "*", 1) != make_key("menu", "x", 1)


GLOB_SUFFIXES = ["*", "?", "[", "[x]", "\\", "a*b?c[d]e\\f"]


@pytest.mark.parametrize("suffix", GLOB_SUFFIXES)
def test_patterns_with_a_glob_prefix_stay_in_one_tenant_on_redis(
    redis_client: Any, suffix: str
) -> None:
    """On the real Redis: SCAN MATCH with ``schema_key_prefix`` and django-redis'
    ``delete_pattern()``/``keys()`` see one tenant's keys of one prefix, nothing else."""
    django_redis_cache = pytest.importorskip(
        "django_redis.cache", reason="django-redis is not installed (pip install django-redis)"
    )
    run = settings.RUN_PREFIX

    def backend(prefix: str, tenant_keys: bool = True) -> Any:
        params: dict[str, Any] = {"KEY_PREFIX": prefix}
        if tenant_keys:
            params["KEY_FUNCTION"] = "pgschemas.cache.make_key"
            params["REVERSE_KEY_FUNCTION"] = "pgschemas.cache.reverse_key"
        return django_redis_cache.RedisCache(settings.REDIS_URL, params)

    glob_prefix = run + suffix
    mine = backend(glob_prefix)
    # Prefixes an unescaped pattern would match, and a cache without the key function
    # whose keys start like a tenant's ("tenant1:1:...").
    neighbours = [backend(run + tail) for tail in ("", "x", "zz", "a", "\\x")]
    shared = backend("tenant1", tenant_keys=False)
    try:
        for tenant in (tenant1, tenant2):
            with tenant():
                mine.set("k", "mine")
                for neighbour in neighbours:
                    neighbour.set("k", "neighbour")
        shared.set(f"{run}-shared", "shared")

        pattern = schema_key_prefix("tenant1", glob_prefix) + "*"
        found = [key.decode() for key in redis_client.scan_iter(match=pattern)]
        with tenant1():
            assert found == [mine.make_key("k")]
            assert mine.keys("*") == ["k"]
            assert mine.delete_pattern("*") == 1
            assert mine.get("k") is None
            assert [n.get("k") for n in neighbours] == ["neighbour"] * len(neighbours)
        with tenant2():
            assert mine.get("k") == "mine"
            assert mine.keys("*") == ["k"]
        assert shared.get(f"{run}-shared") == "shared"
    finally:
        for key in redis_client.scan_iter(match=f"*{run}*"):
            redis_client.delete(key)
