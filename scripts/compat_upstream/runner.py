"""Run the prepared upstream sandbox tests and compare with upstream's own results.

Runs inside the hatch environment `compat-upstream` (it needs pgschemas_devtools for the
embedded PostgreSQL); the tests themselves run under ``--python`` (default: this
interpreter, i.e. our packages). Called by scripts/compat-upstream.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BASELINE = HERE / "upstream-passed.txt"
RESULTS = ROOT / ".tools" / "compat-upstream"
#: Issue 13's target: this share of upstream's passing tests pass on ours.
GOAL = 0.95


def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="compat_upstream/runner.py")
    parser.add_argument("--run-dir", type=Path, required=True)
    parser.add_argument("--min-ratio", type=float, required=True)
    parser.add_argument("--workers", default="logical")
    parser.add_argument("--python", type=Path, default=None, help="upstream's interpreter")
    pytest_args = json.loads(os.environ.get("COMPAT_UPSTREAM_PYTEST_ARGS", "[]"))
    return parser.parse_args(argv), [str(arg) for arg in pytest_args]


def ensure_ours() -> None:
    """Upstream's package must not be importable here: ours provides django_pgschemas."""
    import django_pgschemas

    location = Path(django_pgschemas.__file__).resolve()
    if ROOT / "packages" not in location.parents:
        raise SystemExit(
            f"compat-upstream: django_pgschemas comes from {location}, not from "
            "packages/pgschemas; uninstall django-pgschemas from the compat-upstream "
            "environment (hatch env remove compat-upstream)"
        )


def database_env(url: str) -> dict[str, str]:
    """Upstream's settings read only DATABASE_HOST / DATABASE_PASSWORD (user postgres,
    database sandbox); the port goes through libpq's PGPORT."""
    parts = urlsplit(url)
    host = parse_qs(parts.query).get("host", [parts.hostname or ""])[0]
    env = {"DATABASE_HOST": unquote(host), "DATABASE_URL": url}
    if parts.password:
        env["DATABASE_PASSWORD"] = unquote(parts.password)
    if parts.port:
        env["PGPORT"] = str(parts.port)
    if parts.username and parts.username != "postgres":
        print(
            f"compat-upstream: upstream's settings connect as user postgres, not "
            f"{parts.username!r} from DATABASE_URL",
            flush=True,
        )
    return env


def read_junit(path: Path) -> dict[str, str]:
    """test id -> passed | failed | skipped (an error in setup or teardown is a failure)."""
    outcomes: dict[str, str] = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        test_id = f"{case.get('classname')}::{case.get('name')}"
        tags = {child.tag for child in case}
        if tags & {"failure", "error"}:
            outcome = "failed"
        elif "skipped" in tags:
            outcome = "skipped"
        else:
            outcome = "passed"
        if outcomes.get(test_id) != "failed":
            outcomes[test_id] = outcome
    return outcomes


def _module_of(test_id: str) -> str:
    """``sandbox.tests.test_checks.TestEnsure::test_x[...]`` -> ``sandbox.tests.test_checks``."""
    parts = test_id.split("::")[0].split(".")
    if parts[-1][:1].isupper():
        parts = parts[:-1]
    return ".".join(parts)


def report(outcomes: dict[str, str], upstream: bool, min_ratio: float) -> int:
    counts = Counter(outcomes.values())
    print(
        f"\ncompat-upstream: {counts['passed']} passed, {counts['failed']} failed, "
        f"{counts['skipped']} skipped (all tests, as pytest counts them)"
    )
    passed = sorted(test for test, outcome in outcomes.items() if outcome == "passed")
    if upstream:
        BASELINE.write_text("".join(f"{test}\n" for test in passed))
        print(f"compat-upstream: baseline written to {BASELINE.relative_to(ROOT)}")
        print(f"{len(passed)} passed, {counts['failed']} failed")
        return 0 if counts["failed"] == 0 else 1
    baseline = [line for line in BASELINE.read_text().splitlines() if line]
    missing = [test for test in baseline if outcomes.get(test) != "passed"]
    failed_file = RESULTS / "failed.txt"
    failed_file.write_text(
        "".join(f"{test}  [{outcomes.get(test, 'not run')}]\n" for test in missing)
    )
    by_module = Counter(_module_of(test) for test in missing)
    if missing:
        print("\nupstream's passing tests that do not pass here, by module:")
        for module, count in sorted(by_module.items()):
            print(f"  {count:4d}  {module}")
        print(f"(each one in {failed_file.relative_to(ROOT)})")
    n_passed = len(baseline) - len(missing)
    ratio = n_passed / len(baseline)
    verdict = "meets" if ratio >= min_ratio else "is BELOW"
    goal = "" if min_ratio >= GOAL else f" (the goal is {GOAL:.0%})"
    print(
        f"\ncompat-upstream: {n_passed} of the {len(baseline)} tests passing on upstream "
        f"1.3.2 pass here ({ratio:.1%}); this {verdict} the required {min_ratio:.1%}{goal}"
    )
    print(f"{n_passed} passed, {len(missing)} failed")
    return 0 if ratio >= min_ratio else 1


def main(argv: list[str]) -> int:
    args, pytest_args = parse_args(argv)
    upstream = args.python is not None
    if not upstream:
        ensure_ours()
    with ExitStack() as stack:
        url = os.environ.get("DATABASE_URL", "").strip()
        if not url:
            from pgschemas_devtools.embedded import start_server

            server = stack.enter_context(start_server(purpose="compat-upstream", temporary=True))
            url = server.url
        env = {**os.environ, **database_env(url)}
        junit = RESULTS / ("junit-upstream.xml" if upstream else "junit-ours.xml")
        junit.unlink(missing_ok=True)
        python = str(args.python or sys.executable)
        command = [
            python,
            "-m",
            "pytest",
            "sandbox/tests",
            "-n",
            args.workers,
            "-q",
            "-p",
            "no:cacheprovider",
            "--tb=no",
            # A module that fails to import must not stop the others (without xdist it would).
            "--continue-on-collection-errors",
            f"--junitxml={junit}",
            *pytest_args,
        ]
        print("$ " + " ".join(command), flush=True)
        subprocess.run(command, cwd=args.run_dir, env=env, check=False)
    if not junit.is_file():
        print("compat-upstream: pytest wrote no results (see its output above)")
        print("0 passed, 0 failed")
        return 1
    return report(read_junit(junit), upstream, args.min_ratio)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
