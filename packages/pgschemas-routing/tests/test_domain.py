"""Domain routing through Django's test client: static, dynamic, folders, fallback, 404s,
redirects, error handlers and streaming."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings

from pgschemas.core.activation import get_current_schema

pytestmark = pytest.mark.django_db


def get(host: str, path: str, **extra: Any) -> Any:
    return Client().get(path, HTTP_HOST=host, **extra)


def test_static_tenant_by_domain() -> None:
    for host in ("test.com", "www.test.com", "WWW.Test.com:8000"):
        data = get(host, "/whoami/").json()
        assert data["urlconf"] == "www"
        assert data["schema"] == data["tenant"] == "www"
        assert data["domain"] == host.split(":")[0].lower()
        assert data["folder"] == ""
        assert data["reverse"] == data["url_tag"] == "/whoami/"
    assert get_current_schema().schema_name == "public"


def test_assigning_request_tenant_routing_never_changes_the_next_request() -> None:
    from pgschemas.core.routing_info import DomainInfo
    from pgschemas.routing.lookup import route_for_domain

    route = route_for_domain("blog.test.com", "/")
    assert route is not None
    first = route.tenant()
    first.routing = DomainInfo(domain="elsewhere.example.com", folder="x")  # a view may do this
    second = route.tenant()
    assert second is not first
    assert (second.domain, second.folder) == ("blog.test.com", "")
    assert get("blog.test.com", "/whoami/").json()["domain"] == "blog.test.com"


def test_static_tenant_with_folder_domain() -> None:
    data = get("static.test.com", "/blog/whoami/").json()
    assert (data["urlconf"], data["schema"], data["folder"]) == ("blog", "blog", "blog")
    assert data["reverse"] == data["url_tag"] == "/blog/whoami/"
    assert data["path_info"] == "/blog/whoami/"
    # The bare host is no tenant of its own.
    assert get("static.test.com", "/whoami/").status_code == 404


def test_dynamic_tenant_by_domain(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("t1.test.com",), items=("apple",))
    data = get("t1.test.com", "/whoami/").json()
    assert data["urlconf"] == "tenant"
    assert data["schema"] == data["tenant"] == tenant.schema_name
    assert (data["domain"], data["folder"], data["mechanism"]) == ("t1.test.com", "", "domain")
    assert get("t1.test.com", "/items/").json()["items"] == ["apple"]


def test_dynamic_tenant_by_folder(make_tenant: Any) -> None:
    one = make_tenant(domains=("shared.test.com/one",), items=("one-item",))
    two = make_tenant(domains=("shared.test.com/two",), items=("two-item",))
    data = get("shared.test.com", "/one/whoami/").json()
    assert (data["schema"], data["folder"]) == (one.schema_name, "one")
    assert data["reverse"] == data["url_tag"] == "/one/whoami/"
    data = get("shared.test.com", "/two/whoami/").json()
    assert (data["schema"], data["folder"]) == (two.schema_name, "two")
    assert data["reverse"] == "/two/whoami/"
    assert get("shared.test.com", "/two/items/").json()["items"] == ["two-item"]
    # No folder tenant and no bare-host tenant: 404.
    assert get("shared.test.com", "/three/whoami/").status_code == 404
    assert get("shared.test.com", "/whoami/").status_code == 404


def test_folder_beats_bare_host(make_tenant: Any) -> None:
    bare = make_tenant(domains=("mixed.test.com",))
    folder = make_tenant(domains=("mixed.test.com/sub",))
    assert get("mixed.test.com", "/sub/whoami/").json()["schema"] == folder.schema_name
    data = get("mixed.test.com", "/whoami/").json()
    assert (data["schema"], data["reverse"]) == (bare.schema_name, "/whoami/")
    # A first segment that is no folder falls back to the bare host.
    assert get("mixed.test.com", "/nope/").content.startswith(
        b"tenant-404:" + bare.schema_name.encode()
    )


def test_dynamic_folder_on_static_host(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("test.com/acme",))
    assert get("test.com", "/acme/whoami/").json()["schema"] == tenant.schema_name
    assert get("test.com", "/whoami/").json()["schema"] == "www"


def test_fallback_domain_single_domain_setup(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("fallback.test.com/client1",))
    data = get("fallback.test.com", "/client1/whoami/").json()
    assert (data["schema"], data["reverse"]) == (tenant.schema_name, "/client1/whoami/")
    data = get("fallback.test.com", "/whoami/").json()
    assert (data["schema"], data["urlconf"], data["mechanism"]) == ("blog", "blog", "fallback")
    assert data["domain"] == "fallback.test.com"
    assert get("fallback.test.com", "/anything/whoami/").status_code == 404


def test_unknown_host_is_404_with_public_urlconf() -> None:
    response = get("nobody.test.com", "/whoami/")
    assert response.status_code == 404
    assert response.content.startswith(b"public-404:public")


def test_disallowed_host_is_400() -> None:
    assert get("evil.example.org", "/whoami/").status_code == 400


def test_tenant_error_handlers_are_used(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("t1.test.com", "shared.test.com/f1"))
    response = get("t1.test.com", "/missing/")
    assert response.status_code == 404
    assert response.content.startswith(f"tenant-404:{tenant.schema_name}".encode())
    response = get("shared.test.com", "/f1/missing/")
    assert response.status_code == 404
    assert response.content.startswith(f"tenant-404:{tenant.schema_name}".encode())
    client = Client(raise_request_exception=False)
    response = client.get("/f1/boom/", HTTP_HOST="shared.test.com")
    assert response.status_code == 500
    assert response.content == f"tenant-500:{tenant.schema_name}".encode()
    response = client.get("/boom/", HTTP_HOST="blog.test.com")
    assert (response.status_code, response.content) == (500, b"blog-500:blog")
    assert get_current_schema().schema_name == "public"


def test_exception_resets_schema(make_tenant: Any) -> None:
    make_tenant(domains=("t1.test.com",))
    with pytest.raises(RuntimeError):
        Client().get("/boom/", HTTP_HOST="t1.test.com")
    assert get_current_schema().schema_name == "public"


def test_streaming_response_runs_in_tenant(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("shared.test.com/s1",), items=("x", "y"))
    response = get("shared.test.com", "/s1/stream/")
    assert get_current_schema().schema_name == "public"
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines() == [f"{tenant.schema_name}|/s1/whoami/|x,y"] * 3
    assert get_current_schema().schema_name == "public"


def test_redirect_to_primary_keeps_path_and_query(make_tenant: Any) -> None:
    from tests.shared_app.models import Domain

    tenant = make_tenant(domains=("primary.test.com/main",))
    Domain.objects.create(tenant=tenant, domain="old.test.com", redirect_to_primary=True)
    Domain.objects.create(
        tenant=tenant, domain="old.test.com", folder="legacy", redirect_to_primary=True
    )
    Domain.objects.create(tenant=tenant, domain="alias.test.com")  # no redirect
    response = get("old.test.com", "/items/", QUERY_STRING="a=1&b=%C3%A9")
    assert response.status_code == 301
    assert response["Location"] == "http://primary.test.com/main/items/?a=1&b=%C3%A9"
    response = get("old.test.com:8000", "/legacy/whoami/")
    assert response["Location"] == "http://primary.test.com:8000/main/whoami/"
    assert get("alias.test.com", "/whoami/").json()["schema"] == tenant.schema_name
    assert get("primary.test.com", "/main/whoami/").status_code == 200


def test_a_redirecting_row_does_not_redirect_the_other_folders_of_its_tenant(
    make_tenant: Any,
) -> None:
    from tests.shared_app.models import Domain

    tenant = make_tenant(domains=("tenants.test.com/acme",), items=("served",))
    Domain.objects.create(
        tenant=tenant, domain="tenants.test.com", folder="acme-old", redirect_to_primary=True
    )
    served = get("tenants.test.com", "/acme/items/")
    assert served.status_code == 200
    assert served.json() == {"schema": tenant.schema_name, "items": ["served"]}
    moved = get("tenants.test.com", "/acme-old/items/")
    assert (moved.status_code, moved["Location"]) == (301, "http://tenants.test.com/acme/items/")


def test_www_in_front_of_a_host_routes_like_the_host(make_tenant: Any) -> None:
    tenant = make_tenant(domains=("shop.test.com",))
    data = get("www.shop.test.com", "/whoami/").json()
    assert (data["schema"], data["domain"]) == (tenant.schema_name, "shop.test.com")
    # A static tenant listing the www host itself keeps it (settings: www.test.com).
    assert get("www.test.com", "/whoami/").json()["domain"] == "www.test.com"


def test_a_request_object_without_path_info_is_routed_by_its_path(make_tenant: Any) -> None:
    """Request-like objects that carry only ``path`` (as django-pgschemas 1.x read it) are
    routed by it; Django's own requests always use ``path_info``."""
    from django.test import RequestFactory

    from pgschemas.routing.middleware import DomainRoutingMiddleware

    folder = make_tenant(domains=("plain.test.com/sub",))
    request = RequestFactory().get("/sub/whoami/", HTTP_HOST="plain.test.com")
    del request.path_info
    seen: list[str] = []

    def view(req: Any) -> Any:
        seen.append(get_current_schema().schema_name)
        return "response"

    assert DomainRoutingMiddleware(view)(request) == "response"
    assert seen == [folder.schema_name]
    assert request.tenant.folder == "sub"


def test_tenants_edited_between_requests_are_seen_by_the_next(settings: Any) -> None:
    """The configuration is read once per request (pinned): changes apply from the next."""
    assert get("news.test.com", "/whoami/").status_code == 404
    domains = settings.TENANTS["blog"]["DOMAINS"]
    domains.append("news.test.com")  # in place: no setting_changed signal
    try:
        assert get("news.test.com", "/whoami/").json()["schema"] == "blog"
    finally:
        domains.remove("news.test.com")
    assert get("news.test.com", "/whoami/").status_code == 404
    tenants = {**settings.TENANTS, "blog": {**settings.TENANTS["blog"], "DOMAINS": ["n.test.com"]}}
    with override_settings(TENANTS=tenants):
        assert get("n.test.com", "/whoami/").json()["schema"] == "blog"
        assert get("blog.test.com", "/whoami/").status_code == 404
