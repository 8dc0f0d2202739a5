"""One measurement inside one peer's virtualenv: ``python driver.py '<json spec>'``.

The spec names the peer (``ours``, ``pgs``, ``tenants``, ``plain``), its work folder (the
project copied from ``projects/<peer>`` plus the generated workload apps), the action and
its parameters. Database and app set come from the environment (see
``projects/common/bench_common.py``). The answer is one JSON object written to the
original stdout; everything Django or a peer prints goes to stderr, so a chatty command
can never corrupt the answer.

Every action that a peer cannot do yet answers ``{"available": false, "reason": ...}``
instead of a number: the report shows it as "not available yet", never as a made-up value.

Queries are counted at the driver level (a psycopg cursor subclass installed on every
connection), so every statement is seen for every peer, including the ``SET search_path``
statements that django-pgschemas sends on the raw cursor, below Django's execute wrappers.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

_REAL_STDOUT = os.dup(1)
os.dup2(2, 1)
sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), write_through=True)

SPEC: dict[str, Any] = json.loads(sys.argv[1])
#: ``baseline`` is ours from another checkout (``--baseline``): it behaves as ``ours``.
PEER: str = "ours" if SPEC["peer"] == "baseline" else SPEC["peer"]
WORK = Path(SPEC["workdir"])
sys.path.insert(0, str(WORK))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench_settings"

#: The pending migration of the migrate benchmark, per app set (see workload.py).
PENDING = {
    "large": ("bench50", "0005_pending", "bench50_model00", "pending_extra"),
    "small": ("shop", "0002_pending", "shop_product", "pending_extra"),
}
MARKER = "clone-marker"


class NotAvailable(Exception):
    """The peer cannot do this yet (e.g. a pgschemas package not in the repository)."""


def answer(payload: dict[str, Any]) -> None:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    payload.setdefault("peak_rss_mb", round(ru.ru_maxrss / 1024, 1))
    text = json.dumps(payload)
    # Also in the driver's log: a long run stopped before its end keeps what it measured.
    print(f"answer: {text}", file=sys.stderr, flush=True)
    with os.fdopen(_REAL_STDOUT, "w") as out:
        out.write(text + "\n")


# --------------------------------------------------------------------------- database


def ensure_database(drop: bool) -> bool:
    """Create (or re-create) BENCH_DB_NAME on the server, through the maintenance db."""
    import psycopg
    from bench_common import database
    from psycopg import sql

    params = database("x")
    kwargs = {
        "dbname": "postgres",
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        **params["OPTIONS"],
    }
    name = os.environ["BENCH_DB_NAME"]
    with psycopg.connect(**{k: v for k, v in kwargs.items() if v}, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return bool(exists)


# --------------------------------------------------------------------------- counting


class Counter:
    """Statements, SET search_path statements and messages (round trips) sent by cursors.

    pgschemas sends ``SET search_path = ...; <statement>`` as one message: that counts as
    two statements (one of them a SET) but one message.
    """

    statements = 0
    sets = 0
    messages = 0
    enabled = False

    @classmethod
    def reset(cls) -> None:
        cls.statements = 0
        cls.sets = 0
        cls.messages = 0


def _count(cursor: Any, query: Any) -> None:
    if not Counter.enabled:
        return
    Counter.statements += 1
    Counter.messages += 1
    if isinstance(query, bytes):
        text = query.decode(errors="replace")
    elif isinstance(query, str):
        text = query
    else:  # psycopg.sql.Composed and friends
        try:
            text = query.as_string(cursor)
        except Exception:
            text = repr(query)
    if text.lstrip().upper().startswith("SET") and "search_path" in text.lower():
        Counter.sets += 1
        _head, separator, rest = text.partition(";")
        if separator and rest.strip():
            Counter.statements += 1  # the statement that travelled with the SET


def _counting_factory(base: type) -> type:
    if getattr(base, "_bench_counting", False):
        return base

    class CountingCursor(base):  # type: ignore[misc, valid-type]
        _bench_counting = True

        def execute(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            _count(self, query)
            return super().execute(query, *args, **kwargs)

        def executemany(self, query: Any, *args: Any, **kwargs: Any) -> Any:
            _count(self, query)
            return super().executemany(query, *args, **kwargs)

    return CountingCursor


def install_counter() -> None:
    from django.db import connection
    from django.db.backends.signals import connection_created

    def patch(connection: Any, **kwargs: Any) -> None:
        raw = connection.connection
        raw.cursor_factory = _counting_factory(raw.cursor_factory)

    connection_created.connect(patch, weak=False)
    if connection.connection is not None:
        patch(connection)


# --------------------------------------------------------------------------- peers


def django_setup() -> None:
    import django

    django.setup()


def tenant_model() -> Any:
    from django.apps import apps

    return apps.get_model("customers", "Tenant")


def domain_model() -> Any:
    from django.apps import apps

    try:
        return apps.get_model("customers", "Domain")
    except LookupError:
        raise NotAvailable("pgschemas-routing (DomainModel) is not in the repository yet") from None


def quiet() -> dict[str, Any]:
    return {"verbosity": 0, "stdout": io.StringIO(), "stderr": io.StringIO()}


def migrate_public() -> None:
    from django.core.management import call_command

    if PEER == "ours":
        from pgschemas.core.migration import migrate_schema
        from pgschemas.core.schema import get_public_schema

        migrate_schema(get_public_schema())
    elif PEER == "pgs":
        call_command("migrate", "-s", "public", **quiet())
    elif PEER == "tenants":
        call_command("migrate_schemas", shared=True, interactive=False, **quiet())
        Tenant = tenant_model()
        if not Tenant.objects.filter(schema_name="public").exists():
            Tenant(schema_name="public", name="public").save(verbosity=0)
    else:
        call_command("migrate", interactive=False, **quiet())


def create_tenant(name: str) -> Any:
    tenant = tenant_model()(schema_name=name, name=name)
    tenant.save(verbosity=0)
    return tenant


def current_schemas() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%%' "
            "AND nspname NOT IN ('information_schema', 'public') ORDER BY nspname"
        )
        return [row[0] for row in cursor.fetchall()]


def raw_conn() -> Any:
    """The psycopg connection under Django's, for setup SQL that must not be routed."""
    from django.db import connection

    connection.ensure_connection()
    return connection.connection


