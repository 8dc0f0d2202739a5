#!/usr/bin/env python3
"""Build every package into dist/, check what each wheel ships, test each wheel alone.

For every ``packages/<dist>/`` (and ``scripts/devtools``, needed by the tests):

1. build the wheel into ``dist/``;
2. check its files: ``pgschemas-<name>`` ships only ``pgschemas/<name>/...`` (never a
   ``pgschemas/__init__.py``) plus its ``.dist-info``; ``django-pgschemas`` ships
   ``django_pgschemas/...``; every package ships a ``py.typed``;
3. for each package with a ``tests/`` folder: create a fresh virtualenv, install ONLY
   that wheel (siblings resolve from ``dist/`` through ``--find-links``, the rest from
   PyPI) plus the test dependencies (pytest, pytest-django, pytest-xdist, the
   pgschemas-devtools wheel) and run the package's own tests against the shared
   database: ``DATABASE_URL`` when set, else one embedded PostgreSQL started here.

    python scripts/check_wheels.py [--keep-venvs] [pytest args, e.g. -n logical]

Exits non-zero on any failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path
from types import FrameType

ROOT = Path(os.path.abspath(__file__)).parent.parent
DIST = ROOT / "dist"
DEVTOOLS = ROOT / "scripts" / "devtools"
TEST_REQUIREMENTS = ["pytest>=8.3", "pytest-django>=4.9", "pytest-xdist[psutil]>=3.6"]


def project_name(directory: Path) -> str:
    data = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["name"])


def normalized(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def uv() -> str | None:
    candidate = Path(sys.executable).parent / "uv"
    return str(candidate) if candidate.exists() else shutil.which("uv")


def build(directory: Path) -> Path:
    name = project_name(directory)
    for old in DIST.glob(f"{normalized(name)}-*.whl"):
        old.unlink()
    uv_bin = uv()
    if uv_bin:
        command = [uv_bin, "build", "--wheel", "--out-dir", str(DIST), str(directory)]
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(DIST)]
        command.append(str(directory))
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wheels = sorted(DIST.glob(f"{normalized(name)}-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one wheel for {name} in dist/, found {wheels}")
    return wheels[0]


def check_contents(name: str, wheel: Path) -> list[str]:
    """Problems with the files of ``wheel`` (empty list when it is fine)."""
    if name == "django-pgschemas":
        allowed = ("django_pgschemas/",)
    elif name == "pgschemas-devtools":
        allowed = ("pgschemas_devtools/",)
    elif name.startswith("pgschemas-"):
        allowed = (f"pgschemas/{normalized(name.removeprefix('pgschemas-'))}/",)
    else:
        return [f"{name}: not a pgschemas distribution name"]
    problems = []
    with zipfile.ZipFile(wheel) as archive:
        files = [n for n in archive.namelist() if not n.endswith("/")]
    if "pgschemas/__init__.py" in files:
        problems.append(f"{wheel.name}: ships pgschemas/__init__.py (breaks the PEP 420 namespace)")
    for file in files:
        top = file.split("/", 1)[0]
        if top.endswith(".dist-info"):
            if not top.startswith(normalized(name) + "-"):
                problems.append(f"{wheel.name}: unexpected metadata folder {top}")
            continue
        if not file.startswith(allowed):
            problems.append(f"{wheel.name}: unexpected file {file} (only {allowed[0]}... allowed)")
    if not any(f.startswith(allowed) and f.endswith("/py.typed") for f in files):
        problems.append(f"{wheel.name}: no py.typed under {allowed[0]}")
    if not any(f.startswith(allowed) and f.endswith(".py") for f in files):
        problems.append(f"{wheel.name}: no Python module under {allowed[0]}")
    return problems


def make_venv(path: Path) -> Path:
    uv_bin = uv()
    if uv_bin:
        subprocess.run(
            [uv_bin, "venv", "--quiet", "--python", sys.executable, str(path)], check=True
        )
    else:
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
    return path / "bin" / "python"


def install(python: Path, requirements: list[str]) -> None:
    uv_bin = uv()
    if uv_bin:
        command = [uv_bin, "pip", "install", "--quiet", "--python", str(python)]
        # Our wheels keep their version between builds: never take one from uv's cache.
        for wheel in sorted(DIST.glob("*.whl")):
            command += ["--refresh-package", wheel.name.split("-", 1)[0].replace("_", "-")]
    else:
        command = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    command += ["--find-links", str(DIST), *requirements]
    subprocess.run(command, check=True)


def test_group(directory: Path) -> list[str]:
    """The package's own test-only requirements: ``[dependency-groups] test`` (PEP 735)."""
    with (directory / "pyproject.toml").open("rb") as handle:
        groups = tomllib.load(handle).get("dependency-groups", {})
    return [item for item in groups.get("test", []) if isinstance(item, str)]


