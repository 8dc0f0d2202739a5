"""Get upstream's sdist (cached), lay out its sandbox tests, build upstream's own venv.

Runs under any Python 3.11+ (the caller's python3); nothing here imports Django.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
from pathlib import Path

# scripts/venvs.py (scripts/ is on sys.path)
from venvs import create_venv, find_python, venv_python

from compat_upstream.allowed_changes import apply_changes

ROOT = Path(__file__).resolve().parent.parent.parent
CACHE = ROOT / ".tools" / "compat-upstream"
UPSTREAM = "django-pgschemas"
VERSION = "1.3.2"
SDIST_NAME = f"django_pgschemas-{VERSION}.tar.gz"
# Only these members of the sdist are used: upstream's own package (django_pgschemas/)
# is left in the archive so it can never shadow ours.
EXTRACTED = ("sandbox/", "pyproject.toml")
# Upstream's development dependencies needed by its tests (its pyproject's dev group).
UPSTREAM_TEST_DEPS = (
    "django~=5.2.0",
    "psycopg[binary]",
    "pytest",
    "pytest-django",
    "pytest-asyncio",
    "pytest-xdist[psutil]",
    "channels[daphne]",
)


def download_sdist(python: Path) -> Path:
    """The sdist from PyPI, downloaded once into the cache."""
    target = CACHE / SDIST_NAME
    if target.is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    print(f"compat-upstream: downloading {UPSTREAM}=={VERSION} (sdist) from PyPI", flush=True)
    # Upstream declares Python >= 3.12; ask for the sdist as a 3.12 interpreter would.
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "download",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--python-version",
            "3.12",
            "--only-binary=:none:",
            "--dest",
            str(CACHE),
            f"{UPSTREAM}=={VERSION}",
        ],
        check=True,
    )
    if not target.is_file():
        raise SystemExit(f"compat-upstream: pip did not produce {target}")
    return target


def prepare_run_dir(sdist: Path, *, changed: bool = True) -> Path:
    """A fresh copy of upstream's sandbox, with the allowed changes applied if ``changed``
    (never for the baseline run on upstream itself)."""
    run_dir = CACHE / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    prefix = f"django_pgschemas-{VERSION}/"
    with tarfile.open(sdist) as archive:
        members = []
        for member in archive.getmembers():
            if not member.name.startswith(prefix):
                continue
            relative = member.name[len(prefix) :]
            if not relative.startswith(EXTRACTED):
                continue
            member.name = relative
            members.append(member)
        archive.extractall(run_dir, members=members, filter="data")
    if changed:
        apply_changes(run_dir)
    return run_dir


def upstream_venv(sdist: Path) -> Path:
    """A Python 3.12 virtualenv with upstream's own package and its test dependencies."""
    venv = CACHE / "venv-upstream"
    python = venv_python(venv)
    stamp = venv / ".compat-upstream"
    wanted = f"{SDIST_NAME}\n" + "\n".join(UPSTREAM_TEST_DEPS) + "\n"
    if python.exists() and stamp.is_file() and stamp.read_text() == wanted:
        return python
    python312 = find_python("3.12")
    if python312 is None:
        raise SystemExit(
            "compat-upstream --upstream needs Python 3.12 (upstream requires it): put "
            "python3.12 on PATH or install it with pyenv"
        )
    print(f"compat-upstream: creating {venv.relative_to(ROOT)} (upstream on Python 3.12)")
    create_venv(venv, python=python312, clear=True)
    subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            str(sdist),
            *UPSTREAM_TEST_DEPS,
        ],
        check=True,
    )
    stamp.write_text(wanted)
    return python
