"""The benchmark suite's smoke mode runs end to end and fills every column.

Benchmarks are never part of the test run; this runs ``scripts/bench --smoke`` (tiny N)
against the test run's PostgreSQL so the suite cannot rot. The peers' virtualenvs are
cached in ``.bench-results/venvs`` (git-ignored): the first run installs them from PyPI.
When pgbouncer is installed, the routing rows through PgBouncer run too (``--pooler``).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pgschemas_devtools.pgbouncer import PgBouncerUnavailable, find_pgbouncer

ROOT = Path(__file__).resolve().parents[2]
PEERS = ("ours", "pgs", "tenants")


@contextmanager
def _bench_venvs() -> Iterator[Path]:
    """The shared virtualenv folder, held by one bench run at a time: two runs in
    parallel (xdist) would each build the same virtualenv and use it half made."""
    venvs = ROOT / ".bench-results" / "venvs"
    venvs.parent.mkdir(exist_ok=True)
    with open(venvs.parent / "venvs.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield venvs
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _run_bench(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``scripts/bench --smoke ARGS`` against the suite's PostgreSQL, results in tmp_path."""
    url = os.environ.get("DATABASE_URL", "")
    assert url, "the pgschemas-devtools pytest plugin exports DATABASE_URL for every suite"
    with _bench_venvs() as venvs:
        return subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "bench"),
                "--smoke",
                *args,
                "--out",
                str(tmp_path),
                "--venvs",
                str(venvs),
            ],
            env={**os.environ, "DATABASE_URL": url},
            capture_output=True,
            text=True,
            # The smoke run alone took 13 minutes on a loaded 2-core machine; a fresh
            # clone's first run also installs the peers' virtualenvs from PyPI.
            timeout=1800,
        )


def _pooler_args() -> list[str]:
    try:
        find_pgbouncer()
    except PgBouncerUnavailable as exc:
        print(f"bench smoke without --pooler: {exc}")
        return []
    return ["--pooler", "pgbouncer", "--pool-size", "2"]


def test_bench_smoke_fills_every_column(tmp_path: Path) -> None:
    pooler = _pooler_args()
    proc = _run_bench(tmp_path, *pooler)
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads((tmp_path / "latest.json").read_text())
    assert (tmp_path / "latest.md").read_text().startswith("Run `scripts/bench --smoke")

    rows = {row["id"]: row for row in result["rows"]}
    expected = {
        "create.migrations.small",
        "create.clone.small",
        "create.spare.small",
        "spare.make.small",
        "migrate.noop.parallel.n2",
        "migrate.pending.parallel.n2",
        "routing.us_per_request",
        "routing.overhead_us",
        "routing.queries",
        "routing.sets",
        "routing.one_tenant.us_per_request",
        "routing.one_tenant.sets",
        "testcase.tenantcase.per_class_1",
        "testcase.fast.per_class_1",
        "testcase.tenantcase.per_class_10",
        "testcase.fast.per_class_10",
    }
    if pooler:
        expected |= {
            "routing.pgbouncer.us_per_request",
            "routing.pgbouncer.sets",
            "routing.pgbouncer.one_tenant.us_per_request",
        }
    assert expected <= set(rows), sorted(rows)
    # Through PgBouncer the peers' wrong answers are counted (they keep the search path per
    # session); ours keeps it per transaction and must never answer another tenant's data.
    wrong = {rows.pop(r)["cells"]["ours"]["median"] for r in list(rows) if "wrong_answers" in r}
    assert wrong == ({0} if pooler else set()), wrong
    # Spare clones are ours alone: the peers' cells say they have no equivalent.
    only_ours = {"create.spare.small", "spare.make.small"}
    for row_id in only_ours:
        cells = rows.pop(row_id)["cells"]
        assert cells["ours"]["status"] == "ok", (row_id, cells["ours"])
        assert isinstance(cells["ours"]["median"], (int, float)), row_id
        assert {cells[p]["status"] for p in PEERS if p != "ours"} == {"n/a"}, (row_id, cells)
    # Test cases: django-pgschemas has none; ours, django-tenants' and plain Django's run.
    for row_id in sorted(r for r in rows if r.startswith("testcase.")):
        cells = rows.pop(row_id)["cells"]
        assert cells["pgs"]["status"] == "n/a", (row_id, cells["pgs"])
        for peer in ("ours", "tenants", "plain"):
            assert cells[peer]["status"] == "ok", (row_id, peer, cells[peer])
    for row_id, row in rows.items():
        for peer in PEERS:
            cell = row["cells"][peer]
            assert cell["status"] == "ok", (row_id, peer, cell)
            assert isinstance(cell["median"], (int, float)), (row_id, peer, cell)
        assert set(row["ratios"]) == {"pgs", "tenants"}, row_id
    for row_id in ("routing.us_per_request", "routing.queries", "routing.sets"):
        assert rows[row_id]["cells"]["plain"]["status"] == "ok", row_id
    # Every peer routed its requests with at most a couple of statements besides the view's.
    assert rows["routing.queries"]["cells"]["plain"]["median"] == 1
    # Ours sets the search path in every transaction: once per request, also when every
    # request goes to the same tenant.
    assert rows["routing.one_tenant.sets"]["cells"]["ours"]["median"] == 1
    # The pending migration really reached every tenant schema (checked by the driver,
    # which reports an error otherwise) and the run says what it ran on.
    assert result["meta"]["versions"]["pgs"]["django-pgschemas"] == "1.3.2"
    assert result["meta"]["versions"]["tenants"]["django-tenants"] == "4.0.1"
    assert result["meta"]["cpus"] >= 1 and result["meta"]["postgres"]


def test_bench_smoke_many_tenants_fills_every_row(tmp_path: Path) -> None:
    """The many-tenants run (ours alone; 30 tenants in smoke mode) measures every step:
    creation, migrate, routing with the cache hit rates, and the catalog-heavy paths."""
    proc = _run_bench(tmp_path, "--only", "many")
    assert proc.returncode == 0, proc.stderr[-4000:]
    rows = {row["id"]: row for row in json.loads((tmp_path / "latest.json").read_text())["rows"]}
    many = {row_id: row for row_id, row in rows.items() if row_id.startswith("many.")}
    for part in ("create", "migrate", "routing", "paths"):
        assert any(row_id.startswith(f"many.{part}") for row_id in many), (part, sorted(many))
    for row_id, row in many.items():
        for peer, cell in row["cells"].items():
            assert cell["status"] == "ok", (row_id, peer, cell)
    # The second pass over the tenants is answered from the routing cache.
    warm = [r for r in many if r.endswith(".warm_cache_hit_rate")]
    assert warm and all(many[r]["cells"]["ours"]["median"] == 1.0 for r in warm), warm
