"""Start and stop a real PgBouncer in front of a PostgreSQL server, for tests and benchmarks.

```python
from pgschemas_devtools.pgbouncer import start_pgbouncer

with start_pgbouncer(server_url, pool_size=1) as bouncer:   # transaction pooling
    print(bouncer.url)                                       # postgresql://postgres@127.0.0.1:PORT/postgres
```

Debian's ``pgbouncer`` (``apt-get install pgbouncer``; ``.ci/run`` installs it) listens on a
free loopback port and forwards every database name (``* = ...``) to the server, with
``pool_size`` server connections per database and user: with 1 or 2, clients are
guaranteed to share server connections, which is what transaction pooling tests need.
PgBouncer refuses to run as root: as root it runs as the owner of the server's socket
folder (the embedded server's system user) or as ``nobody``. It is stopped at interpreter
exit at the latest, so it never outlives its owner.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from . import teardown
from .database import parse_database_url

__all__ = [
    "PgBouncer",
    "PgBouncerUnavailable",
    "django_connections_through",
    "find_pgbouncer",
    "start_pgbouncer",
]

_CANDIDATES = ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer")


class PgBouncerUnavailable(RuntimeError):
    """No pgbouncer binary on this machine (the message says how to install one)."""


def find_pgbouncer() -> str:
    """Path of the pgbouncer binary, or raise :class:`PgBouncerUnavailable`."""
    found = shutil.which("pgbouncer") or next(
        (path for path in _CANDIDATES if os.access(path, os.X_OK)), None
    )
    if not found:
        raise PgBouncerUnavailable(
            "pgbouncer is not installed: `apt-get install pgbouncer` (Debian) or set "
            "PGBOUNCER=/path/to/pgbouncer"
        )
    return os.environ.get("PGBOUNCER", found)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run_as(host: str) -> str | None:
    """The user pgbouncer runs as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    if host.startswith("/"):
        owner = pwd.getpwuid(os.stat(host).st_uid).pw_name
        if owner != "root":
            return owner
    return "nobody"


class PgBouncer(teardown.StopsOnExit):
    """A running PgBouncer. Use :func:`start_pgbouncer` to create one."""

    def __init__(self, process: subprocess.Popen[bytes], folder: Path, port: int, user: str):
        self.process = process
        self.folder = folder
        self.host = "127.0.0.1"
        self.port = port
        self.user = user
        self.url = f"postgresql://{user}@127.0.0.1:{port}/postgres"

    def stop(self) -> None:
        """Stop pgbouncer (idempotent) and remove its folder."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
        teardown.forget(self)

    def log(self) -> str:
        path = self.folder / "pgbouncer.log"
        return path.read_text(errors="replace") if path.exists() else ""


def start_pgbouncer(
    server_url: str,
    *,
    pool_mode: str = "transaction",
    pool_size: int = 2,
    max_client_conn: int = 200,
    ignore_startup_parameters: str = "extra_float_digits,options,search_path",
) -> PgBouncer:
    """Start pgbouncer in front of ``server_url`` (a ``DATABASE_URL``) and wait until it answers.

    ``ignore_startup_parameters``: what it lets through (and drops) instead of refusing the
    connection; PgBouncer's own default is none of these.
    """
    binary = find_pgbouncer()
    server = parse_database_url(server_url)
    host = server["HOST"] or "127.0.0.1"
    port = _free_port()
    user = server["USER"] or "postgres"
    folder = Path(tempfile.mkdtemp(prefix="pgschemas-pgbouncer-"))
    folder.chmod(0o755)
    target = f"host={host} port={server['PORT'] or 5432} user={user}"
    if server["PASSWORD"]:
        target += f" password={server['PASSWORD']}"
    config = folder / "pgbouncer.ini"
    config.write_text(
        "\n".join(
            [
                "[databases]",
                f"* = {target}",
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                f"listen_port = {port}",
                "unix_socket_dir =",
                "auth_type = trust",
                f"auth_file = {folder / 'users.txt'}",
                f"admin_users = {user}",
                f"pool_mode = {pool_mode}",
                f"default_pool_size = {pool_size}",
                "min_pool_size = 0",
                "reserve_pool_size = 0",
                f"max_client_conn = {max_client_conn}",
                f"ignore_startup_parameters = {ignore_startup_parameters}",
                f"logfile = {folder / 'pgbouncer.log'}",
                "server_reset_query =",
                "",
            ]
        )
    )
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    for path in folder.iterdir():
        path.chmod(0o644)
    run_as = _run_as(host)
    if run_as is not None:
        os.chown(folder, pwd.getpwnam(run_as).pw_uid, -1)
    process = subprocess.Popen(
        [binary, str(config)],
        user=run_as,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    bouncer = PgBouncer(process, folder, port, user)
    teardown.install_handlers(signals=False)
    teardown.track(bouncer)
    deadline = time.monotonic() + 15
    while True:
        if process.poll() is not None:
            log = bouncer.log()
            bouncer.stop()
            raise RuntimeError(f"pgbouncer exited with {process.returncode}:\n{log}")
        with contextlib.suppress(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return bouncer
        if time.monotonic() > deadline:
            log = bouncer.log()
            bouncer.stop()
            raise RuntimeError(f"pgbouncer did not listen on port {port} within 15 s:\n{log}")
        time.sleep(0.05)


@contextlib.contextmanager
def django_connections_through(bouncer: PgBouncer, **extra: Any) -> Iterator[PgBouncer]:
    """Point every Django connection (all threads: they share the settings dict) and
    ``DATABASE_URL`` (for subprocesses) at ``bouncer`` for the block, then back.

    ``extra`` settings are applied too (e.g. ``DISABLE_SERVER_SIDE_CURSORS=True``).
    """
    from django.db import connections

    server_url = os.environ.get("DATABASE_URL", "")
    saved: dict[str, dict[str, Any]] = {}
    for alias in connections:
        connection = connections[alias]
        connection.close()
        keys = ("HOST", "PORT", *extra)
        saved[alias] = {key: connection.settings_dict.get(key) for key in keys}
        connection.settings_dict.update(HOST=bouncer.host, PORT=str(bouncer.port), **extra)
    os.environ["DATABASE_URL"] = bouncer.url
    try:
        yield bouncer
    finally:
        os.environ["DATABASE_URL"] = server_url
        for alias, values in saved.items():
            connections[alias].close()
            connections[alias].settings_dict.update(values)
