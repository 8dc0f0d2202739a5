"""Measure the sandbox project on the server behind DATABASE_URL (a Citus cluster or not).

    PYTHONPATH=integration_tests python scripts/benchlib/citus_bench.py --tenants 50 --requests 500

Run by ``python3 scripts/citus bench``, once on a Citus cluster and once on a single
PostgreSQL 15, in the same run. Prints progress on stderr and one JSON document on stdout:
seconds per tenant created by clone, no-op and pending ``migrate`` over all tenants, the
cost of a routed request, and on Citus the tenants per worker after creation, after
moving a quarter of them onto one worker, and after ``citus_rebalance_start()``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citus_tests.settings")


def _say(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _rows(query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return list(cursor.fetchall()) if cursor.description else []


def _per_worker() -> dict[str, int]:
    rows = _rows(
        "SELECT s.nodeport, count(DISTINCT c.schema_name) FROM citus_schemas c"
        " JOIN citus_shards s USING (colocation_id)"
        " WHERE c.schema_name::text LIKE 'bench\\_%%' GROUP BY 1 ORDER BY 1"
    )
    return {str(port): int(count) for port, count in rows}


def _rebalance(names: list[str]) -> dict[str, dict[str, int]]:
    """Tenants per worker: as created, after crowding one worker, after the rebalancer."""
    result = {"after creation": _per_worker()}
    ports = _rows("SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 ORDER BY 2")
    target = ports[0]
    moved = 0
    for name in names:
        if moved >= len(names) // 4:
            break
        node = _rows(
            "SELECT DISTINCT s.nodename, s.nodeport FROM citus_shards s JOIN citus_schemas c"
            " USING (colocation_id) WHERE c.schema_name = %s::regnamespace",
            [name],
        )[0]
        if tuple(node) != tuple(target):
            _rows("SELECT citus_schema_move(%s::regnamespace, %s, %s)", [name, *target])
            moved += 1
    result[f"after moving {moved} onto one worker"] = _per_worker()
    started = time.perf_counter()
    _rows("SELECT citus_rebalance_start()")
    _rows("SELECT citus_rebalance_wait()")
    _say(f"rebalance took {time.perf_counter() - started:.1f} s")
    result["after citus_rebalance_start()"] = _per_worker()
    return result


def run(tenants: int, requests: int) -> dict[str, Any]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from shared_public.models import Domain, Tenant

    from pgschemas.core.citus import citus_installed

    citus = citus_installed(connection)
    call_command("migrate", schemas=[":all:"], interactive=False, verbosity=0)
    call_command("createrefschema", verbosity=0)
    call_command("clonespares", "--count", "0", verbosity=0)  # every tenant a real clone
    names = [f"bench_{i:04d}" for i in range(tenants)]
    seconds = []
    for name in names:
        started = time.perf_counter()
        tenant = Tenant.objects.create(schema_name=name)
        seconds.append(time.perf_counter() - started)
        Domain.objects.create(tenant=tenant, domain=f"{name.replace('_', '-')}.localhost")
    _say(f"{tenants} tenants created")
    started = time.perf_counter()
    call_command("migrate", schemas=[":dynamic:"], interactive=False, verbosity=0)
    noop = time.perf_counter() - started
    call_command(
        "migrate", "tenant_app", "zero", schemas=[":dynamic:"], interactive=False, verbosity=0
    )
    started = time.perf_counter()
    call_command("migrate", schemas=[":dynamic:"], interactive=False, verbosity=0)
    pending = time.perf_counter() - started
    _say("migrations measured")
    client = Client()
    for name in names[:5]:  # warm up: urlconfs, tenant lookups
        client.get("/whoami/", HTTP_HOST=f"{name.replace('_', '-')}.localhost")
    timings = []
    for i in range(requests):
        host = f"{names[i % len(names)].replace('_', '-')}.localhost"
        started = time.perf_counter()
        response = client.get("/whoami/", HTTP_HOST=host)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200, (host, response.status_code)
    result: dict[str, Any] = {
        "server": "Citus (coordinator + 2 workers)" if citus else "single PostgreSQL 15",
        "tenants": tenants,
        "create by clone, mean s": statistics.mean(seconds),
        "create by clone, median s": statistics.median(seconds),
        "no-op migrate over all tenants, s": noop,
        "pending migrate over all tenants, s": pending,
        "routed request, median ms": 1000 * statistics.median(timings),
        "routed request, mean ms": 1000 * statistics.mean(timings),
    }
    if citus:
        result["tenants per worker"] = _rebalance(names)
    return result


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="citus_bench.py")
    parser.add_argument("--tenants", type=int, default=50)
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args(argv)
    print(json.dumps(run(args.tenants, args.requests)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
