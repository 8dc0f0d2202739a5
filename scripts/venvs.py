"""The one way the dev tooling creates a virtualenv.

Used by ``scripts/test`` (hatch), ``scripts/demo``, ``scripts/bench`` (one venv per peer,
possibly on another Python) and ``scripts/check_wheels.py`` (a fresh venv per wheel, with
uv when it is there). Each used to create venvs its own way, and a fix to one (symlinks on
Windows, the python3-venv hint on Debian) missed the others. Standard library only:
``scripts/test`` and ``scripts/demo`` import it before any environment exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

__all__ = ["VenvError", "create_venv", "venv_python"]


class VenvError(RuntimeError):
    """Creating a virtualenv failed; the message says how to fix the usual cause."""


def venv_python(path: Path) -> Path:
    """The interpreter of the virtualenv at ``path``."""
    if os.name == "nt":
        return path / "Scripts" / "python.exe"
    return path / "bin" / "python"


def _same_interpreter(python: str | Path | None) -> bool:
    if python is None:
        return True
    found = shutil.which(str(python)) or str(python)
    return os.path.realpath(found) == os.path.realpath(sys.executable)


def create_venv(
    path: Path,
    *,
    python: str | Path | None = None,
    with_pip: bool = True,
    clear: bool = False,
    uv: str | None = None,
) -> Path:
    """Create a virtualenv at ``path`` and return its interpreter.

    ``python``: the interpreter to base it on (default: the one running this code).
    ``clear``: delete whatever is at ``path`` first. ``uv``: a uv binary to use instead of
    the ``venv`` module (faster; the venv then has no pip: install with
    ``uv pip install --python``).
    """
    if clear and path.exists():
        shutil.rmtree(path)
    try:
        if uv:
            command = [uv, "venv", "--quiet", "--python", str(python or sys.executable), str(path)]
            subprocess.run(command, check=True)
        elif _same_interpreter(python):
            venv.EnvBuilder(with_pip=with_pip, symlinks=os.name != "nt").create(path)
        else:
            command = [str(python), "-m", "venv", *([] if with_pip else ["--without-pip"])]
            subprocess.run([*command, str(path)], check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        raise VenvError(
            f"creating a virtualenv in {path} failed ({exc}). On Debian/Ubuntu install the "
            "venv module first: apt-get install python3-venv"
        ) from exc
    return venv_python(path)
