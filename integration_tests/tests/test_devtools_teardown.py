"""The dev tools stop what they start when their owner is killed.

A postgres or pgbouncer outliving ``scripts/test`` after Ctrl-C or a CI timeout holds its
port and data folder and breaks the next run; ``pgschemas_devtools.teardown`` is what
prevents it. This runs a real owner process, sends it SIGTERM, and looks for leftovers.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

# The suite's autouse fixtures prepare the static schemas, which needs the test database.
pytestmark = pytest.mark.django_db

OWNER = textwrap.dedent(
    """
    import json, sys, time
    from pgschemas_devtools.embedded import start_server
    from pgschemas_devtools.pgbouncer import start_pgbouncer

    server = start_server(purpose="teardown-test", temporary=True)
    found = {"pgdata": str(server.pgdata)}
    if sys.argv[1] == "with-pgbouncer":
        bouncer = start_pgbouncer(server.url)
        found["bouncer_port"] = bouncer.port
        found["bouncer_folder"] = str(bouncer.folder)
    print(json.dumps(found), flush=True)
    time.sleep(120)
    """
)


def _postgres_serving(pgdata: str) -> bool:
    out = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
    return any(line.startswith(("postgres", "/")) and pgdata in line for line in out.splitlines())


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.parametrize("variant", ["server-only", "with-pgbouncer"])
def test_sigterm_stops_every_process_started(variant: str) -> None:
    if variant == "with-pgbouncer" and not (
        os.environ.get("PGBOUNCER")
        or shutil.which("pgbouncer")
        or Path("/usr/sbin/pgbouncer").exists()
    ):
        pytest.skip("pgbouncer is not installed (apt-get install pgbouncer)")
    owner = subprocess.Popen(
        [sys.executable, "-c", OWNER, variant],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    try:
        assert owner.stdout is not None
        line = owner.stdout.readline()
        assert line, f"the owner process did not start: {owner.communicate(timeout=30)[1]}"
        found = json.loads(line)
        assert _postgres_serving(found["pgdata"])
        if "bouncer_port" in found:
            assert _port_open(found["bouncer_port"])

        owner.send_signal(signal.SIGTERM)
        owner.wait(timeout=60)

        deadline = time.monotonic() + 10
        while _postgres_serving(found["pgdata"]) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _postgres_serving(found["pgdata"]), "postgres outlived its owner"
        assert not Path(found["pgdata"]).exists(), "the temporary data folder was left behind"
        if "bouncer_port" in found:
            assert not _port_open(found["bouncer_port"]), "pgbouncer outlived its owner"
            assert not Path(found["bouncer_folder"]).exists()
    finally:
        if owner.poll() is None:
            owner.kill()
            owner.wait()