def test_wheel(
    name: str, directory: Path, wheel: Path, devtools: Path, venvs: Path, pytest_args: list[str]
) -> bool:
    print(f"\n===== {name}: fresh venv, install {wheel.name} only =====", flush=True)
    python = make_venv(venvs / name)
    install(python, [str(wheel), str(devtools), *TEST_REQUIREMENTS, *test_group(directory)])
    # The package must import from the wheel, not from the checkout's src/ folder.
    config = directory / "pytest.ini"
    if not config.is_file():
        config = directory / "pyproject.toml"
    command = [
        str(python),
        "-m",
        "pytest",
        "--rootdir",
        str(directory),
        "-c",
        str(config),
        "-p",
        "no:cacheprovider",
        *pytest_args,
    ]
    print("$ " + " ".join(command), flush=True)
    proc = subprocess.Popen(command, cwd=directory, process_group=0)
    try:
        returncode = proc.wait()
    except BaseException:
        for sig in (signal.SIGINT, signal.SIGKILL):
            if proc.poll() is None:
                os.killpg(proc.pid, sig)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    continue
        raise
    return returncode == 0


def _sigterm_to_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"received {signal.Signals(signum).name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--keep-venvs", action="store_true", help="keep the test venvs (dist/venvs/<name>)"
    )
    options, pytest_args = parser.parse_known_args(argv)
    DIST.mkdir(exist_ok=True)
    packages = sorted(p for p in (ROOT / "packages").glob("*") if (p / "pyproject.toml").is_file())
    if not packages:
        print("no packages found under packages/")
        return 1

    failures: list[str] = []
    print("===== building wheels =====", flush=True)
    devtools_wheel = build(DEVTOOLS)
    failures += check_contents("pgschemas-devtools", devtools_wheel)
    wheels: dict[Path, tuple[str, Path]] = {}
    for directory in packages:
        name = project_name(directory)
        wheel = build(directory)
        problems = check_contents(name, wheel)
        print(f"{wheel.name}: {'ok' if not problems else 'BAD'}", flush=True)
        failures += problems
        wheels[directory] = (name, wheel)
    for problem in failures:
        print(f"  {problem}")

    signal.signal(signal.SIGTERM, _sigterm_to_interrupt)
    server = None
    venvs = DIST / "venvs" if options.keep_venvs else Path(tempfile.mkdtemp(prefix="pgs-wheels-"))
    results: dict[str, bool] = {}
    started = time.monotonic()
    try:
        if os.environ.get("DATABASE_URL", "").strip():
            print("Database: DATABASE_URL from the environment", flush=True)
        else:
            sys.path.insert(0, str(DEVTOOLS / "src"))
            from pgschemas_devtools.embedded import start_server

            server = start_server(purpose="wheels", temporary=True, handle_signals=False)
            os.environ["DATABASE_URL"] = server.url
            print(f"Database: embedded PostgreSQL 18 at {server.url}", flush=True)
        for directory, (name, wheel) in wheels.items():
            if not (directory / "tests").is_dir():
                print(f"\n===== {name}: no tests/ folder, wheel contents checked only =====")
                continue
            ok = test_wheel(name, directory, wheel, devtools_wheel, venvs, pytest_args)
            results[name] = ok
            if not ok:
                failures.append(f"{name}: tests failed when installed from its wheel")
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        failures.append("interrupted")
    except subprocess.CalledProcessError as exc:
        failures.append(f"command failed: {exc}")
    finally:
        if server is not None:
            server.stop()
        if not options.keep_venvs:
            shutil.rmtree(venvs, ignore_errors=True)

    print("\n===== wheel check summary =====")
    for name, ok in results.items():
        print(f"{name}: {'ok' if ok else 'FAILED'}")
    for problem in failures:
        print(f"FAILED: {problem}")
    print(f"{len(wheels)} wheels built, {len(results)} tested in {time.monotonic() - started:.1f}s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
