"""Virtualenvs of the run: one per peer, under ``<out>/venvs`` (git-ignored).

- ``ours``: editable installs of every ``packages/*`` distribution that installs (a
  package another engineer is still building may not yet; it is skipped with a note and
  its measurements report "not available yet"), plus ``scripts/devtools`` for the
  embedded PostgreSQL. Plain Django (the floor) also runs in this venv.
- ``pgs``: django-pgschemas from PyPI, pinned. ``tenants``: django-tenants, pinned.
- ``baseline`` (only with ``--baseline DIR``): editable installs of the ``packages/*`` of
  another checkout of this repository (e.g. an older commit), run with ``projects/ours``:
  ours before and after a change, interleaved in the same run.

Every venv gets the same Django and psycopg, and the same Python (django-pgschemas 1.3.2
needs Python 3.12+). A stamp file skips the install when nothing changed.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from pathlib import Path

from venvs import create_venv, venv_python  # scripts/venvs.py (scripts/ is on sys.path)

ROOT = Path(__file__).resolve().parent.parent.parent
DJANGO = "django>=5.2,<5.3"
PSYCOPG = "psycopg[binary]>=3.2,<4"
PINS = {
    "pgs": ["django-pgschemas==1.3.2"],
    "tenants": ["django-tenants==4.0.1"],
}
LABELS = {
    "ours": "pgschemas (this repo)",
    "pgs": "django-pgschemas 1.3.2",
    "tenants": "django-tenants 4.0.1",
    "plain": "plain Django (no tenancy)",
}
#: Meta-packages (the ``django_pgschemas`` aliases), under their current and former name.
META_PACKAGES = ("pgschemas", "django-pgschemas")


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def find_python() -> str:
    """A Python 3.12+ interpreter: $BENCH_PYTHON, else python3.13/python3.12 that runs."""
    candidates = [os.environ.get("BENCH_PYTHON", "")]
    for name in ("python3.13", "python3.12"):
        candidates.append(shutil.which(name) or "")
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[23]*/bin/python3")))
    candidates += [sys.executable]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            out = subprocess.run(
                [candidate, "-c", "import sys; print(sys.version_info >= (3, 12))"],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except OSError:
            continue
        if out.returncode == 0 and out.stdout.strip() == "True":
            return candidate
    raise SystemExit(
        "bench: no Python 3.12+ found (django-pgschemas 1.3.2 needs it). "
        "Install python3.12 or set BENCH_PYTHON=/path/to/python3.12."
    )


def _pip(venv: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(venv_python(venv)), "-m", "pip", "install", "-q", *args],
        capture_output=True,
        text=True,
    )


def _our_packages(root: Path = ROOT) -> list[Path]:
    found = []
    for pyproject in sorted((root / "packages").glob("*/pyproject.toml")):
        package = pyproject.parent
        if package.name in META_PACKAGES:
            continue  # the meta-package (django_pgschemas aliases): nothing the bench uses
        if (package / "src").is_dir():
            found.append(package)
    return found


def _stamp(venv_name: str, python: str, root: Path) -> str:
    lines = [python, DJANGO, PSYCOPG, *PINS.get(venv_name, []), str(root)]
    if venv_name in ("ours", "baseline"):
        for package in _our_packages(root):
            pyproject = package / "pyproject.toml"
            lines.append(f"{package.name}:{pyproject.stat().st_mtime_ns}")
            lines += sorted(str(p.relative_to(package)) for p in (package / "src").rglob("*.py"))
    return "\n".join(lines) + "\n"


def ensure(venvs: Path, name: str, python: str, root: Path = ROOT) -> dict[str, object]:
    """Create or refresh venv ``name``; return what is installed in it.

    ``root``: the checkout whose ``packages/*`` the ``ours``/``baseline`` venvs install.
    """
    venv = venvs / name
    stamp_file = venv / ".bench-stamp"
    stamp = _stamp(name, python, root)
    info: dict[str, object] = {"venv": str(venv)}
    if stamp_file.is_file() and stamp_file.read_text() == stamp:
        info["reused"] = True
        info["skipped"] = (
            (venv / ".bench-skipped").read_text().split()
            if (venv / ".bench-skipped").exists()
            else []
        )
        return info
    log(f"installing the {name} virtualenv ({venv})")
    if not venv_python(venv).exists():
        create_venv(venv, python=python)
    result = _pip(venv, DJANGO, PSYCOPG, *PINS.get(name, []))
    if result.returncode != 0:
        raise SystemExit(f"bench: pip failed for {name}:\n{result.stdout}\n{result.stderr}")
    skipped: list[str] = []
    if name == "ours":
        result = _pip(venv, "-e", str(ROOT / "scripts" / "devtools"))
        if result.returncode != 0:
            raise SystemExit(f"bench: pip failed for scripts/devtools:\n{result.stderr}")
    if name in ("ours", "baseline"):
        for package in _our_packages(root):
            result = _pip(venv, "--no-deps", "-e", str(package))
            if result.returncode != 0:
                skipped.append(package.name)
                log(
                    f"{package.name} does not install yet; its measurements will be 'not available yet'"
                )
    (venv / ".bench-skipped").write_text("\n".join(skipped))
    stamp_file.write_text(stamp)
    info["skipped"] = skipped
    return info


def versions(venvs: Path, name: str) -> dict[str, str]:
    code = (
        "import json, importlib.metadata as m\n"
        "out = {}\n"
        "for d in ['django', 'psycopg', 'django-pgschemas', 'django-tenants', 'pgschemas-core',"
        " 'pgschemas-routing', 'pgschemas-commands', 'pgschemas-clone']:\n"
        "    try: out[d] = m.version(d)\n"
        "    except m.PackageNotFoundError: pass\n"
        "import sys; out['python'] = sys.version.split()[0]\n"
        "print(json.dumps(out))\n"
    )
    import json

    out = subprocess.run(
        [str(venv_python(venvs / name)), "-c", code],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)
