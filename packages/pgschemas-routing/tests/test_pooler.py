"""Through a real PgBouncer in transaction pooling, no request ever sees another tenant.

With one or two server connections shared by every client, each transaction (and each
autocommit statement) lands on a server connection whose search path another client set.
20 tenants, requests spread over all of them from threads, asyncio tasks, a real ASGI
server (uvicorn) and a real WSGI server (gunicorn, threads): every answer must carry its
own tenant's schema (as the server reports it) and items, and none may be a 500.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.core.asgi import get_asgi_application
from django.test import Client

from pgschemas_devtools.pgbouncer import (
    PgBouncer,
    PgBouncerUnavailable,
    django_connections_through,
    find_pgbouncer,
    start_pgbouncer,
)
from tests.asgi import asgi_get
from tests.conftest import close_thread_connections
from tests.test_real_servers import SERVERS as HOSTILE_HOST_SERVERS
from tests.test_real_servers import http_get, running_server

TENANTS = 20

Target = tuple[str, str, str]  # host, schema, item


@pytest.fixture(params=[1, 2], ids=["pool-of-1", "pool-of-2"])
def pooled(request: Any) -> Iterator[PgBouncer]:
    """Every Django connection (all threads) goes through a fresh PgBouncer for the test."""
    try:
        find_pgbouncer()
    except PgBouncerUnavailable as error:
        print(f"\n[skip] {error}")
        pytest.skip(str(error))
    with (
        start_pgbouncer(os.environ["DATABASE_URL"], pool_size=request.param) as bouncer,
        django_connections_through(bouncer),
    ):
        yield bouncer


def require(server_name: str) -> None:
    """Skip, with the reason printed, where the server is not installed."""
    try:
        __import__(server_name)
    except ImportError:
        print(f"\n[skip] {server_name} is not installed (pip install {server_name})")
        pytest.skip(f"{server_name} is not installed")


def _world(committed_tenant: Any) -> list[Target]:
    return [
        (f"pool{i}.test.com", tenant.schema_name, f"pooled-{i}")
        for i in range(TENANTS)
        for tenant in [committed_tenant(domains=(f"pool{i}.test.com",), items=(f"pooled-{i}",))]
    ]


def _wrong(data: dict[str, Any], target: Target) -> list[str]:
    """What in one answer is not its own tenant's (empty: all of it is)."""
    _, schema, item = target
    problems = []
    if data["schema"] != schema:
        problems.append(f"activated {data['schema']}")
    problems += [f"server in {seen}" for seen in data["server"] if seen != schema]
    problems += [f"read {names}" for names in data["items"] if names != [item]]
    return problems


def _summary(answers: list[tuple[int, list[str]]]) -> tuple[int, int, Counter[str]]:
    errors = sum(1 for status, _ in answers if status != 200)
    wrong = Counter(problem for _, problems in answers for problem in problems)
    return errors, sum(1 for _, problems in answers if problems), wrong


@pytest.mark.django_db(transaction=True)
def test_threads_through_pgbouncer_see_only_their_tenant(
    committed_tenant: Any, pooled: PgBouncer
) -> None:
    targets = _world(committed_tenant)

    def worker(offset: int) -> list[tuple[int, list[str]]]:
        client = Client()
        answers = []
        try:
            for n in range(60):  # each thread walks over all tenants, from its own offset
                target = targets[(offset + n) % TENANTS]
                response = client.get("/pooled-items/", HTTP_HOST=target[0])
                problems = _wrong(response.json(), target) if response.status_code == 200 else []
                answers.append((response.status_code, problems))
            return answers
        finally:
            close_thread_connections()

    with ThreadPoolExecutor(8) as pool:
        answers = [answer for batch in pool.map(worker, range(0, 40, 5)) for answer in batch]
    errors, wrong, problems = _summary(answers)
    print(f"\n[pgbouncer] threads: {len(answers)} answers, {wrong} wrong")
    assert (len(answers), errors, wrong) == (480, 0, 0), problems.most_common(5)


@pytest.mark.django_db(transaction=True)
def test_asyncio_tasks_through_pgbouncer_see_only_their_tenant(
    committed_tenant: Any, pooled: PgBouncer
) -> None:
    targets = _world(committed_tenant)
    app = get_asgi_application()

    async def scenario() -> list[tuple[int, list[str]]]:
        in_flight = asyncio.Semaphore(16)

        async def one(target: Target) -> tuple[int, list[str]]:
            async with in_flight:
                response = await asgi_get(app, target[0], "/pooled-items/")
            problems = _wrong(response.json(), target) if response.status == 200 else []
            return response.status, problems

        return list(await asyncio.gather(*(one(targets[n % TENANTS]) for n in range(400))))

    try:
        answers = asyncio.run(scenario())
    finally:
        close_thread_connections()
    errors, wrong, problems = _summary(answers)
    assert (len(answers), errors, wrong) == (400, 0, 0), problems.most_common(5)


SERVERS = {
    "uvicorn": HOSTILE_HOST_SERVERS["uvicorn"],
    "gunicorn": [
        *HOSTILE_HOST_SERVERS["gunicorn"][:4],  # python -m gunicorn tests.server_app:...
        "--bind=127.0.0.1:{port}",
        "--workers=2",
        "--threads=4",
        "--worker-class=gthread",
        "--log-level=warning",
    ],
}


#: (server, environment of the server process): CONN_MAX_AGE 0 and 60, psycopg's pool.
VARIANTS = {
    "uvicorn": ("uvicorn", {}),
    "uvicorn-psycopg-pool": ("uvicorn", {"PGSCHEMAS_ROUTING_SERVER_POOL": "1"}),
    "gunicorn": ("gunicorn", {}),
    "gunicorn-conn-max-age-60": ("gunicorn", {"PGSCHEMAS_ROUTING_SERVER_CONN_MAX_AGE": "60"}),
}


