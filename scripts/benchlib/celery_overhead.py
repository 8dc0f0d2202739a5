#!/usr/bin/env python3
"""Per-task overhead of pgschemas-celery against a plain Celery task (docs/benchmarks.md).

    .tools/hatch/env/virtual/hatch-test.py3.11-5.2/bin/python scripts/benchlib/celery_overhead.py [--tasks N] [--rounds R]

Runs in the test environment ``scripts/test`` creates (Django, Celery, every package).
Uses ``DATABASE_URL`` when set, else starts an embedded PostgreSQL; creates a database
``bench_celery_<pid>`` (dropped at the end) with pgschemas-celery's test project: public,
the static tenant ``www`` and one dynamic tenant.

Two sides of a task are measured, each ``--tasks`` times per round, rounds interleaved
(plain, public, static, dynamic, plain, ...), median of the rounds, in microseconds:

- worker: Celery's own tracer (the function a worker calls for every message, with
  signals, ``before_start``, the body and ``postrun``) on a no-op task, given a request as
  a message would carry it. Plain: Celery's ``Task``, no pgschemas receivers. Ours:
  ``TenantTask`` with the receivers, for a message queued in public, in a static tenant
  and in a dynamic tenant (whose row is looked up in ``public``: one query).
- publish: ``apply_async()`` of the same task to Celery's in-memory broker, without and
  with the header receiver.

No result backend and no network broker: what remains is the per-task cost pgschemas
adds, not the broker's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ROOT / "packages" / "pgschemas-celery"


def start_database() -> tuple[str, Any]:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url, None
    from pgschemas_devtools.embedded import start_server

    server = start_server(purpose="bench-celery", temporary=True)
    os.environ["DATABASE_URL"] = server.url
    return server.url, server


def admin(statement: str) -> None:
    import psycopg
    from psycopg import sql

    from pgschemas_devtools.database import database_settings

    params = database_settings("postgres")
    with psycopg.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        autocommit=True,
    ) as conn:
        conn.execute(
            sql.SQL(statement).format(sql.Identifier(os.environ["PGSCHEMAS_TEST_DB_NAME"]))
        )


def per_task(fn: Callable[[], None], tasks: int) -> float:
    start = time.perf_counter()
    for _ in range(tasks):
        fn()
    return (time.perf_counter() - start) / tasks * 1e6


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=2000, help="tasks per round")
    parser.add_argument("--rounds", type=int, default=7, help="rounds per variant")
    options = parser.parse_args(argv)

    _url, server = start_database()
    os.environ["PGSCHEMAS_TEST_DB_NAME"] = f"bench_celery_{os.getpid()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    sys.path.insert(0, str(PROJECT))
    admin("CREATE DATABASE {}")
    try:
        return run(options.tasks, options.rounds)
    finally:
        from django.db import connections

        connections.close_all()
        admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        if server is not None:
            server.stop()


def run(tasks: int, rounds: int) -> int:
    import django

    django.setup()
    from celery import Celery, Task
    from celery.app.trace import build_tracer
    from celery.signals import before_task_publish, task_postrun, task_prerun
    from django.core.management import call_command
    from tests.shared_app.models import Tenant

    from pgschemas.celery.headers import add_schema_headers
    from pgschemas.celery.task import TenantTask, enter_task_schema, leave_task_schema
    from pgschemas.core.schema import get_public_schema

    call_command("migrate", verbosity=0)
    tenant = Tenant.objects.create(schema_name="benchtenant")

    def make_app(name: str, task_cls: type[Any]) -> Any:
        app = Celery(name, task_cls=task_cls, set_as_current=False)
        app.conf.update(broker_url="memory://", task_ignore_result=True)

        @app.task(name=f"bench.noop.{name}")
        def noop() -> None:
            return None

        app.finalize()
        return app

    plain_app, our_app = make_app("plain", Task), make_app("ours", TenantTask)
    receivers = [
        (task_prerun, enter_task_schema),
        (task_postrun, leave_task_schema),
        (before_task_publish, add_schema_headers),
    ]

    def hooks(connected: bool) -> None:
        for signal, receiver in receivers:
            if connected:
                signal.connect(receiver, dispatch_uid="pgschemas.celery")
            else:
                signal.disconnect(receiver, dispatch_uid="pgschemas.celery")

    def tracer(app: Any, schema: str | None) -> Callable[[], None]:
        task = app.tasks[f"bench.noop.{app.main}"]
        trace = build_tracer(task.name, task, app=app, eager=False)
        headers = (
            {} if schema is None else {"pgschemas_schema": schema, "pgschemas_db_alias": "default"}
        )

        def one() -> None:
            task_id = uuid.uuid4().hex
            trace(task_id, (), {}, {"id": task_id, "delivery_info": {}, **headers})

        return one

    def publisher(app: Any) -> Callable[[], None]:
        task = app.tasks[f"bench.noop.{app.main}"]
        return lambda: task.apply_async()

    def lookup() -> None:
        with get_public_schema():
            Tenant.objects.filter(schema_name=tenant.schema_name).first()

    variants: list[tuple[str, bool, Callable[[], None]]] = [
        ("worker: plain Celery task", False, tracer(plain_app, None)),
        ("worker: queued in public", True, tracer(our_app, "public")),
        ("worker: queued in a static tenant", True, tracer(our_app, "www")),
        ("worker: queued in a dynamic tenant", True, tracer(our_app, tenant.schema_name)),
        ("reference: the tenant lookup query alone", True, lookup),
        ("publish: plain Celery task", False, publisher(plain_app)),
        ("publish: with the schema headers", True, publisher(our_app)),
    ]
    samples: dict[str, list[float]] = {name: [] for name, _c, _f in variants}
    for _name, connected, fn in variants:  # warm up
        hooks(connected)
        per_task(fn, min(tasks, 200))
    for _ in range(rounds):
        for name, connected, fn in variants:
            hooks(connected)
            samples[name].append(per_task(fn, tasks))
            for app in (plain_app, our_app):
                with app.connection_for_write() as conn:
                    conn.default_channel.queue_purge("celery")
    hooks(True)

    with get_public_schema():
        tenant.delete(force_drop=True)
    print(f"{tasks} tasks x {rounds} rounds, median per task (IQR):")
    baseline = {"worker": None, "publish": None, "reference": None}
    for name, values in samples.items():
        median = statistics.median(values)
        q = statistics.quantiles(values, n=4) if len(values) > 1 else [median, median, median]
        side = name.split(":")[0]
        if baseline[side] is None:
            baseline[side] = median
            extra = ""
        else:
            extra = f"  (+{median - baseline[side]:.1f} us)"  # type: ignore[operator]
        print(f"  {name:<40} {median:8.1f} us  ({q[0]:.1f}-{q[2]:.1f}){extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
