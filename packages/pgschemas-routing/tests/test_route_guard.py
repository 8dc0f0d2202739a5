"""A cached route is checked by the request's first statement (no query of its own).

"Another process" changes the rows here with raw SQL: no signal reaches this process's
cache, exactly as for a change made by another server process or in ``psql``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import Client, override_settings
from psycopg import sql

from pgschemas.routing import cache
from pgschemas.routing.lookup import route_for_domain

pytestmark = pytest.mark.django_db(transaction=True)


def behind_our_back(statement: str, *params: Any) -> None:
    """Change rows the way another process would: no model signal, no cache invalidation."""
    from tests.shared_app.models import Domain, Tenant

    query = sql.SQL(statement).format(
        domains=sql.Identifier(Domain._meta.db_table),
        tenants=sql.Identifier(Tenant._meta.db_table),
    )
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(connection.connection), params)


def with_names(statement: str, **names: str) -> None:
    """Run DDL naming schemas and tables (identifiers through psycopg's sql module)."""
    query = sql.SQL(statement).format(**{key: sql.Identifier(v) for key, v in names.items()})
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(connection.connection))


def get(host: str, path: str = "/items/", **extra: Any) -> Any:
    return Client().get(path, HTTP_HOST=host, **extra)


def test_the_cached_route_of_a_tenant_deleted_elsewhere_is_404(committed_tenant: Any) -> None:
    tenant = committed_tenant(domains=("gone.test.com",), items=("its-item",))
    assert get("gone.test.com").json() == {"schema": tenant.schema_name, "items": ["its-item"]}
    behind_our_back("DELETE FROM {domains} WHERE tenant_id = %s", tenant.pk)
    behind_our_back("DELETE FROM {tenants} WHERE id = %s", tenant.pk)  # the schema stays
    response = get("gone.test.com")
    assert response.status_code == 404
    assert b"its-item" not in response.content


def test_a_domain_moved_elsewhere_sends_the_client_to_ask_again(committed_tenant: Any) -> None:
    committed_tenant(domains=("moving.test.com",), items=("first-item",))
    second = committed_tenant(domains=("second.test.com",), items=("second-item",))
    assert get("moving.test.com").json()["items"] == ["first-item"]
    behind_our_back(
        "UPDATE {domains} SET tenant_id = %s, is_primary = false WHERE domain = %s",
        second.pk,
        "moving.test.com",
    )
    response = Client().post("/items/?page=2", {"a": "b"}, HTTP_HOST="moving.test.com")
    assert response.status_code == 307  # keeps the method and body
    assert response["Location"] == "/items/?page=2"
    assert get("moving.test.com").json() == {"schema": second.schema_name, "items": ["second-item"]}


def test_a_warm_request_whose_route_holds_is_unchanged(committed_tenant: Any) -> None:
    tenant = committed_tenant(domains=("steady.test.com", "steady.test.com/shop"), items=("x",))
    for path in ("/items/", "/shop/items/", "/items/"):
        assert get("steady.test.com", path).json() == {"schema": tenant.schema_name, "items": ["x"]}


def test_header_routes_are_guarded_too(committed_tenant: Any) -> None:
    tenant = committed_tenant(items=("by-header",))
    middleware = ["pgschemas.routing.middleware.HeadersRoutingMiddleware"]
    with override_settings(MIDDLEWARE=middleware):
        assert get("x.test.com", HTTP_TENANT=tenant.schema_name).json()["items"] == ["by-header"]
        behind_our_back("DELETE FROM {tenants} WHERE id = %s", tenant.pk)
        assert get("x.test.com", HTTP_TENANT=tenant.schema_name).status_code == 404


def test_the_off_switch_serves_cached_routes_until_they_expire(committed_tenant: Any) -> None:
    tenant = committed_tenant(domains=("unguarded.test.com",), items=("stale",))
    with override_settings(PGSCHEMAS_ROUTING_GUARD=False):
        cache.clear_local()
        assert get("unguarded.test.com").json()["items"] == ["stale"]
        route = route_for_domain("unguarded.test.com", "/")
        assert route.guard is None
        behind_our_back("DELETE FROM {domains} WHERE tenant_id = %s", tenant.pk)
        assert get("unguarded.test.com").status_code == 200  # what the setting trades away


