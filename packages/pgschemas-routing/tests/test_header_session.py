"""Header and session routing, and stacked routing middlewares."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from pgschemas.core.activation import get_current_schema
from pgschemas.routing.info import HeadersInfo, SessionInfo

pytestmark = pytest.mark.django_db

SESSION = "django.contrib.sessions.middleware.SessionMiddleware"
HEADERS = "pgschemas.routing.middleware.HeadersRoutingMiddleware"
SESSIONS = "pgschemas.routing.middleware.SessionRoutingMiddleware"
DOMAINS = "pgschemas.routing.middleware.DomainRoutingMiddleware"


@override_settings(MIDDLEWARE=[HEADERS])
def test_header_routing(make_tenant: Any) -> None:
    tenant = make_tenant(items=("h",))
    client = Client()
    data = client.get("/whoami/", HTTP_TENANT="blog").json()
    assert (data["schema"], data["urlconf"], data["mechanism"]) == ("blog", "blog", "header")
    data = client.get("/whoami/", HTTP_TENANT=tenant.schema_name).json()
    assert (data["schema"], data["urlconf"], data["domain"]) == (tenant.schema_name, "tenant", "")
    assert client.get("/items/", HTTP_TENANT=str(tenant.pk)).json() == {
        "schema": tenant.schema_name,
        "items": ["h"],
    }
    # No header: not routed (ROOT_URLCONF, public). Unknown value: 404.
    data = client.get("/whoami/").json()
    assert (data["schema"], data["urlconf"], data["tenant"]) == ("public", "public", None)
    assert client.get("/whoami/", HTTP_TENANT="nobody").status_code == 404
    assert client.get("/whoami/", HTTP_TENANT="99999999999999999999999").status_code == 404
    assert get_current_schema().schema_name == "public"


@override_settings(MIDDLEWARE=[HEADERS], PGSCHEMAS_TENANT_HEADER="")
def test_an_empty_header_setting_is_refused_with_its_value() -> None:
    with pytest.raises(ImproperlyConfigured, match=r"PGSCHEMAS_TENANT_HEADER.*set to ''"):
        Client().get("/whoami/", HTTP_TENANT="www")


def test_header_and_session_default_to_tenant_and_name_static_tenants_by_key(
    settings: Any, make_tenant: Any
) -> None:
    settings.MIDDLEWARE = [SESSION, HEADERS, SESSIONS]
    del settings.PGSCHEMAS_TENANT_HEADER
    del settings.PGSCHEMAS_TENANT_SESSION_KEY
    tenant = make_tenant()
    client = Client()
    by_value = client.get("/whoami/", HTTP_TENANT="blog-header").wsgi_request.tenant
    by_key = client.get("/whoami/", HTTP_TENANT="blog").wsgi_request.tenant
    assert (by_value.schema_name, by_key.schema_name) == ("blog", "blog")
    assert by_key.routing == HeadersInfo(reference="blog")
    dynamic = client.get("/whoami/", HTTP_TENANT=tenant.schema_name).wsgi_request.tenant
    assert dynamic.routing == HeadersInfo(reference=tenant.schema_name)
    session = client.session
    for value in ("blog-session", "blog"):
        session["tenant"] = value
        session.save()
        routed = client.get("/whoami/").wsgi_request.tenant
        assert (routed.schema_name, routed.routing) == ("blog", SessionInfo(reference=value))
    assert str(routed.routing) == "Session: blog"


@override_settings(MIDDLEWARE=[SESSION, SESSIONS])
def test_session_routing(make_tenant: Any) -> None:
    tenant = make_tenant(items=("s",))
    client = Client()
    assert client.get("/whoami/").json()["schema"] == "public"
    session = client.session
    session["tenant"] = "www"
    session.save()
    data = client.get("/whoami/").json()
    assert (data["schema"], data["urlconf"], data["mechanism"]) == ("www", "www", "session")
    session["tenant"] = tenant.pk
    session.save()
    assert client.get("/items/").json()["items"] == ["s"]
    # A stale value (tenant gone, typo) leaves the request unrouted rather than locked out.
    session["tenant"] = "deleted_tenant"
    session.save()
    assert client.get("/whoami/").json()["schema"] == "public"


@override_settings(MIDDLEWARE=[SESSIONS])
def test_session_routing_needs_session_middleware() -> None:
    with pytest.raises(ImproperlyConfigured, match="SessionMiddleware"):
        Client().get("/whoami/")


@override_settings(MIDDLEWARE=[SESSION, HEADERS, SESSIONS, DOMAINS])
def test_stacked_first_routing_middleware_wins(make_tenant: Any) -> None:
    by_domain = make_tenant(domains=("t1.test.com",))
    by_header = make_tenant()
    client = Client()
    session = client.session
    session["tenant"] = "blog"
    session.save()
    # Header first: it wins over the session and the domain.
    data = client.get("/whoami/", HTTP_HOST="t1.test.com", HTTP_TENANT=by_header.schema_name).json()
    assert (data["schema"], data["tenant"], data["urlconf"]) == (
        by_header.schema_name,
        by_header.schema_name,
        "tenant",
    )
    assert data["mechanism"] == "header"
    # No header: the session routes.
    data = client.get("/whoami/", HTTP_HOST="t1.test.com").json()
    assert (data["schema"], data["tenant"], data["urlconf"]) == ("blog", "blog", "blog")
    # Neither: the domain routes.
    del session["tenant"]
    session.save()
    data = client.get("/whoami/", HTTP_HOST="t1.test.com").json()
    assert (data["schema"], data["tenant"]) == (by_domain.schema_name, by_domain.schema_name)
    assert data["mechanism"] == "domain"
    # Nothing routes: the domain middleware, last, answers 404.
    assert client.get("/whoami/", HTTP_HOST="nobody.test.com").status_code == 404
    assert get_current_schema().schema_name == "public"


@override_settings(MIDDLEWARE=[SESSION, DOMAINS, HEADERS])
def test_stacked_domain_first_ignores_header(make_tenant: Any) -> None:
    by_domain = make_tenant(domains=("shared.test.com/f",))
    other = make_tenant()
    data = (
        Client()
        .get("/f/whoami/", HTTP_HOST="shared.test.com", HTTP_TENANT=other.schema_name)
        .json()
    )
    assert (data["schema"], data["tenant"], data["reverse"]) == (
        by_domain.schema_name,
        by_domain.schema_name,
        "/f/whoami/",
    )
