#!/usr/bin/env python3
"""mypy --strict on every package's sources (packages/*/src) and scripts/devtools/src.

The sources live in separate src/ folders that together form the `pgschemas` PEP 420
namespace, so all of them go on MYPYPATH and mypy maps files to modules through
`explicit_package_bases` (configured in the root pyproject.toml). Extra arguments are
passed to mypy.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(os.path.abspath(__file__)).parent.parent


def main(argv: list[str]) -> int:
    sources = sorted(p for p in (ROOT / "packages").glob("*/src") if p.is_dir())
    sources.append(ROOT / "scripts" / "devtools" / "src")
    env = dict(os.environ, MYPYPATH=os.pathsep.join(str(p) for p in sources))
    command = [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml")]
    command += [*argv, *(str(p.relative_to(ROOT)) for p in sources)]
    print("$ MYPYPATH=<all src dirs> " + " ".join(command[1:]), flush=True)
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