def count_in_schema(schema: str, table: str, where: str = "", params: Any = ()) -> int:
    from psycopg import sql

    query = sql.SQL("SELECT count(*) FROM {}.{}").format(
        sql.Identifier(schema), sql.Identifier(table)
    )
    if where:
        query = query + sql.SQL(" WHERE " + where)
    with raw_conn().cursor() as cur:
        return int(cur.execute(query, params).fetchone()[0])


def tables_in(schema: str) -> int:
    with raw_conn().cursor() as cur:
        return int(
            cur.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
                [schema],
            ).fetchone()[0]
        )


# --------------------------------------------------------------------------- actions


def act_setup(params: dict[str, Any]) -> dict[str, Any]:
    """Fresh database, public schema migrated (each peer its own documented way)."""
    existed = ensure_database(drop=params.get("drop", True))
    django_setup()
    start = time.perf_counter()
    migrate_public()
    return {"seconds": time.perf_counter() - start, "existed": existed}


def act_makemigrations(params: dict[str, Any]) -> dict[str, Any]:
    """Write the ``customers`` migrations of this peer's project (its own tenant model)."""
    django_setup()
    from django.core.management import call_command

    if PEER == "plain":
        return {"ok": True}
    call_command("makemigrations", "customers", **quiet())
    return {"ok": True}


