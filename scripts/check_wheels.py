#!/usr/bin/env python3
"""Build every package into dist/, check what each wheel ships, test each wheel alone.

For every ``packages/<dist>/`` (and ``scripts/devtools``, needed by the tests):

1. build the sdist into ``dist/``, then the wheel from that sdist (so the sdist is
   known to be complete);
2. check the name: ``pgschemas`` (the meta-package) or ``pgschemas-<name>``, never a
   name another project owns on PyPI (``FOREIGN_NAMES``, e.g. upstream's
   ``django-pgschemas``);
3. check the wheel's files: ``pgschemas-<name>`` ships only ``pgschemas/<name>/...``
   (never a ``pgschemas/__init__.py``) plus its ``.dist-info``; the meta-package
   ``pgschemas`` ships only the ``django_pgschemas/...`` compatibility layer; every
   package ships a ``py.typed``; no two wheels ship the same file; the wheel's
   ``.dist-info/licenses/LICENSE`` and the sdist's ``LICENSE`` are the repository's
   LICENSE;
4. for each package with a ``tests/`` folder: create a fresh virtualenv, install ONLY
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
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path
from types import FrameType

from venvs import create_venv  # scripts/venvs.py (this script's folder)

ROOT = Path(os.path.abspath(__file__)).parent.parent
DIST = ROOT / "dist"
DEVTOOLS = ROOT / "scripts" / "devtools"
TEST_REQUIREMENTS = ["pytest>=8.3", "pytest-django>=4.9", "pytest-xdist[psutil]>=3.6"]
LICENSE = ROOT / "LICENSE"
#: The meta-package's distribution name (it ships the django_pgschemas layer).
META = "pgschemas"
#: Distribution names other projects own on PyPI: none of ours may take one (the meta
#: package was once called django-pgschemas, which is the upstream project's name).
FOREIGN_NAMES = frozenset({"django-pgschemas", "django-tenants"})


def project_name(directory: Path) -> str:
    data = tomllib.loads((directory / "pyproject.toml").read_text(encoding="utf-8"))
    return str(data["project"]["name"])


def normalized(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def uv() -> str | None:
    candidate = Path(sys.executable).parent / "uv"
    return str(candidate) if candidate.exists() else shutil.which("uv")


def build(directory: Path) -> tuple[Path, Path | None]:
    """Build ``directory`` into dist/: (wheel, sdist), the wheel from the sdist when uv runs.

    Without uv (plain pip) no sdist is built and its checks are skipped (said once below).
    """
    name = normalized(project_name(directory))
    for old in [*DIST.glob(f"{name}-*.whl"), *DIST.glob(f"{name}-*.tar.gz")]:
        old.unlink()
    uv_bin = uv()
    if uv_bin:
        # No --wheel/--sdist: uv builds the sdist, then the wheel from the unpacked sdist.
        command = [uv_bin, "build", "--out-dir", str(DIST), str(directory)]
    else:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(DIST)]
        command.append(str(directory))
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wheels = sorted(DIST.glob(f"{name}-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one wheel for {name} in dist/, found {wheels}")
    sdists = sorted(DIST.glob(f"{name}-*.tar.gz"))
    if uv_bin and len(sdists) != 1:
        raise RuntimeError(f"expected one sdist for {name} in dist/, found {sdists}")
    return wheels[0], (sdists[0] if sdists else None)


def check_name(name: str) -> list[str]:
    """Problems with a distribution name: ours are ``pgschemas`` and ``pgschemas-*``."""
    canonical = name.lower().replace("_", "-").replace(".", "-")
    if canonical in FOREIGN_NAMES:
        return [f"{name}: this name belongs to another project on PyPI; pick a pgschemas-* name"]
    if canonical != META and not canonical.startswith("pgschemas-"):
        return [f"{name}: not a pgschemas distribution name (pgschemas or pgschemas-<name>)"]
    return []


def check_license_in_wheel(wheel: Path) -> list[str]:
    """The wheel's ``.dist-info/licenses/LICENSE`` is the repository's LICENSE."""
    expected = LICENSE.read_bytes()
    with zipfile.ZipFile(wheel) as archive:
        found = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        if len(found) != 1:
            return [
                f"{wheel.name}: no .dist-info/licenses/LICENSE (add LICENSE next to pyproject.toml)"
            ]
        if archive.read(found[0]) != expected:
            return [f"{wheel.name}: {found[0]} differs from the repository's LICENSE"]
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        fields = archive.read(metadata).decode("utf-8").split("\n\n", 1)[0].splitlines()
    if "License-File: LICENSE" not in fields:
        return [f"{wheel.name}: METADATA does not declare License-File: LICENSE"]
    return []


def check_license_in_sdist(sdist: Path) -> list[str]:
    """The sdist ships ``<name>-<version>/LICENSE``, the repository's LICENSE."""
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.name.count("/") == 1]
        license_file = next((m for m in members if m.name.endswith("/LICENSE")), None)
        if license_file is None:
            return [f"{sdist.name}: no LICENSE at the top of the sdist"]
        handle = archive.extractfile(license_file)
        content = handle.read() if handle else b""
    if content != LICENSE.read_bytes():
        return [f"{sdist.name}: LICENSE differs from the repository's LICENSE"]
    return []


def check_no_shared_files(wheels: dict[str, Path]) -> list[str]:
    """No two wheels ship the same file (one would overwrite the other when installed)."""
    owners: dict[str, str] = {}
    problems = []
    for name, wheel in wheels.items():
        with zipfile.ZipFile(wheel) as archive:
            for file in archive.namelist():
                if file.endswith("/") or file.split("/", 1)[0].endswith(".dist-info"):
                    continue
                if file in owners:
                    problems.append(f"{file}: shipped by both {owners[file]} and {name}")
                owners.setdefault(file, name)
    return problems


def check_contents(name: str, wheel: Path) -> list[str]:
    """Problems with the files of ``wheel`` (empty list when it is fine)."""
    problems = check_name(name)
    if problems:
        return problems
    if name == META:
        allowed = ("django_pgschemas/",)
    elif name == "pgschemas-devtools":
        allowed = ("pgschemas_devtools/",)
    else:
        allowed = (f"pgschemas/{normalized(name.removeprefix('pgschemas-'))}/",)
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
    return create_venv(path, uv=uv())


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
    print("===== building sdists and wheels =====", flush=True)
    if uv() is None:
        print("uv not found: wheels built with pip, no sdists built or checked", flush=True)
    wheels: dict[Path, tuple[str, Path]] = {}
    devtools_wheel = Path()
    for directory in [DEVTOOLS, *packages]:
        name = project_name(directory)
        wheel, sdist = build(directory)
        problems = check_contents(name, wheel) + check_license_in_wheel(wheel)
        if sdist is not None:
            problems += check_license_in_sdist(sdist)
        built = wheel.name + (f", {sdist.name}" if sdist else "")
        print(f"{built}: {'ok' if not problems else 'BAD'}", flush=True)
        failures += problems
        if directory == DEVTOOLS:
            devtools_wheel = wheel
        else:
            wheels[directory] = (name, wheel)
    failures += check_no_shared_files(
        dict(wheels.values()) | {"pgschemas-devtools": devtools_wheel}
    )
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