@pytest.mark.parametrize(
    ("variant", "pooled"),
    [("uvicorn", 1), ("uvicorn-psycopg-pool", 2), ("gunicorn", 2), ("gunicorn-conn-max-age-60", 1)],
    indirect=["pooled"],
)
@pytest.mark.django_db(transaction=True)
def test_real_servers_through_pgbouncer_see_only_their_tenant(
    committed_tenant: Any,
    pooled: PgBouncer,
    variant: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server_name, environment = VARIANTS[variant]
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    require(server_name)
    targets = _world(committed_tenant)
    stderr_path = tmp_path / f"{server_name}.stderr"
    # DATABASE_URL points at pgbouncer (the pooled fixture).
    with running_server(SERVERS[server_name], stderr_path) as port:

        def one(n: int) -> tuple[int, list[str]]:
            target = targets[n % TENANTS]
            status, body = http_get(port, target[0].encode(), "/pooled-items/")
            if status != 200:
                return status, []
            return status, _wrong(json.loads(body), target)

        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(one, range(300)))
    errors, wrong, problems = _summary(answers)
    log = stderr_path.read_text(errors="replace")
    assert (len(answers), errors, wrong) == (300, 0, 0), (problems.most_common(5), log[-3000:])
    assert "Traceback" not in log, log


@pytest.mark.parametrize("server_name", sorted(SERVERS))
@pytest.mark.django_db(transaction=True)
def test_a_tenant_deleted_here_is_404_in_the_server_process(
    committed_tenant: Any, server_name: str, tmp_path: Path
) -> None:
    """The server process cached the tenant's route; the tenant is deleted in this one."""
    require(server_name)
    tenant = committed_tenant(domains=("gone.test.com",), items=("gone-item",))
    other = committed_tenant(domains=("stays.test.com",), items=("stays-item",))
    stderr_path = tmp_path / f"{server_name}.stderr"
    with running_server(SERVERS[server_name], stderr_path) as port:
        for _ in range(4):  # every gunicorn worker process caches the route
            status, body = http_get(port, b"gone.test.com", "/pooled-items/")
            assert (status, json.loads(body)["schema"]) == (200, tenant.schema_name)
        tenant.delete(force_drop=True)
        for _ in range(4):
            status, body = http_get(port, b"gone.test.com", "/pooled-items/")
            assert status == 404, body[:300]
            assert b"-item" not in body  # no tenant's rows, not even public's answer
        status, body = http_get(port, b"stays.test.com", "/pooled-items/")
        assert (status, json.loads(body)["items"][0]) == (200, ["stays-item"])
        assert other.schema_name in body.decode()
    assert "Traceback" not in stderr_path.read_text(errors="replace")


def _ask(port: int, host: bytes) -> tuple[int, bytes]:
    """GET /pooled-items/ on ``host``, following 307s (route changed) as a client does.

    Each server process with the stale route answers 307 once, so with several worker
    processes a client may be sent back a few times; never more than there are workers.
    """
    for _ in range(8):
        status, body = http_get(port, host, "/pooled-items/")
        if status != 307:
            return status, body
    raise AssertionError(f"{host!r}: still 307 after 8 requests")


@pytest.mark.parametrize("server_name", sorted(SERVERS))
@pytest.mark.django_db(transaction=True)
def test_changes_made_here_reach_the_server_process_without_a_shared_cache(
    committed_tenant: Any, server_name: str, tmp_path: Path
) -> None:
    """The server process cached every route; the rows change in this one (no shared cache,
    the schemas kept, a queryset update that sends no signal): the cached routes are not
    served again."""
    from django.db import connection

    require(server_name)
    from tests.shared_app.models import Domain

    kept = committed_tenant(domains=("kept.test.com",), items=("kept-item",))
    moved = committed_tenant(domains=("moved.test.com",), items=("moved-item",))
    taker = committed_tenant(domains=("taker.test.com",), items=("taker-item",))
    reused = committed_tenant(domains=("reused.test.com",), items=("reused-old-item",))
    stderr_path = tmp_path / f"{server_name}.stderr"
    with running_server(SERVERS[server_name], stderr_path) as port:
        for _ in range(4):  # every gunicorn worker process caches the routes
            for host, tenant in (
                (b"kept.test.com", kept),
                (b"moved.test.com", moved),
                (b"reused.test.com", reused),
            ):
                status, body = http_get(port, host, "/pooled-items/")
                assert (status, json.loads(body)["schema"]) == (200, tenant.schema_name)

        kept.auto_drop_schema = reused.auto_drop_schema = False  # the default: schemas stay
        kept.delete()
        Domain.objects.filter(domain="moved.test.com").update(tenant=taker, is_primary=False)
        reused.delete()
        newcomer = committed_tenant(domains=("reused.test.com",), items=("newcomer-item",))
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regnamespace(%s) IS NOT NULL", [kept.schema_name])
            assert cursor.fetchone() == (True,)

        for _ in range(4):
            status, body = http_get(port, b"kept.test.com", "/pooled-items/")
            assert status == 404, body[:300]
            assert b"-item" not in body  # the kept schema is not read, nor public
            status, body = _ask(port, b"moved.test.com")
            assert status == 200, body[:300]
            assert json.loads(body)["schema"] == taker.schema_name
            assert json.loads(body)["items"][0] == ["taker-item"]
            status, body = _ask(port, b"reused.test.com")
            assert status == 200, body[:300]
            assert json.loads(body)["schema"] == newcomer.schema_name
            assert json.loads(body)["items"][0] == ["newcomer-item"]
    assert "Traceback" not in stderr_path.read_text(errors="replace")