def _capture_template(name: str) -> list[str]:
    """Create tenant ``name`` by migrations and keep every statement that built its schema."""
    from django.db import connection

    captured: list[tuple[str, Any]] = []

    def wrapper(execute: Any, sql: Any, params: Any, many: bool, context: Any) -> Any:
        if isinstance(sql, str):
            captured.append((sql, None if many else params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        create_tenant(name)
    from psycopg import ClientCursor

    mogrifier = ClientCursor(raw_conn())
    keep: list[str] = []
    for sql, params in captured:
        head = sql.lstrip().split(None, 1)[0].upper()
        if head in {"SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SHOW"}:
            continue
        if head == "SET" and ";" not in sql:
            continue
        if "customers_" in sql or (head == "CREATE" and sql.split()[1].upper() == "SCHEMA"):
            continue
        if name in sql:
            raise RuntimeError(f"schema name {name!r} appears in migration SQL: {sql[:200]}")
        keep.append(mogrifier.mogrify(sql, params) if params else sql)
    return keep


def act_create(params: dict[str, Any]) -> dict[str, Any]:
    """Create tenants one by one, timing each save() (migrations, or the peer's clone)."""
    django_setup()
    clone = os.environ.get("BENCH_CLONE") == "1"
    if clone and PEER == "ours":
        from django.conf import settings

        if not settings.HAS_CLONE:
            raise NotAvailable("pgschemas-clone is not in the repository yet")
    spares = int(os.environ.get("BENCH_SPARES", "0"))
    if spares:
        from pgschemas.clone.spares import list_spares

        spares_before = len(list_spares())
    times = []
    verified = []
    for name in params["names"]:
        start = time.perf_counter()
        create_tenant(name)
        times.append(time.perf_counter() - start)
        tables = tables_in(name)
        marker = count_in_schema(name, "shop_category", "name = %s", [MARKER])
        verified.append({"schema": name, "tables": tables, "marker_rows": marker})
    expected_marker = 1 if clone else 0
    bad = [v for v in verified if v["marker_rows"] != expected_marker or v["tables"] == 0]
    if bad:
        raise RuntimeError(
            f"tenant creation did not produce the expected schema (clone={clone}): {bad}"
        )
    if spares:
        used = spares_before - len(list_spares())
        if used != len(params["names"]):
            raise RuntimeError(f"{used} spare(s) used for {len(params['names'])} tenant(s)")
    return {"samples": times, "verified": verified}


def act_fill_spares(params: dict[str, Any]) -> dict[str, Any]:
    """Ours: drop stale spares (untimed), then make ``count`` spare clones, timing each."""
    django_setup()
    from django.conf import settings

    if not settings.HAS_CLONE:
        raise NotAvailable("pgschemas-clone is not in the repository yet")
    from pgschemas.clone.spares import fill_spares, make_spare

    fill_spares(0)
    times = []
    for _ in range(params["count"]):
        start = time.perf_counter()
        if make_spare("sample") is None:
            raise RuntimeError("the reference changed while a spare was cloned from it")
        times.append(time.perf_counter() - start)
    return {"samples": times}


def act_clone_prepare(params: dict[str, Any]) -> dict[str, Any]:
    """Build the reference / base schema each peer's docs describe, plus a marker row.

    The marker row exists only in the reference: a tenant that has it was cloned, one
    that lacks it was migrated. act_create checks it for every tenant it creates.
    """
    from psycopg import sql

    django_setup()
    from django.core.management import call_command

    ref = "sample"
    if params.get("resume") and tenant_model().objects.filter(schema_name="warmup_clone").exists():
        return {"seconds": 0.0, "resumed": True, "reference_tables": tables_in(ref)}
    start = time.perf_counter()
    if PEER == "ours":
        from django.conf import settings

        if not settings.HAS_CLONE:
            raise NotAvailable("pgschemas-clone is not in the repository yet")
        call_command("createrefschema", **quiet())
    elif PEER == "pgs":
        call_command("createrefschema", **quiet())
    elif PEER == "tenants":
        with raw_conn().cursor() as cur:
            cur.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(ref)))
        call_command("migrate_schemas", schema_name=ref, tenant=True, interactive=False, **quiet())
    seconds = time.perf_counter() - start
    with raw_conn().cursor() as cur:  # autocommit
        cur.execute(
            sql.SQL("INSERT INTO {}.{} (name) VALUES (%s)").format(
                sql.Identifier(ref), sql.Identifier("shop_category")
            ),
            [MARKER],
        )
    # Warm up the peer's clone machinery (e.g. installing its PL/pgSQL function) once.
    create_tenant("warmup_clone")
    ok = count_in_schema("warmup_clone", "shop_category", "name = %s", [MARKER]) == 1
    if not ok:
        raise RuntimeError("the first tenant created with the reference was not a clone")
    return {"seconds": seconds, "reference_tables": tables_in(ref)}


