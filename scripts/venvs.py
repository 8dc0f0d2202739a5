"""The one way the dev tooling creates a virtualenv and finds another Python.

Used by ``scripts/test`` (hatch), ``scripts/demo``, ``scripts/bench`` (one venv per peer,
possibly on another Python), ``scripts/check_wheels.py`` (a fresh venv per wheel, with
uv when it is there), ``scripts/compat-upstream`` (upstream's own venv on Python 3.12) and
the slow suite's wheel-only project. Each used to create venvs its own way, and a fix to
one (symlinks on Windows, the python3-venv hint on Debian) missed the others. Standard
library only: ``scripts/test`` and ``scripts/demo`` import it before any environment
exists.

``python3 scripts/venvs.py find-python 3.12`` prints a Python 3.12 interpreter (exit
status 1 when there is none): how ``.ci/run`` finds the Django 6 matrix entry's Python.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

__all__ = ["VenvError", "create_venv", "find_python", "venv_python"]


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


def find_python(version: str) -> Path | None:
    """A working interpreter of Python ``version`` (e.g. ``"3.12"``), or None.

    pyenv's installed versions first (newest patch release first), then ``pythonX.Y`` on
    PATH. Each candidate is run once before it is returned: a pyenv shim on PATH exists
    even when that version is not selected, and then fails.
    """
    pyenv_root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = sorted(
        pyenv_root.glob(f"versions/{version}.*/bin/python{version}"),
        key=lambda path: [int(p) if p.isdigit() else 0 for p in path.parent.parent.name.split(".")],
        reverse=True,
    )
    on_path = shutil.which(f"python{version}")
    if on_path:
        candidates.append(Path(on_path))
    probe = f"import sys; sys.exit(sys.version_info[:2] != {tuple(map(int, version.split('.')))})"
    for candidate in candidates:
        result = subprocess.run([str(candidate), "-c", probe], capture_output=True, check=False)
        if result.returncode == 0:
            return candidate
    return None


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "find-python":
        found = find_python(argv[1])
        if found is None:
            print(f"no working python{argv[1]} (pyenv or PATH)", file=sys.stderr)
            return 1
        print(found)
        return 0
    print("usage: python3 scripts/venvs.py find-python X.Y", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
