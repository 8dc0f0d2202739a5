"""Start one PgBouncer (transaction pooling) for a bench run; print it; stop on stdin EOF.

``python pooler.py SERVER_URL POOL_SIZE``, run with the ``ours`` venv's python (it has
pgschemas-devtools). Like ``pgserver.py``: the orchestrator keeps our stdin open for the
whole run and closes it at the end (also on errors and Ctrl-C), which stops PgBouncer.
The one line printed is JSON: ``{"url": ..., "version": ...}``.
"""

import json
import signal
import subprocess
import sys

from pgschemas_devtools.pgbouncer import find_pgbouncer, start_pgbouncer


def version() -> str:
    out = subprocess.run([find_pgbouncer(), "--version"], capture_output=True, text=True)
    first = out.stdout.strip().splitlines()[:1]
    return first[0].removeprefix("PgBouncer ").strip() if first else "unknown"


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator decides when we stop
    server_url, pool_size = sys.argv[1], int(sys.argv[2])
    bouncer = start_pgbouncer(server_url, pool_mode="transaction", pool_size=pool_size)
    try:
        print(json.dumps({"url": bouncer.url, "version": version()}), flush=True)
        sys.stdin.read()
    finally:
        bouncer.stop()


if __name__ == "__main__":
    main()