def act_populate(params: dict[str, Any]) -> dict[str, Any]:
    """Bring the database to N dynamic tenants, fast and the same way for every peer.

    The first tenant is created by the peer itself (by migrations) while every statement
    is captured; the others get a new schema in which exactly those statements are
    replayed (the DDL and the django_migrations rows), then their rows are bulk-inserted
    with the peer's own model (``bulk_create`` bypasses save(), so no schema is created
    twice). The end state is what the peer's own migrations produce, for every peer.
    """
    from psycopg import sql

    django_setup()
    Tenant = tenant_model()
    target = int(params["n"])
    prefix = params.get("prefix", "t")
    store = WORK / f"template-{os.environ['BENCH_DB_NAME']}.json"
    existing = set(
        Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True)
    )
    start = time.perf_counter()
    if not existing:
        first = f"{prefix}00000"
        store.write_text(json.dumps(_capture_template(first)))
        existing.add(first)
    statements = json.loads(store.read_text())
    conn = raw_conn()
    body = ";\n".join(statements) + ";"
    names = [f"{prefix}{i:05d}" for i in range(target) if f"{prefix}{i:05d}" not in existing]
    batch = 1  # one schema per transaction: a schema takes hundreds of locks
    for offset in range(0, len(names), batch):
        chunk = names[offset : offset + batch]
        with conn.transaction(), conn.cursor() as cur:
            for name in chunk:
                cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
                cur.execute(sql.SQL("SET LOCAL search_path TO {}").format(sql.Identifier(name)))
                cur.execute(body)
        Tenant.objects.bulk_create([Tenant(schema_name=name, name=name) for name in chunk])
    return {
        "seconds": time.perf_counter() - start,
        "tenants": Tenant.objects.exclude(schema_name="public").count(),
        "statements_per_schema": len(statements),
    }


def _migrate_command(executor: str) -> tuple[str, list[str], dict[str, Any]]:
    if PEER == "ours":
        from django.conf import settings

        if not settings.HAS_COMMANDS:
            raise NotAvailable(
                "pgschemas-commands (migrate over schemas) is not in the repository yet"
            )
        return "migrate", ["--executor", executor, "--noinput"], {}
    if PEER == "pgs":
        return "migrate", (["--parallel"] if executor == "parallel" else []), {}
    if PEER == "tenants":
        codename = "multiprocessing" if executor == "parallel" else "standard"
        return "migrate_schemas", ["--executor", codename, "--noinput"], {}
    raise NotAvailable("plain Django has no tenants to migrate")


def _pending() -> tuple[str, str, str, str]:
    """(app, migration name, table, column) of this app set's pending migration."""
    return PENDING[os.environ.get("BENCH_APPSET", "large")]


def _revert_pending(schemas: list[str]) -> None:
    from psycopg import sql

    app, name, table, column = _pending()
    conn = raw_conn()
    # A few schemas per transaction: thousands of ALTER TABLEs in one would exhaust the
    # server's lock table (max_locks_per_transaction).
    for offset in range(0, len(schemas), 100):
        with conn.transaction(), conn.cursor() as cur:
            for schema in schemas[offset : offset + 100]:
                cur.execute(
                    sql.SQL("ALTER TABLE {}.{} DROP COLUMN IF EXISTS {}").format(
                        sql.Identifier(schema), sql.Identifier(table), sql.Identifier(column)
                    )
                )
                cur.execute(
                    sql.SQL("DELETE FROM {}.django_migrations WHERE app = %s AND name = %s").format(
                        sql.Identifier(schema)
                    ),
                    [app, name],
                )


def act_migrate(params: dict[str, Any]) -> dict[str, Any]:
    """Time the peer's migrate over every schema; optionally with one pending migration."""
    pending = bool(params.get("pending"))
    app, pending_name, pending_table, pending_column = _pending()
    migration_file = WORK / app / "migrations" / f"{pending_name}.py"
    if pending:
        migration_file.write_text(params["pending_source"])
    try:
        django_setup()
        from django.conf import settings
        from django.core.management import call_command

        if params.get("workers"):  # ours: the parallel executor's thread count
            settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = int(params["workers"])
        name, args, kwargs = _migrate_command(params["executor"])
        schemas = [s for s in current_schemas() if s != "sample"]
        start = time.perf_counter()
        call_command(name, *args, **kwargs, **quiet())
        seconds = time.perf_counter() - start
        result: dict[str, Any] = {
            "samples": [seconds],
            "schemas": len(schemas),
            "per_tenant_ms": seconds / max(len(schemas), 1) * 1000,
        }
        if pending:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(DISTINCT table_schema) FROM information_schema.columns "
                    "WHERE table_name = %s AND column_name = %s",
                    [pending_table, pending_column],
                )
                applied = cursor.fetchone()[0]
            result["schemas_with_new_column"] = applied
            every = current_schemas()  # the clone reference too: ours migrates it as well
            _revert_pending(every)
            if applied not in (len(schemas), len(every)):
                raise RuntimeError(
                    f"pending migration applied to {applied} of {len(schemas)} tenant schemas"
                )
        return result
    finally:
        migration_file.unlink(missing_ok=True)


