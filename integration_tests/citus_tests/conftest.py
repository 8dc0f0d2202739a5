"""The Citus suite runs on the cluster's own database, committed, like production.

pytest-django's test-database machinery (create ``test_<name>``, flush after each test)
does not fit a cluster whose database must have the citus extension on every node, so
the session unblocks database access once, migrates everything, and every test cleans
up the tenants it creates.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

_counter = itertools.count()


def pytest_report_header() -> list[str]:
    return [
        f"citus: coordinator {os.environ.get('DATABASE_URL', '(DATABASE_URL unset)')}, "
        f"workers {os.environ.get('PGSCHEMAS_CITUS_WORKERS', '?')}"
    ]


@pytest.fixture(scope="session", autouse=True)
def cluster_database(django_db_blocker: Any) -> Iterator[None]:
    """Migrate public, the static tenants and the clone reference (+ spares) once."""
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
            if cursor.fetchone() is None:
                pytest.exit(
                    "DATABASE_URL is not a Citus coordinator: run `python3 scripts/citus test`",
                    returncode=2,
                )
        call_command("migrate", schemas=[":all:"], interactive=False, verbosity=0)
        call_command("createrefschema", verbosity=0)
        yield


def sql(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall()) if cursor.description else []


def node_of(schema_name: str) -> tuple[str, int]:
    """The worker holding a distributed schema's tables (``host``, ``port``)."""
    rows = sql(
        "SELECT DISTINCT s.nodename, s.nodeport FROM citus_shards s"
        " JOIN citus_schemas c ON c.colocation_id = s.colocation_id"
        " WHERE c.schema_name = %s::regnamespace",
        [schema_name],
    )
    assert len(rows) == 1, f"{schema_name} has tables on {rows}"
    return rows[0][0], rows[0][1]


def is_distributed_schema(schema_name: str) -> bool:
    return bool(
        sql("SELECT 1 FROM citus_schemas WHERE schema_name = to_regnamespace(%s)", [schema_name])
    )


def workers() -> list[tuple[str, int]]:
    return [
        (host, port)
        for host, port in sql(
            "SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 ORDER BY nodeport"
        )
    ]


@pytest.fixture
def tenants() -> Iterator[Callable[..., Any]]:
    """Committed dynamic tenants (with a domain ``<schema>.localhost``), dropped afterwards."""
    from shared_public.models import Domain, Tenant

    created: list[Tenant] = []

    def make(schema_name: str | None = None, *, folder: str = "", **fields: Any) -> Tenant:
        name = schema_name or f"ct_{os.getpid()}_{next(_counter)}"
        tenant = Tenant.objects.create(schema_name=name, **fields)
        created.append(tenant)
        host = "tenants.localhost" if folder else f"{name.replace('_', '-')}.localhost"
        Domain.objects.create(tenant=tenant, domain=host, folder=folder)
        return tenant

    yield make
    for tenant in created:
        tenant.delete(force_drop=True)
