#!/usr/bin/env python3
"""What the route check (``PGSCHEMAS_ROUTING_GUARD``) costs per request, by its SQL shape.

    python3 scripts/benchlib/route_guard_micro.py --dsn "host=127.0.0.1 user=postgres" \\
        [--pgbouncer] [--tenants 2000] [--messages 3000]

The end-to-end routing benchmark (``scripts/bench --only routing``) times whole requests;
on a shared machine its noise hides a difference of tens of microseconds. This one times
only the message that carries the check: the search-path ``SELECT`` the backend puts in
front of a request's first statement, plus that statement (``SELECT 1``), sent as one
message, for each shape of the check:

- ``none``: no check (``PGSCHEMAS_ROUTING_GUARD = False``);
- ``join``: the domain check before issue 16 (domain row joined to the tenant row);
- ``domain_pk``: the domain check now (domain row by primary key, schema OID compared);
- ``tenant_pk``: the header/session check (tenant row by primary key; unchanged).

Shapes alternate message by message in a shuffled order (load on a shared machine hits
them alike), over ``--tenants`` tenants with one domain each, in a scratch database made
here with the tables and indexes Django creates for ``TenantModel``/``DomainModel``.
Printed: the median and interquartile range of the message time, and the server's own
planning and execution time of each check (``EXPLAIN (ANALYZE, SUMMARY)``).
"""

from __future__ import annotations

import argparse
import contextlib
import random
import statistics
import sys
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import sql

DATABASE = "pgschemas_bench_route_guard"
REFUSAL = "pg_catalog.quote_ident('pg_pgschemas_route_changed')::pg_catalog.regnamespace"

SCHEMA_DDL = """
CREATE TABLE tenants (id bigserial PRIMARY KEY, schema_name varchar(63) NOT NULL UNIQUE);
CREATE INDEX tenants_schema_name_like ON tenants (schema_name varchar_pattern_ops);
CREATE TABLE domains (
    id bigserial PRIMARY KEY,
    domain varchar(253) NOT NULL,
    folder varchar(100) NOT NULL,
    is_primary boolean NOT NULL,
    redirect_to_primary boolean NOT NULL,
    tenant_id bigint NOT NULL REFERENCES tenants (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT domains_unique_domain_folder UNIQUE (domain, folder)
);
CREATE INDEX domains_domain ON domains (domain);
CREATE INDEX domains_domain_like ON domains (domain varchar_pattern_ops);
CREATE INDEX domains_tenant_id ON domains (tenant_id);
CREATE UNIQUE INDEX domains_one_primary ON domains (tenant_id) WHERE is_primary;
"""

#: The checks, as pgschemas.routing.guards renders them (names here: tenants/domains).
SHAPES = {
    "none": "TRUE",
    "join": (
        "EXISTS (SELECT 1 FROM public.domains d JOIN public.tenants t ON t.id = d.tenant_id "
        "WHERE d.domain = {host} AND d.folder = '' AND t.id = {pk} AND t.schema_name = {schema})"
    ),
    "domain_pk": (
        "EXISTS (SELECT 1 FROM public.domains d WHERE d.id = {domain_pk} AND d.tenant_id = {pk} "
        "AND d.domain = {host} AND d.folder = '') AND pg_catalog.to_regnamespace("
        "pg_catalog.quote_ident({schema}))::pg_catalog.oid = {oid}::pg_catalog.oid"
    ),
    "domain_pk_values": (
        "(SELECT d.tenant_id = {pk} AND d.domain = {host} AND d.folder = '' "
        "FROM public.domains d WHERE d.id = {domain_pk}) IS TRUE AND pg_catalog.to_regnamespace("
        "pg_catalog.quote_ident({schema}))::pg_catalog.oid = {oid}::pg_catalog.oid"
    ),
    "tenant_pk": (
        "EXISTS (SELECT 1 FROM public.tenants t WHERE t.id = {pk} AND t.schema_name = {schema})"
    ),
    "tenant_pk_values": (
        "(SELECT t.schema_name = {schema} FROM public.tenants t WHERE t.id = {pk}) IS TRUE"
    ),
}


def prepare(dsn: str, tenants: int) -> None:
    with psycopg.connect(f"{dsn} dbname=postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DATABASE)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    with psycopg.connect(f"{dsn} dbname={DATABASE}", autocommit=True) as conn:
        conn.execute(SCHEMA_DDL)
        conn.execute(
            "INSERT INTO tenants (schema_name) SELECT 'tenant' || i FROM generate_series(1, %s) i",
            (tenants,),
        )
        conn.execute(
            "INSERT INTO domains (domain, folder, is_primary, redirect_to_primary, tenant_id) "
            "SELECT 'tenant' || i || '.bench.test', '', true, false, i "
            "FROM generate_series(1, %s) i",
            (tenants,),
        )
        # The checked schemas must exist (their OID is compared): empty ones will do.
        for i in range(1, tenants + 1):
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(f"tenant{i}")))
        conn.execute("ANALYZE")