def _percentiles(seconds: list[float], cold: int) -> dict[str, float]:
    """p50/p99 in µs of every timed request; with ``cold`` > 0 (no warm-up), the first
    ``cold`` requests (each tenant's first in this process) apart from the rest."""

    def pick(values: list[float]) -> dict[str, float]:
        if not values:
            return {}
        ordered = sorted(values)
        at = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1e6  # noqa: E731
        return {"p50_us": at(0.50), "p99_us": at(0.99)}

    result = {f"all_{k}": v for k, v in pick(seconds).items()}
    if cold:
        result.update({f"cold_{k}": v for k, v in pick(seconds[:cold]).items()})
        result.update({f"warm_{k}": v for k, v in pick(seconds[cold:]).items()})
    return result


def _routing_cache_counts() -> tuple[int, int, int] | None:
    """(hits, misses, evictions) of our routing cache so far, None for the peers."""
    if PEER != "ours":
        return None
    try:
        from pgschemas.routing import cache_stats
    except ImportError:
        return None
    stats = cache_stats()
    return (stats.hits, stats.misses, stats.evictions)


def _hit_rates(
    start: tuple[int, int, int] | None,
    boundary: tuple[int, int, int] | None,
    end: tuple[int, int, int] | None,
) -> dict[str, float]:
    """Routing cache hit rate and evictions over the cold and the warm requests."""
    if start is None or end is None:
        return {}
    result: dict[str, float] = {}
    spans = {"all": (start, end)}
    if boundary is not None:
        spans.update({"cold": (start, boundary), "warm": (boundary, end)})
    for name, (a, b) in spans.items():
        hits, misses, evictions = (b[i] - a[i] for i in range(3))
        if hits + misses:
            result[f"{name}_cache_hit_rate"] = hits / (hits + misses)
        result[f"{name}_cache_evictions"] = evictions
    return result


