"""Start one embedded PostgreSQL for a bench run; print its URL; stop on stdin EOF.

Run with the ``ours`` venv's python (it has pgschemas-devtools). The orchestrator keeps
our stdin open for the whole run and closes it at the end (also on errors and Ctrl-C),
which stops the server.
"""

import signal
import sys

from pgschemas_devtools.embedded import start_server


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator decides when we stop
    server = start_server(purpose="bench", temporary=True, handle_signals=False)
    try:
        print(server.url, flush=True)
        sys.stdin.read()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
