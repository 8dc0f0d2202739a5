"""Ours at many tenants (default 10,000, small app): does anything grow with N?

One database, grown by clone towards N. At each checkpoint (100, 1,000, N) a batch of
tenants is created three ways (from a spare, by clone, by migrations) and each creation
timed. At N: ``migrate`` with nothing to apply, one pending AddField (parallel, at several
worker counts), routed requests spread over all N tenants and over 10 of them (p50/p99,
cold and warm; with the route guard on and off; plain Django as the floor), the
catalog-heavy paths, the catalog's size.

With ``--keep-databases`` the database keeps a stable name on a kept server, and a run
resumes it: the tenants already there are counted, only the missing ones are created, and
the checkpoint batches already measured (kept in ``<out>/many-checkpoints-<db>.json``)
are not measured again.
"""

from __future__ import annotations

import json
import statistics
from typing import TYPE_CHECKING, Any

from . import workload
from .envs import log

if TYPE_CHECKING:
    from .runner import Run

#: The three ways of creating a tenant, and the driver options of each.
KINDS: dict[str, dict[str, Any]] = {
    "spare": {"clone": True},
    "clone": {"clone": True},
    "migrations": {"clone": False},
}


#: The parts of the many-tenants run, in the order they run (``--many-steps``).
STEPS = ("create", "migrate-noop", "migrate-pending", "routing", "paths")


def checkpoints(n: int) -> list[int]:
    return sorted({c for c in (100, 1000) if c < n} | {n})


def _checkpoint_store(run: Run, db: str) -> Any:
    return run.out.parent / f"many-checkpoints-{db}.json"


def measure_many(run: Run) -> None:
    m = run.mode
    n = m.many_tenants
    batch = m.many_batch
    db = "bench_ours_many"
    opts: dict[str, Any] = {"appset": "small", "clone": True}
    ready = run.drive("ours", "setup", db, {"drop": False}, **opts)
    if not ready.get("error"):
        ready = run.drive("ours", "clone_prepare", db, {"resume": True}, **opts)
    if ready.get("error") or not ready.get("available", True):
        run.add_row("many.setup", f"many tenants ({n}): setup", "s", {}, {"ours": ready})
        return
    real_db = db.replace("bench_", run.db_prefix, 1)
    store = _checkpoint_store(run, real_db)
    measured: dict[str, dict[str, list[float]]] = (
        json.loads(store.read_text()) if store.exists() else {}
    )
    steps = set(m.many_steps)
    grow: dict[str, Any] = {}
    for point in checkpoints(n):
        grow = run.drive(
            "ours",
            "scale",
            db,
            {"n": point, "progress_every": 500},
            timeout=24 * 3600,
            **opts,
        )
        if grow.get("error"):
            run.add_row("many.grow", "many tenants: grow", "s", {}, {"ours": grow})
            return
        log(
            f"many: {grow['created']} tenants ({grow['created_now']} created now, "
            f"{grow['create_seconds']:.0f} s)"
        )
        key = str(point)
        if "create" not in steps:
            continue
        if key in measured:
            log(f"many: checkpoint {point} measured by an earlier run (kept)")
            continue
        measured[key] = _creation_batch(run, db, point, batch)
        store.write_text(json.dumps(measured, indent=1))
    for point in checkpoints(n) if "create" in steps else ():
        for kind in KINDS:
            samples = measured.get(str(point), {}).get(kind, [])
            run.add_row(
                f"many.create.{kind}.n{point}",
                f"create tenant number ~{point} ({kind}; median of {len(samples)})",
                "ms",
                {"ours": samples},
                {"ours": {"available": True}},
            )
    if "migrate-noop" in steps:
        _migrate_noop(run, db, n)
    if "migrate-pending" in steps:
        _migrate_pending(run, db, n)
    if "routing" in steps:
        _routing(run, db, n)
    if "paths" not in steps:
        return
    paths = run.drive("ours", "catalog_paths", db, {"reps": 3}, **opts)
    for name in (
        "clone_catalog_read",
        "fingerprint",
        "whowill_dynamic",
        "selectors_dynamic",
        "noop_migrate_check",
    ):
        got = paths.get(name, {})
        run.add_row(
            f"many.paths.{name}",
            f"{name.replace('_', ' ')} at {n} tenants",
            "ms",
            {"ours": got.get("samples_ms", [])},
            {"ours": paths},
        )
    catalog = run.drive("ours", "catalog", db, **opts)
    for key, title, unit, scale in (
        ("pg_class_rows", "pg_class rows", "rows", 1),
        ("catalog_bytes", "pg_catalog tables size", "MB", 2**20),
        ("database_bytes", "database size", "MB", 2**20),
    ):
        value = catalog.get(key)
        run.add_row(
            f"many.catalog.{key}",
            f"{title} at {n} tenants",
            unit,
            {"ours": [value / scale] if value is not None else []},
            {"ours": catalog},
        )


