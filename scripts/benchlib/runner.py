"""Orchestration: prepare the peers' projects, run every measurement interleaved, collect.

Each measurement is a loop ``for rep: for peer in (ours, pgs, tenants[, plain])``, every
step a fresh driver process in that peer's venv, so slow drift of the machine hits every
peer alike. Each (measurement, peer) has its own database on the one server of the run.
Routing may also run through a PgBouncer of the run (``--pooler``) and for a second
checkout of ours (``--baseline``); both are interleaved in the same loop.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import many, stats, workload
from .envs import log

HERE = Path(__file__).resolve().parent
TENANT_PEERS = ("ours", "pgs", "tenants")


@dataclass(frozen=True)
class Mode:
    name: str
    create_reps: int
    create_per_rep: int
    create_appsets: tuple[str, ...]
    migrate_sizes: tuple[int, ...]
    migrate_reps: int
    pending_reps: int
    routing_tenants: int
    routing_requests: int
    routing_warmup: int
    routing_reps: int
    scale_tenants: int = 2000
    scale_budget_seconds: float = 1200.0
    #: Which peers the scale run builds (``--scale-peers``).
    scale_peers: tuple[str, ...] = TENANT_PEERS
    executors: tuple[str, ...] = ("sequential", "parallel")
    #: Test cases: tests per class (one row each), tests per sample, samples per peer.
    testcase_per_class: tuple[int, ...] = (1, 10)
    testcase_tests: int = 40
    testcase_reps: int = 3
    #: Ours at many tenants (many.py): N, creations per kind per checkpoint, the parallel
    #: executor's worker counts for the pending migration, routing repetitions.
    many_tenants: int = 10000
    many_batch: int = 20
    many_workers: tuple[int, ...] = (1, 2, 4)
    many_routing_reps: int = 2
    #: Which parts of the many-tenants run to measure (the tenants are always grown to N
    #: first; a kept database makes that a count): see ``many.STEPS``.
    many_steps: tuple[str, ...] = ("create", "migrate-noop", "migrate-pending", "routing", "paths")


MODES = {
    "smoke": Mode(
        "smoke",
        1,
        1,
        ("small",),
        (2,),
        1,
        1,
        3,
        30,
        10,
        1,
        4,
        60.0,
        ("parallel",),
        testcase_tests=2,
        testcase_reps=1,
        many_tenants=30,
        many_batch=2,
        many_workers=(1, 2),
        many_routing_reps=1,
    ),
    "medium": Mode(
        "medium",
        3,
        1,
        ("small", "large"),
        (20, 100),
        3,
        2,
        20,
        1000,
        200,
        3,
        300,
        600.0,
        many_tenants=1000,
        many_batch=5,
    ),
    "full": Mode(
        "full", 3, 2, ("small", "large"), (100, 500), 3, 2, 20, 2000, 200, 5, 2000, 1200.0
    ),
}


def _run_driver(
    command: list[str], env: dict[str, str], logfile: Path, timeout: float
) -> tuple[int | None, str, str]:
    """Run one driver: (exit code or None on timeout, stdout, stderr).

    stderr goes to ``logfile`` as it comes, and its ``progress:`` lines (long phases of
    the scale run) are echoed on the bench's own stderr, so a long run shows where it is.
    """
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stderr is not None
    err_lines: list[str] = []

    def pump(stream: Any) -> None:
        with logfile.open("w") as out:
            for line in stream:
                err_lines.append(line)
                out.write(line)
                out.flush()
                if line.startswith("progress:"):
                    log(line.strip())

    reader = threading.Thread(target=pump, args=(proc.stderr,), daemon=True)
    reader.start()
    fired = threading.Event()

    def kill() -> None:
        fired.set()
        proc.kill()

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        stdout = proc.stdout.read()
        proc.wait()
    finally:
        timer.cancel()
    reader.join()
    return (None if fired.is_set() else proc.returncode), stdout, "".join(err_lines)


@dataclass(frozen=True)
class RoutingVariant:
    """One way of sending the routing requests (row ids ``routing<key>.*``)."""

    key: str  # "" for the first variant: its row ids are the historical ``routing.*``
    title: str
    database_url: str | None  # None: the run's server; else the run's PgBouncer
    spread: int  # how many tenants the requests go to, round robin


@dataclass
class RoutingSamples:
    """What the repetitions of one routing variant collected, per peer."""

    answers: dict[str, dict[str, Any]]
    samples: dict[str, list[float]]
    queries: dict[str, list[float]]
    sets: dict[str, list[float]]
    messages: dict[str, list[float]]
    wrong: dict[str, list[float]]
    own_counter: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def empty(cls, peers: tuple[str, ...], ready: dict[str, dict[str, Any]]) -> RoutingSamples:
        def lists() -> dict[str, list[float]]:
            return {p: [] for p in peers}

        return cls(dict(ready), lists(), lists(), lists(), lists(), lists())

    def add(self, peer: str, answer: dict[str, Any]) -> None:
        self.answers[peer] = answer
        self.samples[peer] += answer.get("samples", [])
        if "queries_per_request" in answer:
            self.queries[peer].append(answer["queries_per_request"])
            self.sets[peer].append(answer["sets_per_request"])
            if "messages_per_request" in answer:
                self.messages[peer].append(answer["messages_per_request"])
        if "wrong_answers" in answer:
            self.wrong[peer].append(answer["wrong_answers"])
        own = answer.get("pgschemas_search_path_sets_per_request")
        if own is not None:
            counter = self.own_counter.setdefault(
                peer, {"pgschemas_search_path_sets_per_request": []}
            )
            counter["pgschemas_search_path_sets_per_request"].append(own)


@dataclass
class Run:
    out: Path
    venvs: Path
    database_url: str
    mode: Mode
    seq: int = 0
    db_prefix: str = "bench_"
    databases: set[str] = field(default_factory=set)
    #: PgBouncer (transaction pooling) in front of ``database_url``, when ``--pooler``.
    pooler_url: str | None = None
    pool_size: int = 0
    #: Routing also measures the ``baseline`` peer (``--baseline DIR``).
    baseline: bool = False
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    # ------------------------------------------------------------------ plumbing

    def workdir(self, peer: str) -> Path:
        return self.out / "work" / peer

    def python(self, peer: str) -> str:
        venv = "ours" if peer == "plain" else peer
        return str(self.venvs / venv / "bin" / "python")

    def drive(
        self,
        peer: str,
        action: str,
        db: str,
        params: dict[str, Any] | None = None,
        *,
        appset: str = "large",
        clone: bool = False,
        spares: int = 0,
        timeout: float = 3600,
        database_url: str | None = None,
        env: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Run one driver process; its JSON answer (or an error answer) comes back.

        ``database_url``: the server the driver connects to (default: the run's server;
        the PgBouncer of the run for the pooled routing variants).
        """
        self.seq += 1
        if db != "postgres":
            db = db.replace("bench_", self.db_prefix, 1)
            self.databases.add(db)
        spec = {
            "peer": peer,
            "workdir": str(self.workdir(peer)),
            "action": action,
            "params": params or {},
        }
        environment = {
            **os.environ,
            **(env or {}),
            "DATABASE_URL": database_url or self.database_url,
            "BENCH_DB_NAME": db,
            "BENCH_APPSET": appset,
            "BENCH_CLONE": "1" if clone else "0",
            "BENCH_SPARES": str(spares),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        environment.pop("DJANGO_SETTINGS_MODULE", None)
        logfile = self.out / "logs" / f"{self.seq:04d}-{peer}-{action}.log"
        logfile.parent.mkdir(parents=True, exist_ok=True)
        code, stdout, stderr = _run_driver(
            [self.python(peer), str(HERE / "driver.py"), json.dumps(spec)],
            environment,
            logfile,
            timeout,
        )
        if code is None:
            return {"available": True, "error": f"timed out after {timeout:.0f} s"}
        lines = [line for line in stdout.splitlines() if line.strip()]
        if code != 0 or not lines:
            tail = stderr.strip().splitlines()[-1:] or ["no output"]
            return {"available": True, "error": f"driver exited {code}: {tail[0]}"}
        answer: dict[str, Any] = json.loads(lines[-1])
        if answer.get("error"):
            log(f"{peer} {action}: {answer['error']} (log: {logfile})")
        return answer

    def prepare(self, peers: tuple[str, ...]) -> None:
        """Copy each peer's project next to the generated apps; write its tenant migrations."""
        for peer in peers:
            work = self.workdir(peer)
            if work.exists():
                shutil.rmtree(work)
            project = "ours" if peer == "baseline" else peer
            shutil.copytree(HERE / "projects" / project, work)
            shutil.copy(HERE / "projects" / "common" / "bench_common.py", work / "bench_common.py")
            workload.write(work)
            if peer != "plain":
                (work / "customers" / "migrations").mkdir(exist_ok=True)
                (work / "customers" / "migrations" / "__init__.py").write_text("")
                answer = self.drive(peer, "makemigrations", "postgres")
                if answer.get("error"):
                    raise SystemExit(f"bench: cannot prepare {peer}'s project: {answer['error']}")

    # ------------------------------------------------------------------ results

    def add_row(
        self,
        row_id: str,
        title: str,
        unit: str,
        samples: dict[str, list[float]],
        answers: dict[str, dict[str, Any]],
        *,
        na: dict[str, str] | None = None,
        extra: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        cells: dict[str, dict[str, Any]] = {}
        for peer, answer in answers.items():
            if not answer.get("available", True):
                cells[peer] = {"status": "not available yet", "reason": answer.get("reason", "")}
            elif answer.get("error"):
                cells[peer] = {"status": "error", "error": answer["error"]}
            elif samples.get(peer):
                cells[peer] = {"status": "ok", **stats.summarize(samples[peer])}
                cells[peer]["samples"] = samples[peer]
                if extra and peer in extra:
                    cells[peer]["extra"] = extra[peer]
            else:
                cells[peer] = {"status": "error", "error": "no samples"}
        for peer, reason in (na or {}).items():
            cells[peer] = {"status": "n/a", "reason": reason}
        ours = cells.get("ours", {})
        ratios = {}
        for peer in ("pgs", "tenants", "baseline"):
            other = cells.get(peer, {})
            if ours.get("status") == "ok" and other.get("status") == "ok":
                ratios[peer] = stats.ratio(ours["median"], other["median"])
        row = {"id": row_id, "title": title, "unit": unit, "cells": cells, "ratios": ratios}
        self.rows.append(row)
        return row

    # ------------------------------------------------------------------ measurements

    def measure_create(self) -> None:
        """Tenant creation by migrations (each peer's default), one database per peer."""
        m = self.mode
        for appset in m.create_appsets:
            db = {p: f"bench_{p}_create_{appset}" for p in TENANT_PEERS}
            answers: dict[str, dict[str, Any]] = {}
            for peer in TENANT_PEERS:
                answers[peer] = self.drive(peer, "setup", db[peer], appset=appset)
            samples: dict[str, list[float]] = {p: [] for p in TENANT_PEERS}
            for rep in range(m.create_reps):
                for peer in TENANT_PEERS:
                    if answers[peer].get("error") or not answers[peer].get("available", True):
                        continue
                    names = [f"m{rep:02d}x{i:02d}" for i in range(m.create_per_rep)]
                    answer = self.drive(peer, "create", db[peer], {"names": names}, appset=appset)
                    answers[peer] = answer
                    samples[peer] += [s * 1000 for s in answer.get("samples", [])]
            self.add_row(
                f"create.migrations.{appset}",
                f"create 1 tenant by migrations ({_appset_title(appset)})",
                "ms",
                samples,
                answers,
            )

    def measure_clone(self) -> None:
        """Tenant creation from each peer's reference / base schema (verified to be a clone)."""
        m = self.mode
        for appset in m.create_appsets:
            db = {p: f"bench_{p}_clone_{appset}" for p in TENANT_PEERS}
            answers: dict[str, dict[str, Any]] = {}
            for peer in TENANT_PEERS:
                answer = self.drive(peer, "setup", db[peer], appset=appset, clone=True)
                if not answer.get("error"):
                    answer = self.drive(peer, "clone_prepare", db[peer], appset=appset, clone=True)
                answers[peer] = answer
            samples: dict[str, list[float]] = {p: [] for p in TENANT_PEERS}
            for rep in range(m.create_reps):
                for peer in TENANT_PEERS:
                    if answers[peer].get("error") or not answers[peer].get("available", True):
                        continue
                    names = [f"c{rep:02d}x{i:02d}" for i in range(m.create_per_rep)]
                    answer = self.drive(
                        peer, "create", db[peer], {"names": names}, appset=appset, clone=True
                    )
                    answers[peer] = answer
                    samples[peer] += [s * 1000 for s in answer.get("samples", [])]
            self.add_row(
                f"create.clone.{appset}",
                f"create 1 tenant by clone ({_appset_title(appset)})",
                "ms",
                samples,
                answers,
            )

    def measure_spares(self) -> None:
        """Ours only: tenants made by renaming spare clones (CLONE_SPARES) made beforehand.

        Each repetition first makes as many spares as it then creates tenants (timed
        separately: that is the cost moved out of tenant creation), then creates them.
        The peers have no equivalent; their cells say so.
        """
        m = self.mode
        na = {peer: "no spare clones in this peer" for peer in TENANT_PEERS if peer != "ours"}
        for appset in m.create_appsets:
            db = f"bench_ours_spares_{appset}"
            n = m.create_per_rep
            opts: dict[str, Any] = {"appset": appset, "clone": True, "spares": n}
            answer = self.drive("ours", "setup", db, **opts)
            if not answer.get("error"):
                answer = self.drive("ours", "clone_prepare", db, **opts)
            answers = {"ours": answer}
            fills = {"ours": answer}
            create_samples: dict[str, list[float]] = {"ours": []}
            fill_samples: dict[str, list[float]] = {"ours": []}
            for rep in range(m.create_reps):
                if answers["ours"].get("error") or not answers["ours"].get("available", True):
                    break
                fills["ours"] = self.drive("ours", "fill_spares", db, {"count": n}, **opts)
                if fills["ours"].get("error"):
                    answers["ours"] = fills["ours"]
                    break
                fill_samples["ours"] += [s * 1000 for s in fills["ours"].get("samples", [])]
                names = [f"s{rep:02d}x{i:02d}" for i in range(n)]
                answers["ours"] = self.drive("ours", "create", db, {"names": names}, **opts)
                create_samples["ours"] += [s * 1000 for s in answers["ours"].get("samples", [])]
            self.add_row(
                f"create.spare.{appset}",
                f"create 1 tenant from a spare clone, CLONE_SPARES ({_appset_title(appset)})",
                "ms",
                create_samples,
                answers,
                na=na,
            )
            self.add_row(
                f"spare.make.{appset}",
                f"make 1 spare clone ahead of time, clonespares ({_appset_title(appset)})",
                "ms",
                fill_samples,
                fills,
                na=na,
            )

    def measure_migrate(self) -> None:
        """migrate over N tenants: nothing to apply, and one pending migration."""
        m = self.mode
        db = {p: f"bench_{p}_migrate" for p in TENANT_PEERS}
        ready: dict[str, dict[str, Any]] = {}
        for peer in TENANT_PEERS:
            ready[peer] = self.drive(peer, "setup", db[peer])
        per_tenant: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
        for n in m.migrate_sizes:
            for peer in TENANT_PEERS:
                if ready[peer].get("error"):
                    continue
                answer = self.drive(peer, "populate", db[peer], {"n": n})
                if answer.get("error"):
                    ready[peer] = answer
                else:
                    log(f"{peer}: {answer['tenants']} tenants ready ({answer['seconds']:.1f} s)")
            for pending in (False, True):
                reps = m.pending_reps if pending else m.migrate_reps
                for executor in m.executors:
                    samples: dict[str, list[float]] = {p: [] for p in TENANT_PEERS}
                    answers = {p: ready[p] for p in TENANT_PEERS}
                    for _ in range(reps):
                        for peer in TENANT_PEERS:
                            if answers[peer].get("error") or not answers[peer].get(
                                "available", True
                            ):
                                continue
                            params = {"executor": executor, "pending": pending}
                            if pending:
                                params["pending_source"] = workload.PENDING_MIGRATION
                            answer = self.drive(peer, "migrate", db[peer], params)
                            answers[peer] = answer
                            samples[peer] += answer.get("samples", [])
                    kind = "one pending migration" if pending else "nothing to apply"
                    row = self.add_row(
                        f"migrate.{'pending' if pending else 'noop'}.{executor}.n{n}",
                        f"migrate {n} tenants, {kind}, {executor}",
                        "s",
                        samples,
                        answers,
                    )
                    per_tenant.setdefault(("pending" if pending else "noop", executor), {})[n] = row
        # How each grows with N: cost per tenant at each size.
        for (kind, executor), by_n in per_tenant.items():
            for n, row in by_n.items():
                cells: dict[str, dict[str, Any]] = {}
                samples = {}
                answers = {}
                for peer, cell in row["cells"].items():
                    if cell["status"] == "ok":
                        samples[peer] = [s / n * 1000 for s in cell["samples"]]
                        answers[peer] = {"available": True}
                    elif cell["status"] == "not available yet":
                        answers[peer] = {"available": False, "reason": cell["reason"]}
                    else:
                        answers[peer] = {"error": cell.get("error", "?")}
                del cells
                self.add_row(
                    f"migrate.{kind}.{executor}.per_tenant.n{n}",
                    f"  per tenant at N={n} ({kind}, {executor})",
                    "ms",
                    samples,
                    answers,
                )

    def routing_variants(self) -> list[RoutingVariant]:
        """Direct to the server, then (``--pooler``) the same through the run's PgBouncer."""
        m = self.mode
        spread = f"{m.routing_requests} requests over {m.routing_tenants} tenants"
        single = f"{m.routing_requests} requests, all to 1 tenant"
        variants = [
            RoutingVariant("", spread, None, m.routing_tenants),
            RoutingVariant(".one_tenant", single, None, 1),
        ]
        if self.pooler_url:
            via = ", through PgBouncer"  # pool mode and size: in the report's header
            variants += [
                RoutingVariant(".pgbouncer", spread + via, self.pooler_url, m.routing_tenants),
                RoutingVariant(".pgbouncer.one_tenant", single + via, self.pooler_url, 1),
            ]
        return variants

    def measure_routing(self) -> None:
        """Routed requests, round-robin over tenants; plain Django is the floor.

        Every variant (see :meth:`routing_variants`) of every peer runs once per repetition,
        interleaved: ``for rep: for variant: for peer``.
        """
        m = self.mode
        tenant_peers = (*TENANT_PEERS, "baseline") if self.baseline else TENANT_PEERS
        peers = (*tenant_peers, "plain")
        db = {p: f"bench_{p}_routing" for p in peers}
        ready: dict[str, dict[str, Any]] = {}
        for peer in peers:
            answer = self.drive(peer, "setup", db[peer], appset="small")
            if not answer.get("error") and peer != "plain":
                answer = self.drive(
                    peer, "populate", db[peer], {"n": m.routing_tenants}, appset="small"
                )
            ready[peer] = answer
        variants = self.routing_variants()
        measured = {v.key: RoutingSamples.empty(peers, ready) for v in variants}
        for _ in range(m.routing_reps):
            for variant in variants:
                got = measured[variant.key]
                params = {
                    "tenants": m.routing_tenants,
                    "requests": m.routing_requests,
                    "warmup": m.routing_warmup,
                    "spread": variant.spread,
                    # Through a transaction pooler the peers may answer with another
                    # tenant's data: counted and reported, not an error.
                    "tolerate_wrong": variant.database_url is not None,
                }
                for peer in peers:
                    if got.answers[peer].get("error") or not got.answers[peer].get(
                        "available", True
                    ):
                        continue
                    answer = self.drive(
                        peer,
                        "routing",
                        db[peer],
                        params,
                        appset="small",
                        database_url=variant.database_url,
                    )
                    got.add(peer, answer)
        for variant in variants:
            self.add_routing_rows(variant, tenant_peers, measured[variant.key])

    def add_routing_rows(
        self, variant: RoutingVariant, tenant_peers: tuple[str, ...], got: RoutingSamples
    ) -> None:
        key = variant.key
        answers = got.answers
        suffix = f" ({variant.title})" if key else ""
        row = self.add_row(
            f"routing{key}.us_per_request",
            f"request time ({variant.title})",
            "µs",
            got.samples,
            answers,
        )
        plain = row["cells"].get("plain", {})
        overhead = {}
        for peer in tenant_peers:
            if plain.get("status") == "ok" and got.samples[peer]:
                overhead[peer] = [s - plain["median"] for s in got.samples[peer]]
        self.add_row(
            f"routing{key}.overhead_us",
            "routing overhead over plain Django" + suffix,
            "µs",
            overhead,
            {p: answers[p] for p in tenant_peers},
            na={"plain": "the floor"},
        )
        self.add_row(
            f"routing{key}.queries",
            "queries per request (all statements)" + suffix,
            "queries",
            got.queries,
            answers,
        )
        self.add_row(
            f"routing{key}.sets",
            "SET search_path per request" + suffix,
            "SETs",
            got.sets,
            answers,
            extra=got.own_counter,
        )
        self.add_row(
            f"routing{key}.messages",
            "messages sent to PostgreSQL per request (round trips)" + suffix,
            "messages",
            got.messages,
            answers,
        )
        if variant.database_url is not None:
            total = self.mode.routing_warmup + self.mode.routing_requests
            self.add_row(
                f"routing{key}.wrong_answers",
                f"answers with another tenant's data (of {total} per run)" + suffix,
                "answers",
                got.wrong,
                answers,
            )

    def measure_testcases(self) -> None:
        """Per-test time of tenant test cases; plain Django's TestCase is the floor.

        Ours: pgschemas-testing's TenantTestCase. django-tenants: its TenantTestCase (one
        row) and its FastTenantTestCase (another row), side by side with the same samples
        of ours and plain. django-pgschemas has no test case classes.
        """
        m = self.mode
        runs = (("ours", "tenant"), ("tenants", "tenant"), ("tenants", "fast"), ("plain", "plain"))
        db = {p: f"bench_{p}_testcases" for p in ("ours", "tenants", "plain")}
        ready = {p: self.drive(p, "setup", db[p], appset="small") for p in db}
        na = {"pgs": "django-pgschemas ships no test case classes"}
        for per_class in m.testcase_per_class:
            params = {"classes": max(1, m.testcase_tests // per_class), "tests": per_class}
            samples: dict[tuple[str, str], list[float]] = {run: [] for run in runs}
            answers: dict[tuple[str, str], dict[str, Any]] = {run: ready[run[0]] for run in runs}
            for _ in range(m.testcase_reps):
                for peer, kind in runs:
                    if answers[(peer, kind)].get("error"):
                        continue
                    if not answers[(peer, kind)].get("available", True):
                        continue
                    answer = self.drive(
                        peer, "testcases", db[peer], {**params, "kind": kind}, appset="small"
                    )
                    answers[(peer, kind)] = answer
                    samples[(peer, kind)] += answer.get("samples", [])
            what = f"{per_class} test{'s' if per_class > 1 else ''} per class"
            for kind, row_id, name in (
                ("tenant", "tenantcase", "TenantTestCase"),
                ("fast", "fast", "FastTenantTestCase"),
            ):
                chosen = {"ours": ("ours", "tenant"), "tenants": ("tenants", kind)}
                chosen["plain"] = ("plain", "plain")
                self.add_row(
                    f"testcase.{row_id}.per_class_{per_class}",
                    f"time per test ({what}; django-tenants: {name}; plain: Django TestCase)",
                    "ms",
                    {peer: samples[run] for peer, run in chosen.items()},
                    {peer: answers[run] for peer, run in chosen.items()},
                    na=na,
                )

    def measure_scale(self) -> None:
        """N tenants by each peer's clone, then a no-op migrate and routed requests."""
        m = self.mode
        db = {p: f"bench_{p}_scale" for p in m.scale_peers}
        rows: dict[str, dict[str, dict[str, Any]]] = {
            k: {} for k in ("create", "migrate", "routing", "rss", "catalog", "pg_class")
        }
        for peer in m.scale_peers:
            # A kept database (--keep-databases) is resumed, not rebuilt.
            answer = self.drive(peer, "setup", db[peer], {"drop": False}, clone=True)
            if not answer.get("error"):
                answer = self.drive(peer, "clone_prepare", db[peer], {"resume": True}, clone=True)
            if answer.get("error") or not answer.get("available", True):
                for key in rows:
                    rows[key][peer] = answer
                continue
            created = self.drive(
                peer,
                "scale",
                db[peer],
                {
                    "n": m.scale_tenants,
                    "budget_seconds": m.scale_budget_seconds,
                    "progress_every": 250,
                },
                clone=True,
                timeout=m.scale_budget_seconds + 600,
            )
            rows["create"][peer] = created
            if created.get("error"):
                for key in rows:
                    rows[key][peer] = created
                continue
            if created.get("resumed_from"):
                self.notes.append(
                    f"scale: {peer} resumed a kept database with {created['resumed_from']} "
                    f"tenants; its creation figures are for the {created['created_now']} "
                    "created in this run."
                )
            if not created.get("complete"):
                self.notes.append(
                    f"scale: {peer} created {created['created']} of {m.scale_tenants} tenants "
                    f"within the {m.scale_budget_seconds:.0f} s budget; the rest of its scale "
                    "figures are for that many tenants."
                )
            rows["migrate"][peer] = self.drive(
                peer, "migrate", db[peer], {"executor": "parallel"}, clone=True
            )
            rows["routing"][peer] = self.drive(
                peer,
                "routing",
                db[peer],
                {"tenants": created["created"], "requests": 2 * created["created"], "warmup": 0},
                clone=True,
            )
            rows["catalog"][peer] = self.drive(peer, "catalog", db[peer], clone=True)
        n = m.scale_tenants

        def row(key: str, row_id: str, title: str, unit: str, pick: Any) -> None:
            answers = rows[key]
            samples = {
                p: [pick(a)]
                for p, a in answers.items()
                if a.get("available", True) and not a.get("error") and pick(a) is not None
            }
            self.add_row(row_id, title, unit, samples, answers)

        row(
            "create",
            "scale.create",
            f"scale: create {n} tenants by clone (wall)",
            "s",
            lambda a: a["create_seconds"],
        )
        row(
            "create",
            "scale.create_per_tenant",
            "scale: per tenant created",
            "ms",
            lambda a: a["per_tenant_ms"],
        )
        row(
            "create",
            "scale.create_rss",
            "scale: peak memory while creating",
            "MB",
            lambda a: a["peak_rss_mb"],
        )
        row(
            "migrate",
            "scale.migrate",
            "scale: no-op migrate, parallel (wall)",
            "s",
            lambda a: a["samples"][0],
        )
        row(
            "migrate",
            "scale.migrate_rss",
            "scale: peak memory of the migrate process",
            "MB",
            lambda a: a["peak_rss_mb"],
        )
        row(
            "routing",
            "scale.routing",
            "scale: request time, every tenant twice",
            "µs",
            lambda a: a["samples"][0],
        )
        row(
            "routing",
            "scale.routing_queries",
            "scale: queries per request",
            "queries",
            lambda a: a["queries_per_request"],
        )
        row(
            "catalog",
            "scale.pg_class",
            "scale: pg_class rows",
            "rows",
            lambda a: a["pg_class_rows"],
        )
        row(
            "catalog",
            "scale.catalog",
            "scale: pg_catalog tables size",
            "MB",
            lambda a: a["catalog_bytes"] / 2**20,
        )


def _appset_title(appset: str) -> str:
    return "50-model app + small app" if appset == "large" else "small app"


def run_all(run: Run, only: set[str] | None, scale: bool) -> None:
    steps = [
        ("create", run.measure_create),
        ("clone", run.measure_clone),
        ("spares", run.measure_spares),
        ("migrate", run.measure_migrate),
        ("routing", run.measure_routing),
        ("testcases", run.measure_testcases),
    ]
    if scale or (only and "scale" in only):
        steps.append(("scale", run.measure_scale))
    if scale or (only and "many" in only):
        steps.append(("many", lambda: many.measure_many(run)))
    for name, step in steps:
        if only and name not in only:
            continue
        started = time.perf_counter()
        log(f"measuring {name} ...")
        step()
        log(f"{name} done in {time.perf_counter() - started:.0f} s")
