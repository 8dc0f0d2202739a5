"""The lookup cache: zero routing queries once warm, at most one SET per request, and
changes (create, move, delete) honoured at once in-process and across processes."""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from pgschemas.core import ddl
from pgschemas.routing import cache

pytestmark = pytest.mark.django_db


def get(host: str, path: str) -> Any:
    return Client().get(path, HTTP_HOST=host)


def test_2000_requests_over_20_tenants_cost_no_routing_query(make_tenant: Any) -> None:
    targets = []
    for i in range(20):
        if i % 2:
            tenant = make_tenant(domains=(f"t{i}.test.com",), items=(f"item{i}",))
            targets.append((f"t{i}.test.com", "/items/", tenant.schema_name, f"item{i}"))
        else:
            tenant = make_tenant(domains=(f"folders.test.com/f{i}",), items=(f"item{i}",))
            targets.append(("folders.test.com", f"/f{i}/items/", tenant.schema_name, f"item{i}"))
    client = Client()
    for host, path, _, _ in targets:  # warm up
        client.get(path, HTTP_HOST=host)
    sets_before = connection.pgschemas_search_path_sets
    with CaptureQueriesContext(connection) as queries:
        for n in range(2000):
            host, path, schema, item = targets[n % 20]
            data = client.get(path, HTTP_HOST=host).json()
            assert data == {"schema": schema, "items": [item]}
    sets = connection.pgschemas_search_path_sets - sets_before
    # The view runs exactly one query; everything else would be routing.
    routing_queries = len(queries) - 2000
    print(
        f"\n[routing] 2000 requests / 20 tenants: {routing_queries / 2000:.3f} routing "
        f"queries/request, {sets / 2000:.3f} SET search_path/request"
    )
    assert routing_queries == 0
    assert sets <= 2000
    with CaptureQueriesContext(connection) as queries:
        for n in range(200):
            host, path, schema, _ = targets[n % 20]
            assert (
                client.get(path.replace("items", "ping"), HTTP_HOST=host).content == schema.encode()
            )
    assert len(queries) == 0


