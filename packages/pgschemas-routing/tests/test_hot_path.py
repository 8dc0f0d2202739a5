"""What the per-request fast paths must keep: one message to the server per query, a fresh
tenant instance per request built as ``from_db`` would, and the host settings honoured."""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test import Client, override_settings
from psycopg import pq

from pgschemas.routing.info import DomainInfo

pytestmark = pytest.mark.django_db


def get(host: str, path: str) -> Any:
    return Client().get(path, HTTP_HOST=host)


def test_switching_tenants_sends_one_message_per_query(make_tenant: Any) -> None:
    targets = []
    for i in range(20):
        tenant = make_tenant(domains=(f"rt{i}.test.com",), items=(f"item{i}",))
        targets.append((f"rt{i}.test.com", tenant.schema_name, f"item{i}"))
    client = Client()
    for host, _, _ in targets:  # warm up the routing cache
        client.get("/items/", HTTP_HOST=host)
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile() as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            for n in range(200):
                host, schema, item = targets[n % 20]
                assert client.get("/items/", HTTP_HOST=host).json() == {
                    "schema": schema,
                    "items": [item],
                }
        finally:
            pgconn.untrace()
        trace.seek(0)
        sent = [
            line.split("\t")[3].strip()
            for line in trace.read().decode().splitlines()
            if line.startswith("F\t") and line.split("\t")[2] in ("Query", "Parse")
        ]
    # One message per request: the view's query, carrying its tenant's search path.
    assert len(sent) == 200
    for n, text in enumerate(sent):
        schema = targets[n % 20][1]
        assert text.startswith(
            "\"SELECT pg_catalog.set_config('search_path', "
            f"pg_catalog.quote_ident('{schema}') || ', ' || pg_catalog.quote_ident('public'), false)"
        )
        assert '; SELECT "tenant_app_item"' in text


def test_each_request_gets_its_own_tenant_instance(make_tenant: Any) -> None:
    from tests.shared_app.models import Tenant

    tenant = make_tenant(domains=("own.test.com",))
    Tenant.objects.filter(pk=tenant.pk).update(name="Own")
    first = get("own.test.com", "/whoami/").wsgi_request.tenant
    second = get("own.test.com", "/whoami/").wsgi_request.tenant
    assert first is not second
    assert type(first) is Tenant
    assert (first.pk, first.schema_name, first.name) == (tenant.pk, tenant.schema_name, "Own")
    assert (first._state.adding, first._state.db) == (False, "default")
    assert (first.domain, first.folder, first.routing.mechanism) == ("own.test.com", "", "domain")
    assert first.routing == DomainInfo(domain="own.test.com")
    first.name = "changed in one request"
    first.routing = DomainInfo("elsewhere.test.com")
    third = get("own.test.com", "/whoami/").wsgi_request.tenant
    assert (second.name, third.name, third.domain) == ("Own", "Own", "own.test.com")
    # A real model instance: it compares, reloads and saves like any other.
    assert third == Tenant.objects.get(pk=tenant.pk)
    third.name = "Saved"
    third.save()
    third.refresh_from_db()
    assert Tenant.objects.get(pk=tenant.pk).name == third.name == "Saved"


def test_post_init_receivers_see_routed_tenants(make_tenant: Any) -> None:
    from tests.shared_app.models import Tenant

    make_tenant(domains=("signal.test.com",))
    get("signal.test.com", "/whoami/")  # warm
    seen: list[Any] = []

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Tenant)
    try:
        routed = get("signal.test.com", "/whoami/").wsgi_request.tenant
    finally:
        post_init.disconnect(receiver, sender=Tenant)
    assert any(instance is routed for instance in seen)


def test_allowed_hosts_changes_apply_to_hosts_seen_before(make_tenant: Any) -> None:
    make_tenant(domains=("seen.test.com",))
    assert get("seen.test.com", "/whoami/").status_code == 200
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        assert get("seen.test.com", "/whoami/").status_code == 400
    assert get("seen.test.com", "/whoami/").status_code == 200
    assert get("seen.test.com.evil.org", "/whoami/").status_code == 400