def act_routing(params: dict[str, Any]) -> dict[str, Any]:
    """Requests through Django's test Client, round-robin over the routed tenants.

    ``spread``: how many of the tenants the requests go to (1: always the same tenant).
    Every answer is compared with the tenant's own data; a wrong one is an error, unless
    ``tolerate_wrong`` (through a transaction pooler, where a peer that keeps the search
    path per session may answer from another tenant's schema): then they are counted.
    """
    from psycopg import sql

    django_setup()
    from django.db import connection
    from django.test import Client

    tenants = int(params["tenants"])
    requests = int(params["requests"])
    warmup = int(params.get("warmup", 200))
    spread = int(params.get("spread", tenants))
    tolerate_wrong = bool(params.get("tolerate_wrong", False))
    hosts: list[str] = []
    expected: list[str] = []
    conn = raw_conn()
    if PEER == "plain":
        hosts = ["plain.bench.test"]
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("DELETE FROM shop_product")
            cur.execute("INSERT INTO shop_product (name, price) VALUES ('p0', 1), ('p1', 1)")
        expected = ["2"]
    else:
        Domain = domain_model()
        Tenant = tenant_model()
        prefix = params.get("prefix", "t")
        names = [f"{prefix}{i:05d}" for i in range(tenants)]
        # In bulk (the scale run routes to 10,000 tenants): a tenant that already has its
        # domain (a kept database) already has its rows too.
        by_name = {t.schema_name: t for t in Tenant.objects.filter(schema_name__in=names)}
        hosts = [f"{name}.bench.test" for name in names]
        have = set(Domain.objects.filter(domain__in=hosts).values_list("domain", flat=True))
        missing = [index for index, host in enumerate(hosts) if host not in have]
        Domain.objects.bulk_create(
            [Domain(tenant=by_name[names[i]], domain=hosts[i], is_primary=True) for i in missing],
            batch_size=1000,
        )
        for index in missing:
            name = names[index]
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(sql.SQL("DELETE FROM {}.shop_product").format(sql.Identifier(name)))
                for p in range(index % 4):
                    cur.execute(
                        sql.SQL("INSERT INTO {}.shop_product (name, price) VALUES (%s, 1)").format(
                            sql.Identifier(name)
                        ),
                        [f"p{p}"],
                    )
        expected = [str(index % 4) for index in range(tenants)]
    if spread < len(hosts):
        # The last tenants (the first one has no rows: its answer proves less).
        hosts, expected = hosts[-spread:], expected[-spread:]
    wanted = [value.encode() for value in expected]
    install_counter()
    client = Client()
    wrong = 0
    for i in range(warmup):
        response = client.get("/count/", HTTP_HOST=hosts[i % len(hosts)])
        if response.status_code == 200 and response.content != wanted[i % len(hosts)]:
            wrong += 1
            if tolerate_wrong:
                continue
        if response.status_code != 200 or response.content != wanted[i % len(hosts)]:
            body = response.content.decode(errors="replace")
            raise RuntimeError(
                f"request to {hosts[i % len(hosts)]} answered {response.status_code} {body[:200]!r}, "
                f"expected {expected[i % len(hosts)]!r}"
            )
    sets_before = getattr(connection, "pgschemas_search_path_sets", None)
    Counter.reset()
    Counter.enabled = True
    batches = []
    per_batch = max(1, requests // 10)
    done = 0
    each: list[float] = []  # seconds per timed request (p50 / p99; cold and warm)
    failures = 0
    # BENCH_PROFILE=DIR: the timed requests under cProfile, stats in DIR/routing-<peer>-...
    # (slower; for finding per-request costs, never for the published figures).
    profile_dir = os.environ.get("BENCH_PROFILE")
    profiler = None
    if profile_dir:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    counts_start = _routing_cache_counts()
    counts_boundary = None  # after each tenant's first request (cold), when no warm-up
    cold = len(hosts) if warmup == 0 else 0
    total_start = time.perf_counter()
    while done < requests:
        n = min(per_batch, requests - done)
        start = time.perf_counter()
        for i in range(done, done + n):
            if i == cold and cold:
                counts_boundary = _routing_cache_counts()
            one = time.perf_counter()
            response = client.get("/count/", HTTP_HOST=hosts[i % len(hosts)])
            each.append(time.perf_counter() - one)
            if response.status_code != 200:
                failures += 1
            elif response.content != wanted[i % len(hosts)]:
                wrong += 1
        batches.append((time.perf_counter() - start) / n * 1e6)
        done += n
    total = time.perf_counter() - total_start
    if profiler is not None:
        profiler.disable()
        Path(profile_dir).mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(Path(profile_dir) / f"routing-{PEER}-{len(hosts)}-{os.getpid()}.pstats")
    Counter.enabled = False
    if failures:
        raise RuntimeError(f"{failures} of {requests} routed requests did not answer 200")
    if wrong and not tolerate_wrong:
        raise RuntimeError(f"{wrong} of {requests} routed requests answered another tenant's data")
    result = {
        "samples": [total / requests * 1e6],
        "batch_us": batches,
        "queries_per_request": Counter.statements / requests,
        "sets_per_request": Counter.sets / requests,
        "messages_per_request": Counter.messages / requests,
        "requests": requests,
        "tenants": len(hosts),
        "wrong_answers": wrong,
        **_percentiles(each, len(hosts) if warmup == 0 else 0),
        **_hit_rates(counts_start, counts_boundary, _routing_cache_counts()),
    }
    if sets_before is not None:
        own_sets = (connection.pgschemas_search_path_sets - sets_before) / requests
        result["pgschemas_search_path_sets_per_request"] = own_sets
        # pgschemas adds its SET to the text of the next statement *below* the counting
        # cursor, which therefore sees one statement where PostgreSQL runs two. Count what
        # the server runs: the backend's own SET counter (each SET it sent is a statement;
        # a SET sent in a message of its own was already counted as one).
        travelled = max(0.0, own_sets - Counter.sets / requests)
        result["sets_per_request"] = own_sets
        result["queries_per_request"] = Counter.statements / requests + travelled
    return result


def act_catalog(params: dict[str, Any]) -> dict[str, Any]:
    django_setup()
    with raw_conn().cursor() as cur:
        relations = cur.execute("SELECT count(*) FROM pg_class").fetchone()[0]
        size = cur.execute(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'pg_catalog' "
            "AND c.relkind = 'r'"
        ).fetchone()[0]
        database = cur.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"pg_class_rows": relations, "catalog_bytes": int(size), "database_bytes": int(database)}


