from __future__ import annotations

import logging
from typing import Any

import pytest

from pgschemas.core import Schema, ddl
from pgschemas.core.log import SchemaContextFilter
from pgschemas.core.migration import CachedMigrationLoader, migrate_schema
from pgschemas.core.routers import TenantAppsRouter
from pgschemas.core.routing_info import DomainInfo, HeadersInfo, SessionInfo
from pgschemas.core.schema import get_static_schema


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("schema", "allowed", "refused"),
    [
        (Schema("public"), {"shared_app", "contenttypes", "auth"}, {"tenant_app", "blog_app"}),
        (Schema("blog"), {"blog_app"}, {"tenant_app", "shared_app", "auth"}),
        (Schema("anyone", is_dynamic=True), {"tenant_app", "auth"}, {"blog_app", "shared_app"}),
        (Schema("unknown_static"), set(), {"tenant_app", "blog_app", "shared_app"}),
    ],
)
def test_router_allows_apps_of_the_active_schema(
    schema: Schema, allowed: set[str], refused: set[str]
) -> None:
    router = TenantAppsRouter()
    with schema:
        for label in allowed:
            assert router.allow_migrate("default", label) is True
        for label in refused:
            assert router.allow_migrate("default", label) is False


@pytest.mark.django_db
def test_router_leaves_non_apps_to_django(settings: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    assert TenantAppsRouter().allow_migrate("default", "django_cache") is None
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "pgschemas_cache_table",
        }
    }
    call_command("createcachetable", stdout=StringIO())
    assert "pgschemas_cache_table" in connection.introspection.table_names()


@pytest.mark.django_db
def test_ddl_helpers_use_exact_names() -> None:
    ddl.create_schema("ddl_one")
    assert ddl.schema_exists("ddl_one")
    assert not ddl.schema_exists("DDL_ONE")
    assert "ddl_one" in ddl.list_schemas()
    assert all(not name.startswith("pg_") for name in ddl.list_schemas())
    ddl.rename_schema("ddl_one", "ddl_two")
    assert ddl.schema_exists("ddl_two") and not ddl.schema_exists("ddl_one")
    ddl.drop_schema("ddl_two")
    assert not ddl.schema_exists("ddl_two")


@pytest.mark.django_db
def test_migration_graph_is_built_once(make_tenant: Any) -> None:
    CachedMigrationLoader.clear_cache()
    make_tenant()
    make_tenant()
    migrate_schema(get_static_schema("blog"))
    assert len(CachedMigrationLoader._graphs) == 1


@pytest.mark.django_db
def test_migrating_an_up_to_date_schema_is_a_no_op() -> None:
    assert migrate_schema(get_static_schema("blog")) == []


def test_log_filter_adds_schema_fields() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    SchemaContextFilter().filter(record)
    assert (record.schema_name, record.domain_url, record.folder) == ("public", "", "")
    with Schema("blog").routed("blog.test.com", "sub"):
        SchemaContextFilter().filter(record)
    assert (record.schema_name, record.domain_url, record.folder) == (
        "blog",
        "blog.test.com",
        "sub",
    )
    formatted = logging.Formatter("[%(schema_name)s:%(domain_url)s/%(folder)s] %(message)s").format(
        record
    )
    assert formatted == "[blog:blog.test.com/sub] hello"


def test_log_filter_adds_the_session_or_header_reference() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    for routing in (SessionInfo("acme"), HeadersInfo("acme")):
        with Schema("blog", routing=routing):
            SchemaContextFilter().filter(record)
        assert (record.schema_name, record.reference, record.domain) == ("blog", "acme", "")
    with Schema("blog").routed("blog.test.com"):
        SchemaContextFilter().filter(record)
    assert record.reference == ""


#: A format using every attribute SchemaContextFilter documents.
EVERY_ATTRIBUTE = "%(schema_name)s|%(domain)s|%(domain_url)s|%(folder)s|%(reference)s|%(message)s"


@pytest.fixture
def schema_log() -> Any:
    """A logger configured the way the docs show it, writing to a buffer."""
    import io
    import logging.config

    buffer = io.StringIO()
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "filters": {"schema": {"()": "pgschemas.core.log.SchemaContextFilter"}},
            "formatters": {"schema": {"format": EVERY_ATTRIBUTE}},
            "handlers": {
                "buffer": {
                    "class": "logging.StreamHandler",
                    "stream": buffer,
                    "filters": ["schema"],
                    "formatter": "schema",
                }
            },
            "loggers": {"pgschemas.test.log": {"handlers": ["buffer"], "level": "INFO"}},
        }
    )
    logger = logging.getLogger("pgschemas.test.log")
    logger.propagate = False
    yield logger, buffer
    logger.handlers.clear()


@pytest.mark.django_db
def test_log_format_with_every_documented_attribute(schema_log: Any, make_tenant: Any) -> None:
    logger, buffer = schema_log  # a record that fails to format is dropped by logging
    logger.info("in public")
    with get_static_schema("blog"):
        logger.info("in a static tenant, no routing")
    tenant = make_tenant("acme")
    with tenant:
        logger.info("in a dynamic tenant, no routing")
    tenant.routing = DomainInfo("acme.test.com", "shop")  # as routing sets it
    with tenant:
        logger.info("in a routed dynamic tenant")
    with Schema("blog").routed("blog.test.com"):
        logger.info("in a routed static tenant")
    assert buffer.getvalue().splitlines() == [
        "public|||||in public",
        "blog|||||in a static tenant, no routing",
        "acme|||||in a dynamic tenant, no routing",
        "acme|acme.test.com|acme.test.com|shop||in a routed dynamic tenant",
        "blog|blog.test.com|blog.test.com|||in a routed static tenant",
    ]
