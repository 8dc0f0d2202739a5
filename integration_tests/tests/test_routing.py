"""pgschemas-routing in the sandbox: the real middleware stack (routing before sessions,
auth, messages) serving static and dynamic tenants by domain and folder."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from pgschemas.core import get_current_schema
from pgschemas.routing import cache
from pgschemas.routing.middleware import routed
from pgschemas.routing.urlconf import folder_urlconf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_routing_cache() -> None:
    cache.clear_local()


def whoami(host: str, path: str = "/whoami/") -> str:
    response = Client().get(path, HTTP_HOST=host)
    assert response.status_code == 200, response.content
    return response.content.decode()


def test_static_tenants_by_domain() -> None:
    assert whoami("localhost") == "tenant=www schema=www db=www"
    assert whoami("blog.localhost:8000") == "tenant=blog schema=blog db=blog"
    assert get_current_schema().schema_name == "public"


def test_dynamic_tenants_by_domain_and_folder(make_tenant: Any) -> None:
    from shared_public.models import Domain

    acme, globex = make_tenant("acme"), make_tenant("globex")
    Domain.objects.create(tenant=acme, domain="acme.localhost")
    Domain.objects.create(tenant=globex, domain="tenants.localhost", folder="globex")
    assert whoami("acme.localhost") == "tenant=acme schema=acme db=acme"
    assert whoami("tenants.localhost", "/globex/whoami/") == "tenant=globex schema=globex db=globex"
    assert Client().get("/whoami/", HTTP_HOST="tenants.localhost").status_code == 404
    assert Client().get("/whoami/", HTTP_HOST="nobody.localhost").status_code == 404


def test_sessions_and_pages_live_in_the_tenant_schema(make_tenant: Any) -> None:
    from shared_public.models import Domain

    acme = make_tenant("acme")
    Domain.objects.create(tenant=acme, domain="tenants.localhost", folder="acme")
    client = Client()
    response = client.post("/acme/", {"text": "hello"}, HTTP_HOST="tenants.localhost")
    assert (response.status_code, response["Location"]) == (302, "/acme/")
    page = client.get("/acme/", HTTP_HOST="tenants.localhost").content.decode()
    assert "hello" in page


def test_reverse_in_folder_urlconf() -> None:
    with routed(get_current_schema(), folder_urlconf("tenant_app.urls", "shop")):
        assert reverse("whoami") == "/shop/whoami/"
    assert reverse("whoami") == "/whoami/"
