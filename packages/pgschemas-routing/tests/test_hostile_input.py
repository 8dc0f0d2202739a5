"""Hostile hosts and values in-process: refused with a 400 and one log line, and the routing
caches stay bounded (in entries and in accounted bytes) whatever clients send."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, override_settings

from pgschemas.routing import cache, hosts

pytestmark = pytest.mark.django_db


def get(host: str, path: str = "/ping/", **headers: str) -> Any:
    return Client().get(path, HTTP_HOST=host, **headers)


@pytest.mark.parametrize(
    "host",
    [
        "a" * 10_000 + ".test.com",
        "x" * 64 + ".test.com",
        "a..test.com",
        "test.com:99999",
        "test.com:" + "1" * 5000,
        "test.com:abc",
    ],
)
def test_host_no_domain_name_can_be_is_400_with_one_line_log(
    host: str, caplog: pytest.LogCaptureFixture
) -> None:
    hosts.clear_hosts()
    with caplog.at_level(logging.WARNING, logger="django.security.DisallowedHost"):
        response = get(host)
    assert response.status_code == 400
    records = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert len(records[0].getMessage()) < 300  # the host is shortened in the message
    assert hosts.remembered_hosts() == 0
    assert cache.stats()["entries"] == 0


def test_trailing_dot_routes_like_the_host_without_it() -> None:
    assert get("test.com.").content == b"www"
    assert get("TEST.com.:8000").content == b"www"
    assert get("blog.test.com.").content == b"blog"


def test_unknown_hosts_are_404_and_cached_nowhere() -> None:
    for i in range(300):
        assert get(f"unknown-{i}-{'x' * 50}.test.com").status_code == 404
    assert cache.stats()["entries"] == 0
    assert cache.stats()["bytes"] == 0


def test_known_hosts_fill_the_cache_only_up_to_its_byte_bound(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    tenant = make_tenant()
    label = "h" * 55
    names = [f"{i}-{label}.{label}.{label}.test.com" for i in range(400)]
    Domain.objects.bulk_create([Domain(tenant=tenant, domain=name) for name in names])
    cache.clear_local()
    limit = 100_000
    with override_settings(PGSCHEMAS_ROUTING_CACHE_MAX_BYTES=limit):
        for name in names:
            assert get(name).content == tenant.schema_name.encode()
            assert cache.stats()["bytes"] <= limit
        stats = cache.stats()
    print(f"\n[cache] 400 known ~200-character hosts, {limit} bytes allowed: {stats}")
    assert 0 < stats["entries"] < 400
    # The most recent hosts are the ones kept: they are served without a query.
    assert cache.get(("host", names[-1]), cache.current_version()) is not cache.MISS


def test_default_byte_bound_holds_many_entries() -> None:
    size = cache.entry_size(("host", "x" * 253), [("", tuple(range(10)), None)])
    assert size * 10_000 > 16 * 1024 * 1024 > size * 1000


def test_byte_bound_setting_is_validated() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from pgschemas.routing import conf

    for bad in (0, -1, "16M", True, 1.5):
        with (
            override_settings(PGSCHEMAS_ROUTING_CACHE_MAX_BYTES=bad),
            pytest.raises(ImproperlyConfigured, match="PGSCHEMAS_ROUTING_CACHE_MAX_BYTES"),
        ):
            conf.cache_max_bytes()


def test_header_values_no_tenant_can_have_are_404_without_caching() -> None:
    with override_settings(
        MIDDLEWARE=["pgschemas.routing.middleware.HeadersRoutingMiddleware"],
    ):
        for value in ("v" * 10_000, "bad\x00value"):
            assert get("test.com", HTTP_TENANT=value).status_code == 404
        assert get("test.com", HTTP_TENANT="blog").content == b"blog"
    assert cache.stats()["entries"] == 0


@pytest.mark.parametrize("folder", [".", "..", "a/b", "a b", "%2e%2e", "ü"])
def test_folders_that_are_not_one_plain_path_segment_are_refused(
    folder: str, make_tenant: Any
) -> None:
    from django.core.exceptions import ValidationError

    from tests.shared_app.models import Domain

    tenant = make_tenant()
    with pytest.raises(ValidationError, match="Invalid folder"):
        Domain(tenant=tenant, domain="folders.test.com", folder=folder).full_clean()
    with pytest.raises(ValidationError, match="Invalid folder"):
        Domain.objects.create(tenant=tenant, domain="folders.test.com", folder=folder)
    assert not Domain.objects.filter(domain="folders.test.com").exists()