def progress(done: int, total: int, started: float, what: str, resumed: int = 0) -> None:
    """One progress line on stderr (the orchestrator echoes ``progress:`` lines live).

    ``resumed``: how many of ``done`` were there before ``started`` (not in the rate).
    """
    elapsed = time.perf_counter() - started
    rate = (done - resumed) / elapsed if elapsed > 0 else 0.0
    eta = (total - done) / rate if rate > 0 else float("inf")
    print(
        f"progress: {what} {done}/{total} ({rate:.1f}/s, {elapsed:.0f} s so far, ETA {eta:.0f} s)",
        file=sys.stderr,
        flush=True,
    )


def act_scale(params: dict[str, Any]) -> dict[str, Any]:
    """Bring the database to N tenants ``<prefix>00000``... by the peer's own creation.

    Resumes: tenants that already exist (a kept database of an earlier run) are counted
    and only the missing ones are created. Prints progress every ``progress_every``.
    """
    django_setup()
    if PEER == "ours":
        from django.conf import settings

        if not settings.HAS_CLONE:
            raise NotAvailable("pgschemas-clone is not in the repository yet")
    n = int(params["n"])
    budget = float(params.get("budget_seconds", 1e9))
    every = int(params.get("progress_every", 500))
    prefix = params.get("prefix", "t")
    wanted = [f"{prefix}{i:05d}" for i in range(n)]
    existing = set(
        tenant_model().objects.filter(schema_name__in=wanted).values_list("schema_name", flat=True)
    )
    missing = [name for name in wanted if name not in existing]
    start = time.perf_counter()
    created = 0
    for name in missing:
        create_tenant(name)
        created += 1
        if created % every == 0:
            progress(len(existing) + created, n, start, "tenants", len(existing))
        if time.perf_counter() - start > budget:
            break
    create_seconds = time.perf_counter() - start
    return {
        "created": len(existing) + created,
        "created_now": created,
        "resumed_from": len(existing),
        "requested": n,
        "create_seconds": create_seconds,
        "per_tenant_ms": create_seconds / max(created, 1) * 1000 if created else None,
        "complete": len(existing) + created == n,
    }


def act_catalog_paths(params: dict[str, Any]) -> dict[str, Any]:
    """Ours: the catalog-heavy paths, each timed ``reps`` times in one process (ms).

    The clone catalog read and the fingerprint of the reference, ``whowill -s :dynamic:``,
    the selector resolution alone, and the no-op migrate check (one bulk read of every
    schema's migration history, then each schema's plan).
    """
    django_setup()
    from django.conf import settings

    if not (settings.HAS_CLONE and settings.HAS_COMMANDS):
        raise NotAvailable("pgschemas-clone and pgschemas-commands are needed")
    from django.core.management import call_command
    from django.db import connection

    from pgschemas.clone.catalog import read_catalog
    from pgschemas.clone.fingerprint import schema_digest
    from pgschemas.commands.selectors import resolve_selectors
    from pgschemas.core.migration.planning import graph_loader, pending_schemas

    reps = int(params.get("reps", 3))
    reference = "sample"

    def with_cursor(fn: Any) -> Any:
        def run() -> Any:
            with connection.cursor() as cursor:
                return fn(cursor)

        return run

    def whowill() -> int:
        out = io.StringIO()
        call_command("whowill", "-s", ":dynamic:", stdout=out, stderr=io.StringIO())
        return len(out.getvalue().splitlines())

    def select() -> int:
        return len(resolve_selectors([":dynamic:"]).schemas)

    def noop_check() -> int:
        names = [s.schema_name for s in resolve_selectors([":dynamic:"]).schemas]
        loader = graph_loader()
        targets = list(loader.graph.leaf_nodes())
        pending = pending_schemas(names, "default", targets, loader)
        return sum(1 for value in pending.values() if value)

    paths = {
        "clone_catalog_read": with_cursor(lambda c: read_catalog(c, reference)),
        "fingerprint": with_cursor(lambda c: schema_digest(c, reference)),
        "whowill_dynamic": whowill,
        "selectors_dynamic": select,
        "noop_migrate_check": noop_check,
    }
    result: dict[str, Any] = {}
    for name, fn in paths.items():
        samples = []
        value = None
        for _ in range(reps):
            start = time.perf_counter()
            value = fn()
            samples.append((time.perf_counter() - start) * 1000)
        result[name] = {"samples_ms": samples, "median_ms": statistics.median(samples)}
        if isinstance(value, int):
            result[name]["count"] = value
    if result["noop_migrate_check"].get("count"):
        raise RuntimeError(
            f"{result['noop_migrate_check']['count']} schemas have pending migrations"
        )
    return result


