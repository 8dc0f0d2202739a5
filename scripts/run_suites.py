#!/usr/bin/env python3
"""Run every test suite of the monorepo, each in its own pytest process, on ONE PostgreSQL.

Suites are discovered at run time: every ``packages/*/tests`` folder and
``integration_tests/tests`` (the default run), and the slow suite ``slow``
(``integration_tests/slow_tests``: bench smoke run, wheel-only project, browser), run by
``--slow``. Each suite runs with cwd = its package folder, ``--rootdir`` = that folder
and ``-c`` = the file holding its pytest configuration (``pytest.ini``, or
``pyproject.toml`` with ``[tool.pytest.ini_options]``).

Database: ``DATABASE_URL`` when set, else one embedded PostgreSQL 18 started here,
shared by all suites (and their xdist workers) and always stopped at the end, also on
failure, Ctrl-C and SIGTERM.

Usage::

    python scripts/run_suites.py [--slow] [--suite NAME ...] [pytest args, e.g. -n logical -x]

Prints a summary per suite and a final line ``N passed, N failed[, N skipped]``; exits
non-zero when any suite fails. A suite whose pytest exits with code 5 ("no tests
collected") fails unless its ``tests`` folder holds no test files at all.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

ROOT = Path(os.path.abspath(__file__)).parent.parent
NO_TESTS_COLLECTED = 5
#: The slow suite: the sandbox project's config, its own test folder.
SLOW_SUITE = "slow"


@dataclass
class Suite:
    name: str
    directory: Path  # cwd and --rootdir
    config: Path  # -c
    tests: Path
    #: Outside the default run: selected by ``--slow`` (or by name with ``--suite``).
    slow: bool = False

    def has_test_files(self) -> bool:
        return any(
            path.name.startswith("test_") or path.name.endswith("_test.py")
            for path in self.tests.rglob("*.py")
        )


@dataclass
class Result:
    suite: Suite
    returncode: int
    seconds: float
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.notes and self.failed == 0


def pytest_config_file(directory: Path) -> Path | None:
    ini = directory / "pytest.ini"
    if ini.is_file():
        return ini
    pyproject = directory / "pyproject.toml"
    if pyproject.is_file():
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        if "ini_options" in data.get("tool", {}).get("pytest", {}):
            return pyproject
    return None


def discover(root: Path = ROOT) -> list[Suite]:
    """All suites, pgschemas-core first, the meta-package and integration tests last, then
    the slow suite."""
    candidates = sorted(p for p in (root / "packages").glob("*") if (p / "tests").is_dir())
    order = {"pgschemas-core": 0, "pgschemas": 2}
    candidates.sort(key=lambda p: (order.get(p.name, 1), p.name))
    if (root / "integration_tests" / "tests").is_dir():
        candidates.append(root / "integration_tests")
    suites = []
    for directory in candidates:
        config = pytest_config_file(directory)
        if config is None:
            raise SystemExit(
                f"{directory.relative_to(root)}: no pytest configuration "
                "(pytest.ini or [tool.pytest.ini_options] in pyproject.toml)"
            )
        suites.append(Suite(directory.name, directory, config, directory / "tests"))
    slow_tests = root / "integration_tests" / "slow_tests"
    if slow_tests.is_dir() and suites and suites[-1].name == "integration_tests":
        sandbox = suites[-1]
        suites.append(Suite(SLOW_SUITE, sandbox.directory, sandbox.config, slow_tests, slow=True))
    return suites


def count_junit(path: Path) -> tuple[int, int, int]:
    """(passed, failed, skipped) from a junit XML report; failed includes errors."""
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.iter("testsuite")
    total = failed = skipped = 0
    for suite in suites:
        total += int(suite.get("tests", 0))
        failed += int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped += int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    """Interrupt a suite's process group like Ctrl-C would, escalating if it hangs."""
    for sig, wait in ((signal.SIGINT, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run_suite(suite: Suite, pytest_args: list[str], report_dir: Path, python: str) -> Result:
    report = report_dir / f"{suite.name}.xml"
    command = [
        python,
        "-m",
        "pytest",
        "--rootdir",
        str(suite.directory),
        "-c",
        str(suite.config),
        f"--junitxml={report}",
        *pytest_args,
    ]
    if suite.slow:  # its folder is not the config's testpaths
        command.append(str(suite.tests.relative_to(suite.directory)))
    print(f"\n===== suite {suite.name} ({suite.directory.relative_to(ROOT)}) =====", flush=True)
    print("$ " + " ".join(command), flush=True)
    started = time.monotonic()
    # Own process group: Ctrl-C reaches the runner, which interrupts the suite (and its
    # xdist workers) and then stops the database, in that order.
    proc = subprocess.Popen(command, cwd=suite.directory, process_group=0)
    try:
        returncode = proc.wait()
    except BaseException:
        _terminate(proc)
        raise
    result = Result(suite, returncode, time.monotonic() - started)
    if report.is_file():
        result.passed, result.failed, result.skipped = count_junit(report)
    if returncode == NO_TESTS_COLLECTED:
        if suite.has_test_files():
            result.notes.append("no tests collected although test files exist")
    elif returncode != 0 and result.failed == 0:
        result.notes.append(f"pytest exited with code {returncode}")
    return result


def _sigterm_to_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"received {signal.Signals(signum).name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0] if __doc__ else None,
        allow_abbrev=False,
        epilog="Any other argument is passed to every pytest run.",
    )
    parser.add_argument(
        "--suite",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this suite (folder name, e.g. pgschemas-core, integration_tests; "
        f"or {SLOW_SUITE})",
    )
    parser.add_argument(
        "--slow",
        action="store_true",
        help="run the slow suite (bench smoke run, wheel-only project, browser) instead of "
        "the default suites",
    )
    parser.add_argument("--list", action="store_true", help="list the suites and exit")
    options, pytest_args = parser.parse_known_args(argv)

    suites = discover()
    if options.list:
        for suite in suites:
            where = suite.tests.relative_to(ROOT)
            print(f"{suite.name}\t{where}{' (--slow)' if suite.slow else ''}")
        return 0
    if options.suite:
        unknown = set(options.suite) - {s.name for s in suites}
        if unknown:
            parser.error(f"unknown suite(s): {', '.join(sorted(unknown))}")
        suites = [s for s in suites if s.name in options.suite]
    else:
        suites = [s for s in suites if s.slow == options.slow]
    if not suites:
        print("no test suites found (packages/*/tests, integration_tests/tests)")
        print("0 passed, 1 failed")
        return 1

    signal.signal(signal.SIGTERM, _sigterm_to_interrupt)
    server = None
    results: list[Result] = []
    interrupted = False
    started = time.monotonic()
    try:
        if os.environ.get("DATABASE_URL", "").strip():
            print(f"Database: DATABASE_URL={_describe(os.environ['DATABASE_URL'])}", flush=True)
        else:
            sys.path.insert(0, str(ROOT / "scripts" / "devtools" / "src"))
            from pgschemas_devtools.embedded import start_server

            t0 = time.monotonic()
            server = start_server(purpose="suites", temporary=True, handle_signals=False)
            os.environ["DATABASE_URL"] = server.url
            print(
                f"Database: embedded PostgreSQL 18 at {server.url} "
                f"(started in {time.monotonic() - t0:.1f}s, shared by all suites)",
                flush=True,
            )
        with tempfile.TemporaryDirectory(prefix="pgschemas-suites-") as report_dir:
            for suite in suites:
                results.append(run_suite(suite, pytest_args, Path(report_dir), sys.executable))
    except KeyboardInterrupt:
        interrupted = True
        print("\nInterrupted: suites stopped.", file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.stop()
            print("Database: embedded PostgreSQL stopped and its data removed.", flush=True)

    return report(results, interrupted=interrupted, seconds=time.monotonic() - started)


def report(results: list[Result], *, interrupted: bool, seconds: float) -> int:
    print("\n===== summary =====")
    width = max((len(r.suite.name) for r in results), default=10)
    passed = failed = skipped = 0
    for r in results:
        status = "ok" if r.ok else "FAILED"
        extra = f"  ({'; '.join(r.notes)})" if r.notes else ""
        print(
            f"{r.suite.name:<{width}}  {status:<6}  {r.passed} passed, {r.failed} failed, "
            f"{r.skipped} skipped in {r.seconds:.1f}s{extra}"
        )
        passed += r.passed
        skipped += r.skipped
        # A suite that failed without failing tests (crash, nothing collected) counts once.
        failed += r.failed if r.failed or r.ok else 1
    if interrupted:
        print("interrupted")
        failed = max(failed, 1)
    print(f"total time {seconds:.1f}s")
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line, flush=True)
    if interrupted:
        return 130
    return 0 if failed == 0 and all(r.ok for r in results) else 1


def _describe(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1))
    return urlunsplit(parts)


if __name__ == "__main__":
    sys.exit(main())