def drop(dsn: str) -> None:
    with psycopg.connect(f"{dsn} dbname=postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(DATABASE)))


def checks(conn: psycopg.Connection[Any], tenants: int) -> list[dict[str, str]]:
    """The rendered check of each shape, per tenant."""
    oids = dict(conn.execute("SELECT nspname, oid::bigint FROM pg_namespace").fetchall())
    rendered = []
    for i in range(1, tenants + 1):
        values = {
            "host": sql.Literal(f"tenant{i}.bench.test"),
            "pk": sql.Literal(i),
            "domain_pk": sql.Literal(i),
            "schema": sql.Literal(f"tenant{i}"),
            "oid": sql.Literal(str(oids[f"tenant{i}"])),
        }
        rendered.append(
            {
                name: sql.SQL(shape).format(**values).as_string(conn)
                for name, shape in SHAPES.items()
            }
        )
    return rendered


def message(schema: str, check: str) -> str:
    return (
        f"SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident('{schema}')"
        f" || ', public', false), CASE WHEN {check} THEN NULL ELSE {REFUSAL} END; SELECT 1"
    )


def time_messages(dsn: str, rendered: list[dict[str, str]], count: int) -> dict[str, list[float]]:
    import time

    samples: dict[str, list[float]] = {name: [] for name in SHAPES}
    names = list(SHAPES)
    with psycopg.connect(dsn, autocommit=True, cursor_factory=psycopg.ClientCursor) as conn:
        cursor = conn.cursor()
        for n in range(count):
            tenant = n % len(rendered)
            random.shuffle(names)
            for name in names:
                text = message(f"tenant{tenant + 1}", rendered[tenant][name])
                started = time.perf_counter()
                cursor.execute(text)
                samples[name].append((time.perf_counter() - started) * 1e6)
    return samples


def server_times(dsn: str, rendered: list[dict[str, str]], count: int) -> dict[str, Any]:
    plan: dict[str, list[float]] = {name: [] for name in SHAPES}
    run: dict[str, list[float]] = {name: [] for name in SHAPES}
    names = list(SHAPES)
    with psycopg.connect(dsn, autocommit=True) as conn:
        for n in range(count):
            tenant = n % len(rendered)
            random.shuffle(names)
            for name in names:
                check = rendered[tenant][name]
                query = f"EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) SELECT CASE WHEN {check} THEN NULL ELSE {REFUSAL} END"
                row = conn.execute(query).fetchone()
                assert row is not None
                summary = row[0][0]
                plan[name].append(summary["Planning Time"] * 1000)
                run[name].append(summary["Execution Time"] * 1000)
    return {name: (statistics.median(plan[name]), statistics.median(run[name])) for name in SHAPES}


@contextlib.contextmanager
def through_pgbouncer(dsn: str, use: bool) -> Iterator[str]:
    if not use:
        yield f"{dsn} dbname={DATABASE}"
        return
    from pgschemas_devtools.pgbouncer import start_pgbouncer

    params = dict(item.split("=", 1) for item in dsn.split())
    url = f"postgresql://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/{DATABASE}"
    bouncer = start_pgbouncer(url, pool_size=2)
    try:
        yield f"host=127.0.0.1 port={bouncer.port} user={params.get('user', 'postgres')} dbname={DATABASE}"
    finally:
        bouncer.stop()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", default="host=127.0.0.1 user=postgres", help="without dbname")
    parser.add_argument("--tenants", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=3000, help="per shape and route")
    parser.add_argument("--pgbouncer", action="store_true", help="also through PgBouncer")
    args = parser.parse_args(argv)
    prepare(args.dsn, args.tenants)
    try:
        with psycopg.connect(f"{args.dsn} dbname={DATABASE}") as conn:
            rendered = checks(conn, args.tenants)
        routes = [("direct", False)] + ([("PgBouncer", True)] if args.pgbouncer else [])
        print("| route | check | message µs, median (IQR) | over no check |")
        print("|---|---|---|---|")
        for label, use in routes:
            with through_pgbouncer(args.dsn, use) as dsn:
                samples = time_messages(dsn, rendered, args.messages)
            base = statistics.median(samples["none"])
            for name, values in samples.items():
                q1, _, q3 = statistics.quantiles(values, n=4)
                median = statistics.median(values)
                print(
                    f"| {label} | {name} | {median:.0f} ({q1:.0f} to {q3:.0f}) | {median - base:+.0f} |"
                )
        print()
        print("| check | server planning µs | server execution µs |")
        print("|---|---|---|")
        for name, (plan, run) in server_times(
            f"{args.dsn} dbname={DATABASE}", rendered, min(args.messages, 1000)
        ).items():
            print(f"| {name} | {plan:.0f} | {run:.0f} |")
    finally:
        drop(args.dsn)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