# --------------------------------------------------------------------------- test cases


def _testcase_base(kind: str) -> Any:
    """The TestCase class a project's tests would subclass, per peer and kind."""
    if PEER == "plain":
        from django.test import TestCase

        return TestCase
    if PEER == "pgs":
        raise NotAvailable("django-pgschemas ships no test case classes")
    if PEER == "tenants":
        from django_tenants.test.cases import FastTenantTestCase, TenantTestCase

        return FastTenantTestCase if kind == "fast" else TenantTestCase
    try:
        from pgschemas.testing import TenantTestCase as OurTenantTestCase
    except ImportError as exc:
        raise NotAvailable(f"pgschemas-testing does not import: {exc}") from exc
    return OurTenantTestCase


def act_testcases(params: dict[str, Any]) -> dict[str, Any]:
    """Wall time per test of a generated unittest suite: ``classes`` classes of ``tests``
    tests, each test writing and reading one row in its tenant (plain Django: public).

    One class runs first, untimed: what a test session pays once (pgschemas-testing's
    spare schemas, django-tenants' FastTenantTestCase schema) is reported as
    ``first_class_ms``, not spread over the tests.
    """
    import unittest

    django_setup()
    from django.test.utils import setup_test_environment

    base = _testcase_base(params.get("kind", "tenant"))
    setup_test_environment()

    def body(self: Any) -> None:
        from shop.models import Category

        Category.objects.create(name="probe")
        self.assertEqual(Category.objects.count(), 1)

    def suite(prefix: str, classes: int, tests: int) -> unittest.TestSuite:
        loader = unittest.TestLoader()
        result = unittest.TestSuite()
        for index in range(classes):
            attrs: dict[str, Any] = {f"test_{t:03d}": body for t in range(tests)}
            attrs["__module__"] = __name__
            result.addTests(loader.loadTestsFromTestCase(type(f"{prefix}{index}", (base,), attrs)))
        return result

    def run(tests: unittest.TestSuite) -> float:
        start = time.perf_counter()
        outcome = unittest.TextTestRunner(stream=io.StringIO(), verbosity=0).run(tests)
        seconds = time.perf_counter() - start
        problems = outcome.errors + outcome.failures
        if problems:
            raise RuntimeError(problems[0][1][-1500:])
        return seconds

    classes, tests = int(params["classes"]), int(params["tests"])
    first = run(suite("First", 1, 1))
    samples = []
    for rep in range(int(params.get("reps", 1))):
        samples.append(run(suite(f"Rep{rep}x", classes, tests)) / (classes * tests) * 1000)
    return {"samples": samples, "first_class_ms": first * 1000}


ACTIONS = {
    "setup": act_setup,
    "makemigrations": act_makemigrations,
    "create": act_create,
    "clone_prepare": act_clone_prepare,
    "fill_spares": act_fill_spares,
    "populate": act_populate,
    "migrate": act_migrate,
    "routing": act_routing,
    "catalog": act_catalog,
    "scale": act_scale,
    "catalog_paths": act_catalog_paths,
    "testcases": act_testcases,
}


def main() -> None:
    action = ACTIONS[SPEC["action"]]
    try:
        result = action(SPEC.get("params", {}))
        result.setdefault("available", True)
    except NotAvailable as exc:
        result = {"available": False, "reason": str(exc)}
    except Exception as exc:  # reported, never hidden: the cell shows the error
        import traceback

        traceback.print_exc()
        result = {"available": True, "error": f"{type(exc).__name__}: {exc}"[:2000]}
    with contextlib.suppress(Exception):
        result.setdefault("median", statistics.median(result["samples"]))
    answer(result)


if __name__ == "__main__":
    main()