def test_a_bad_guard_setting_names_the_value() -> None:
    with override_settings(PGSCHEMAS_ROUTING_GUARD="yes"):
        cache.clear_local()
        with pytest.raises(ImproperlyConfigured, match="PGSCHEMAS_ROUTING_GUARD must be True"):
            from pgschemas.routing.conf import route_guard

            route_guard()


@pytest.mark.django_db(transaction=False)
def test_inside_a_request_wide_transaction_the_client_is_asked_again(make_tenant: Any) -> None:
    # The test's transaction stands for a middleware wrapping the request in one: after the
    # refusal nothing more can be read in it, so the route is left to the next request.
    tenant = make_tenant(domains=("wrapped.test.com",), items=("w",))
    assert get("wrapped.test.com").json()["items"] == ["w"]
    behind_our_back("DELETE FROM {domains} WHERE tenant_id = %s", tenant.pk)
    response = get("wrapped.test.com")
    assert (response.status_code, response["Location"]) == (307, "/items/")


def test_a_schema_replaced_under_the_same_name_is_not_served(committed_tenant: Any) -> None:
    # Another process renames the tenant's schema away and creates a new schema under the
    # old name: the name still exists, the domain row is unchanged, only the schema differs.
    from tests.tenant_app.models import Item

    tenant = committed_tenant(domains=("replaced.test.com",), items=("original",))
    name, moved = tenant.schema_name, f"{tenant.schema_name}_moved"
    names = {"name": name, "moved": moved, "items": Item._meta.db_table}
    assert get("replaced.test.com").json()["items"] == ["original"]
    try:
        with_names("ALTER SCHEMA {name} RENAME TO {moved}", **names)
        with_names("CREATE SCHEMA {name}", **names)
        with_names("CREATE TABLE {name}.{items} (LIKE {moved}.{items} INCLUDING ALL)", **names)
        with_names("INSERT INTO {name}.{items} (name) VALUES ('impostor')", **names)
        behind_our_back("UPDATE {tenants} SET schema_name = %s WHERE id = %s", moved, tenant.pk)
        response = get("replaced.test.com")
        assert response.status_code == 307
        assert b"impostor" not in response.content
        assert get("replaced.test.com").json() == {"schema": moved, "items": ["original"]}
    finally:
        with_names("DROP SCHEMA IF EXISTS {name} CASCADE", **names)
        with_names("ALTER SCHEMA {moved} RENAME TO {name}", **names)
        behind_our_back("UPDATE {tenants} SET schema_name = %s WHERE id = %s", name, tenant.pk)
        cache.clear_local()


def _relations_and_joins(plan: dict[str, Any]) -> tuple[set[str], set[str]]:
    relations = {plan["Relation Name"]} if "Relation Name" in plan else set()
    joins = (
        {plan["Node Type"]} if "Join" in plan["Node Type"] or "Loop" in plan["Node Type"] else set()
    )
    for child in plan.get("Plans", ()):
        more_relations, more_joins = _relations_and_joins(child)
        relations |= more_relations
        joins |= more_joins
    return relations, joins


def test_a_domain_guard_reads_the_domain_table_alone_without_a_join(
    committed_tenant: Any,
) -> None:
    # What makes the check cheap to plan (see docs/benchmarks.md): one table, by its key.
    from tests.shared_app.models import Domain

    committed_tenant(domains=("cheap.test.com",))
    route = route_for_domain("cheap.test.com", "/")
    assert route is not None and route.guard is not None
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT {route.guard.check}")
        plan = cursor.fetchone()[0][0]["Plan"]
    relations, joins = _relations_and_joins(plan)
    assert relations == {Domain._meta.db_table}
    assert joins == set()
    assert "Index" in str(plan)  # by primary key, not a scan of every domain
