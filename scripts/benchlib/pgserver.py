"""Start one embedded PostgreSQL for a bench run; print its URL; stop on stdin EOF.

Run with the ``ours`` venv's python (it has pgschemas-devtools). The orchestrator keeps
our stdin open for the whole run and closes it at the end (also on errors and Ctrl-C),
which stops the server.

``pgserver.py keep``: the data directory is ``<repo>/.pgdata/bench-kept`` and survives the
run (``scripts/bench --keep-databases``), so a later run resumes a half-built scale
database instead of rebuilding it. It is still a throwaway bench server: not durable. It
also gets ``shared_buffers`` large enough for the catalog of 10,000 small tenants (about
550 MiB) plus their data, as a server holding that many tenants should be configured
(docs/many-tenants.md); the default 128 MiB makes every request past the first few
thousand tenants read catalog and data pages back from the operating system.
"""

import signal
import sys

import psycopg
from psycopg import sql

from pgschemas_devtools.embedded import NON_DURABLE_SETTINGS, start_server

#: The kept (scale) server's buffer cache; applied by a restart when it differs.
KEPT_SHARED_BUFFERS = "1GB"


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator decides when we stop
    keep = sys.argv[1:] == ["keep"]
    if keep:
        server = start_server(purpose="bench-kept", temporary=False, handle_signals=False)
        with psycopg.connect(server.url, autocommit=True) as conn:
            for name, value in NON_DURABLE_SETTINGS.items():
                conn.execute(
                    sql.SQL("ALTER SYSTEM SET {} = {}").format(
                        sql.Identifier(name), sql.Literal(value)
                    )
                )
            conn.execute(
                sql.SQL("ALTER SYSTEM SET shared_buffers = {}").format(
                    sql.Literal(KEPT_SHARED_BUFFERS)
                )
            )
            conn.execute("SELECT pg_reload_conf()")
            pending = conn.execute(
                "SELECT pending_restart FROM pg_settings WHERE name = 'shared_buffers'"
            ).fetchone()
        if pending and pending[0]:
            server.stop()
            server = start_server(purpose="bench-kept", temporary=False, handle_signals=False)
    else:
        server = start_server(purpose="bench", temporary=True, handle_signals=False)
    try:
        print(server.url, flush=True)
        sys.stdin.read()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