def test_domain_created_moved_and_deleted_seen_at_once(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    one, two = make_tenant(), make_tenant()
    assert get("move.test.com", "/whoami/").status_code == 404  # cached as "nobody"
    domain = Domain.objects.create(tenant=one, domain="move.test.com")
    assert get("move.test.com", "/whoami/").json()["schema"] == one.schema_name
    domain.tenant = two
    domain.save()
    assert get("move.test.com", "/whoami/").json()["schema"] == two.schema_name
    domain.folder = "sub"
    domain.save()
    assert get("move.test.com", "/whoami/").status_code == 404
    assert get("move.test.com", "/sub/whoami/").json()["schema"] == two.schema_name
    domain.delete()
    assert get("move.test.com", "/sub/whoami/").status_code == 404


def test_renamed_tenant_is_routed_to_its_new_schema_at_once(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("renamed.test.com",), items=("kept",))
    assert get("renamed.test.com", "/whoami/").json()["schema"] == tenant.schema_name
    new_name = f"{tenant.schema_name}_new"
    tenant.rename_schema(new_name)
    response = get("renamed.test.com", "/items/").json()
    assert (response["schema"], response["items"]) == (new_name, ["kept"])


def test_deleted_tenant_is_404(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("gone.test.com", "shared.test.com/gone"), items=("x",))
    assert get("gone.test.com", "/items/").json()["items"] == ["x"]
    assert get("shared.test.com", "/gone/items/").status_code == 200
    tenant.delete()
    assert not ddl.schema_exists(tenant.schema_name)
    assert get("gone.test.com", "/items/").status_code == 404
    assert get("shared.test.com", "/gone/items/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_tenant_deleted_by_another_process_is_404_not_500(committed_tenant: Any) -> None:
    """Another process deleted the tenant: this one's cache still routes to it."""
    tenant = committed_tenant(domains=("elsewhere.test.com",), items=("x",))
    assert get("elsewhere.test.com", "/items/").status_code == 200
    with connection.cursor() as cursor:  # no signals reach this process
        cursor.execute("DELETE FROM shared_app_domain WHERE tenant_id = %s", [tenant.pk])
        cursor.execute("DELETE FROM shared_app_tenant WHERE id = %s", [tenant.pk])
    ddl.drop_schema(tenant.schema_name)
    response = Client(raise_request_exception=False).get("/items/", HTTP_HOST="elsewhere.test.com")
    assert response.status_code == 404
    assert response.content.startswith(b"tenant-404:")
    # The stale route is gone: the next request does not even reach the view.
    assert get("elsewhere.test.com", "/items/").content.startswith(b"public-404:")


def test_a_new_tenant_on_a_deleted_tenants_host_is_asked_for_again(
    committed_tenant: Any,
) -> None:
    """Another process deleted a tenant and gave its host to a new one: this process, whose
    cache still routes the host to the old tenant, never answers from it (nor from public):
    the client is sent to ask again (307), and is then served by the new tenant."""
    old = committed_tenant(domains=("reused.test.com",), items=("old",))
    new = committed_tenant(items=("new",))
    assert get("reused.test.com", "/items/").json()["items"] == ["old"]  # cached: old
    with connection.cursor() as cursor:  # no signals reach this process
        cursor.execute(
            "UPDATE shared_app_domain SET tenant_id = %s WHERE tenant_id = %s", [new.pk, old.pk]
        )
        cursor.execute("DELETE FROM shared_app_tenant WHERE id = %s", [old.pk])
    ddl.drop_schema(old.schema_name)
    response = Client(raise_request_exception=False).post(
        "/items/?page=2", {"field": "kept"}, HTTP_HOST="reused.test.com"
    )
    assert (response.status_code, response["Location"]) == (307, "/items/?page=2")
    assert get("reused.test.com", "/items/").json() == {
        "schema": new.schema_name,
        "items": ["new"],
    }


@override_settings(PGSCHEMAS_ROUTING_CACHE_TIMEOUT=0.3)
def test_other_processes_see_changes_within_the_timeout(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    one, two = make_tenant(domains=("ttl.test.com",)), make_tenant()
    assert get("ttl.test.com", "/whoami/").json()["schema"] == one.schema_name
    Domain.objects.filter(domain="ttl.test.com").update(tenant=two)  # no signal
    assert get("ttl.test.com", "/whoami/").json()["schema"] == one.schema_name  # stale
    time.sleep(0.35)
    assert get("ttl.test.com", "/whoami/").json()["schema"] == two.schema_name


@override_settings(PGSCHEMAS_ROUTING_CACHE_TIMEOUT=0)
def test_timeout_zero_disables_the_cache(make_tenant: Any) -> None:
    make_tenant(domains=("nocache.test.com",))
    get("nocache.test.com", "/ping/")
    with CaptureQueriesContext(connection) as queries:
        get("nocache.test.com", "/ping/")
    assert len(queries) == 1


def _redis_caches() -> dict[str, Any]:
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": f"pgschemas-routing-tests-{uuid.uuid4().hex}",
        },
    }


@pytest.fixture
def shared_cache() -> Any:
    try:
        import redis

        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except Exception as exc:
        print(f"SKIP reason: no Redis at 127.0.0.1:6379 ({exc})")
        pytest.skip(f"no Redis at 127.0.0.1:6379 ({exc})")
    with override_settings(CACHES=_redis_caches(), PGSCHEMAS_ROUTING_CACHE="shared"):
        yield cache.shared_cache()
        cache.shared_cache().clear()


def test_shared_cache_warms_new_processes_and_invalidates_all(
    make_tenant: Any, shared_cache: Any
) -> None:
    from tests.shared_app.models import Domain

    one, two = make_tenant(domains=("redis.test.com",)), make_tenant()
    assert get("redis.test.com", "/whoami/").json()["schema"] == one.schema_name
    # A "new process" (empty memory) routes from the shared cache, not the database.
    cache.clear_local()
    with CaptureQueriesContext(connection) as queries:
        assert get("redis.test.com", "/ping/").content == one.schema_name.encode()
    assert len(queries) == 0
    # "Another process" moves the domain: it bumps the shared version; we see it at once.
    Domain.objects.filter(domain="redis.test.com").update(tenant=two)  # no signal here
    assert get("redis.test.com", "/whoami/").json()["schema"] == one.schema_name  # stale
    cache.bump_shared_version()  # what the other process's signal handler does
    assert get("redis.test.com", "/whoami/").json()["schema"] == two.schema_name
    # A lost version key (eviction) cannot bring old entries back.
    shared_cache.delete(cache.VERSION_KEY)
    Domain.objects.filter(domain="redis.test.com").update(tenant=one)
    assert get("redis.test.com", "/whoami/").json()["schema"] == one.schema_name


def test_shared_cache_bumped_by_signals(make_tenant: Any, shared_cache: Any) -> None:
    one = make_tenant(domains=("sig.test.com",))
    get("sig.test.com", "/ping/")
    version = cache.current_version()
    one.domains.create(domain="sig2.test.com")
    assert cache.current_version() != version