def _creation_batch(run: Run, db: str, point: int, batch: int) -> dict[str, list[float]]:
    """``batch`` creations of each kind at this size, each kind in one driver process
    (a process costs seconds to start on a busy machine; each creation is timed alone)."""
    samples: dict[str, list[float]] = {kind: [] for kind in KINDS}
    tag = f"{point}r{run.db_prefix.strip('_')}"
    for kind, extra in KINDS.items():
        opts: dict[str, Any] = {"appset": "small", **extra}
        if kind == "spare":
            opts["spares"] = batch
            filled = run.drive("ours", "fill_spares", db, {"count": batch}, **opts)
            if filled.get("error"):
                log(f"many: spares not made: {filled['error']}")
                continue
        names = [f"k{kind[0]}{tag}x{i:02d}" for i in range(batch)]
        got = run.drive("ours", "create", db, {"names": names}, **opts)
        if got.get("error"):
            log(f"many: {kind} creation at {point} failed: {got['error']}")
            continue
        samples[kind] += [s * 1000 for s in got["samples"]]
    medians = {k: round(statistics.median(v), 1) for k, v in samples.items() if v}
    log(f"many: creation at ~{point} tenants, median ms: {medians}")
    return samples


def _migrate_noop(run: Run, db: str, n: int) -> None:
    opts: dict[str, Any] = {"appset": "small", "clone": True}
    noop: dict[str, list[float]] = {"sequential": [], "parallel": []}
    answers: dict[str, dict[str, Any]] = {}
    for _ in range(3):
        for executor in noop:
            got = run.drive("ours", "migrate", db, {"executor": executor}, **opts)
            answers[executor] = got
            noop[executor] += got.get("samples", [])
    for executor, samples in noop.items():
        run.add_row(
            f"many.migrate.noop.{executor}",
            f"migrate {n} tenants, nothing to apply, {executor}",
            "s",
            {"ours": samples},
            {"ours": answers[executor]},
        )


def _migrate_pending(run: Run, db: str, n: int) -> None:
    opts: dict[str, Any] = {"appset": "small", "clone": True}
    for workers in run.mode.many_workers:
        executor = "sequential" if workers == 1 else "parallel"
        got = run.drive(
            "ours",
            "migrate",
            db,
            {
                "executor": executor,
                "workers": workers,
                "pending": True,
                "pending_source": workload.SMALL_PENDING_MIGRATION,
            },
            timeout=6 * 3600,
            **opts,
        )
        run.add_row(
            f"many.migrate.pending.w{workers}",
            f"migrate {n} tenants, one pending AddField, {executor} ({workers} worker"
            f"{'s' if workers > 1 else ''})",
            "s",
            {"ours": got.get("samples", [])},
            {"ours": got},
        )
        per = got.get("per_tenant_ms")
        run.add_row(
            f"many.migrate.pending.w{workers}.per_tenant",
            f"  per tenant ({workers} worker{'s' if workers > 1 else ''})",
            "ms",
            {"ours": [per] if per is not None else []},
            {"ours": got},
        )


def _routing(run: Run, db: str, n: int) -> None:
    """Requests over all N tenants and over 10 of them, guard on and off; plain Django."""
    plain = run.drive("plain", "setup", "bench_plain_many", appset="small")
    spreads = sorted({min(10, n), n})
    cells: dict[str, list[dict[str, Any]]] = {}
    for _ in range(run.mode.many_routing_reps):
        for spread in spreads:
            for guard in ("1", "0"):
                got = run.drive(
                    "ours",
                    "routing",
                    db,
                    {
                        "tenants": n,
                        "spread": spread,
                        "requests": 2 * max(spread, 1000),
                        "warmup": 0,
                    },
                    appset="small",
                    clone=True,
                    env={"BENCH_ROUTING_GUARD": guard},
                )
                cells.setdefault(f"ours.s{spread}.g{guard}", []).append(got)
        if not plain.get("error"):
            got = run.drive(
                "plain",
                "routing",
                "bench_plain_many",
                {"tenants": 1, "requests": 2000, "warmup": 0},
                appset="small",
            )
            cells.setdefault("plain", []).append(got)
    for key, answers in cells.items():
        good = [a for a in answers if not a.get("error")]
        last = answers[-1]
        for metric in (
            "all_p50_us",
            "all_p99_us",
            "cold_p50_us",
            "cold_p99_us",
            "warm_p50_us",
            "warm_p99_us",
            "cold_cache_hit_rate",
            "warm_cache_hit_rate",
            "warm_cache_evictions",
        ):
            values = [a[metric] for a in good if metric in a]
            if not values and not last.get("error"):
                continue
            peer = "plain" if key == "plain" else "ours"
            if metric.endswith("_us"):
                title, unit = f"routed GET {metric.replace('_us', '')}", "µs"
            elif metric.endswith("_hit_rate"):
                title, unit = f"routing cache hit rate, {metric.split('_')[0]} requests", "ratio"
            else:
                title, unit = "routing cache evictions, warm requests", "entries"
            run.add_row(
                f"many.routing.{key}.{metric}",
                f"{title} ({_routing_title(key, n)})",
                unit,
                {peer: values},
                {peer: last},
            )


def _routing_title(key: str, n: int) -> str:
    if key == "plain":
        return "plain Django, no tenancy"
    _ours, spread, guard = key.split(".")
    return (
        f"requests spread over {spread[1:]} of {n} tenants, route guard "
        f"{'on' if guard == 'g1' else 'off'}"
    )
