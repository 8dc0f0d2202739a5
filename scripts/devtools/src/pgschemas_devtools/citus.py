"""Build Citus once per machine and run a local Citus cluster, for the scale-out tests.

```python
from pgschemas_devtools.citus import ensure_built, start_cluster

ensure_built()                      # no-op when citus.so and the stamp are already there
with start_cluster(workers=2) as cluster:
    print(cluster.url)              # postgresql://postgres@127.0.0.1:PORT/postgres (coordinator)
```

Citus is not on any package registry these machines reach, so its source (tarball and a
one-line patch for Debian's PostgreSQL 15 headers) sits in ``../shared/vendor/citus``
beside the clone. :func:`ensure_built` compiles it with ``nice -n 19`` in a cache folder
outside the clone, keyed by version (``/var/cache/pgschemas/citus-<version>``), installs
``citus.so`` into PostgreSQL 15's library folder and writes a stamp; later runs only check
the stamp and the library. Building and installing need root (apt packages, ``make
install`` into /usr/lib/postgresql).

A cluster is a coordinator and ``workers`` workers, each a PostgreSQL 15 on a free
loopback port with its data in one temporary folder, run as an ordinary system user
(PostgreSQL refuses root; as root we create and use ``pgschemas_citus``). Every cluster
is stopped, and its folder deleted, at interpreter exit and on SIGINT/SIGTERM, so no
postgres process outlives its owner. Only the standard library is used: ``scripts/citus``
imports this module before any virtualenv exists.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import teardown
from .teardown import stop_all

__all__ = [
    "CITUS_VERSION",
    "CitusBuildError",
    "CitusCluster",
    "Node",
    "build",
    "ensure_built",
    "is_built",
    "start_cluster",
    "stop_all",
]

CITUS_VERSION = "13.2.2"
PG_MAJOR = "15"
PG_BIN = Path(os.environ.get("PGSCHEMAS_CITUS_PG_BIN", f"/usr/lib/postgresql/{PG_MAJOR}/bin"))
#: The system user the nodes run as when we are root.
CLUSTER_USER = "pgschemas_citus"
#: Debian packages the build needs (headers, compression and auth libraries, autotools).
BUILD_PACKAGES = (
    f"postgresql-server-dev-{PG_MAJOR}",
    "liblz4-dev",
    "libzstd-dev",
    "libkrb5-dev",
    "libssl-dev",
    "libcurl4-openssl-dev",
    "libselinux1-dev",
    "libxslt1-dev",
    "libpam0g-dev",
    "libreadline-dev",
    "autoconf",
    "flex",
    "bison",
)

#: Settings of every node: Citus preloaded, schema-based sharding on, logical decoding
#: for online tenant moves, no fsync (throw-away test clusters). ``synchronous_commit``
#: stays on: with it off, a write acknowledged just before a tenant move finished was
#: missing on the new worker (the move's catch-up only sees flushed WAL).
NODE_SETTINGS: dict[str, str] = {
    "shared_preload_libraries": "'citus'",
    "citus.enable_schema_based_sharding": "on",
    "wal_level": "logical",
    "max_replication_slots": "20",
    "max_wal_senders": "20",
    "max_connections": "200",
    "shared_buffers": "64MB",
    "fsync": "off",
    "full_page_writes": "off",
    "listen_addresses": "'127.0.0.1'",
    "log_min_messages": "warning",
    # Nodes talk to each other over loopback: no TLS (and no client certificates looked up).
    "citus.node_conninfo": "'sslmode=disable'",
}


class CitusBuildError(RuntimeError):
    """Citus cannot be built or installed here (the message says why and what to do)."""


# --------------------------------------------------------------------------- build


#: Where the vendored source is looked for when the clone has no ``../shared`` beside it
#: (a CI clone in a temporary folder of the development machine).
_VENDOR_FALLBACKS = (Path("/work/shared/vendor/citus"),)


def vendor_candidates(repo: Path) -> list[Path]:
    """Folders that may hold the vendored source, in the order they are tried:
    ``$PGSCHEMAS_CITUS_VENDOR`` alone when set, else ``shared/vendor/citus`` beside the
    clone or beside any folder above it, then the development machine's own."""
    configured = os.environ.get("PGSCHEMAS_CITUS_VENDOR")
    if configured:
        return [Path(configured)]
    resolved = repo.resolve()
    found = [parent / "shared/vendor/citus" for parent in resolved.parents]
    return list(dict.fromkeys([*found, *_VENDOR_FALLBACKS]))


def vendor_dir(repo: Path) -> Path:
    """The first of :func:`vendor_candidates` holding the source tarball (else the first)."""
    candidates = vendor_candidates(repo)
    for folder in candidates:
        if (folder / f"citus-{CITUS_VERSION}.tar.gz").is_file():
            return folder
    return candidates[0]


def cache_dir() -> Path:
    """Build folder outside the clone: ``/var/cache/pgschemas/citus-<version>``."""
    root = os.environ.get("PGSCHEMAS_CITUS_CACHE", "/var/cache/pgschemas")
    return Path(root) / f"citus-{CITUS_VERSION}"


def pg_config() -> str:
    return str(PG_BIN / "pg_config")


def pkglibdir() -> Path:
    result = subprocess.run(
        [pg_config(), "--pkglibdir"], check=True, capture_output=True, text=True
    )
    return Path(result.stdout.strip())


def _stamp_text() -> str:
    version = subprocess.run(
        [pg_config(), "--version"], check=True, capture_output=True, text=True
    ).stdout.strip()
    return f"citus {CITUS_VERSION}\n{version}\n"


def stamp_path() -> Path:
    return cache_dir() / "installed.stamp"


def is_built() -> bool:
    """citus.so is in PostgreSQL's library folder and our stamp matches this version."""
    if not (PG_BIN / "pg_config").exists():
        return False
    stamp = stamp_path()
    return (
        (pkglibdir() / "citus.so").is_file()
        and stamp.is_file()
        and stamp.read_text() == _stamp_text()
    )


def _say(message: str) -> None:
    print(f"citus: {message}", file=sys.stderr, flush=True)


def _run_logged(command: list[str], log: Path, cwd: Path) -> None:
    with log.open("w") as out:
        result = subprocess.run(
            command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
    if result.returncode != 0:
        tail = "".join(log.read_text(errors="replace").splitlines(keepends=True)[-30:])
        raise CitusBuildError(
            f"`{' '.join(command)}` failed with exit code {result.returncode} "
            f"(full log: {log}):\n{tail}"
        )


#: Wait for another apt/dpkg run (e.g. an unattended upgrade) instead of failing at once.
_APT_WAIT = ("-o", "DPkg::Lock::Timeout=300")


def install_build_packages() -> None:
    """``apt-get update`` once, then the Debian packages the build needs (root only)."""
    missing = [
        name
        for name in BUILD_PACKAGES
        if subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True
        ).stdout.strip()
        != "install ok installed"
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        raise CitusBuildError(
            f"missing Debian packages {' '.join(missing)}: run as root, or "
            f"`sudo apt-get install {' '.join(missing)}`"
        )
    _say(f"apt-get install {' '.join(missing)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(
        ["apt-get", *_APT_WAIT, "update", "-qq"], check=True, env=env, stdin=subprocess.DEVNULL
    )
    subprocess.run(
        ["apt-get", *_APT_WAIT, "install", "-y", "-qq", *missing],
        check=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )


def build(repo: Path, *, jobs: int | None = None) -> float:
    """Compile and install Citus from the vendored source; returns the seconds it took."""
    started = time.monotonic()
    vendor = vendor_dir(repo)
    tarball = vendor / f"citus-{CITUS_VERSION}.tar.gz"
    patch = vendor / "pg15-minor-compat.patch"
    for path in (tarball, patch):
        if not path.is_file():
            raise CitusBuildError(
                f"{path} is missing: the Citus source was looked for in "
                f"{', '.join(str(folder) for folder in vendor_candidates(repo))} "
                "(set PGSCHEMAS_CITUS_VENDOR to its folder)"
            )
    if os.geteuid() != 0:
        raise CitusBuildError(
            "building Citus installs citus.so into PostgreSQL's library folder: run "
            "`python3 scripts/citus build` as root"
        )
    install_build_packages()
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    stamp_path().unlink(missing_ok=True)
    source_root = cache / "src"
    shutil.rmtree(source_root, ignore_errors=True)
    source_root.mkdir()
    with tarfile.open(tarball) as archive:
        archive.extractall(source_root, filter="data")
    source = source_root / f"citus-{CITUS_VERSION}"
    _run_logged(["patch", "-p1", "-i", str(patch)], cache / "patch.log", source)
    nice = ["nice", "-n", "19"]
    _say(f"configure (log: {cache / 'configure.log'})")
    _run_logged(
        [*nice, "./configure", "--without-libcurl", f"PG_CONFIG={pg_config()}"],
        cache / "configure.log",
        source,
    )
    # with_llvm=no: skip the LLVM bitcode (only used for JIT inlining), half the build.
    jobs = jobs or os.cpu_count() or 1
    _say(f"make -j{jobs}, niced; a few minutes (log: {cache / 'make.log'})")
    _run_logged([*nice, "make", f"-j{jobs}", "with_llvm=no"], cache / "make.log", source)
    _run_logged(["make", "install", "with_llvm=no"], cache / "install.log", source)
    stamp_path().write_text(_stamp_text())
    shutil.rmtree(source_root, ignore_errors=True)
    return time.monotonic() - started


def ensure_built(repo: Path) -> float | None:
    """Build Citus unless it is already installed; the build's seconds, or None."""
    if is_built():
        return None
    return build(repo)


# ------------------------------------------------------------------------- cluster


@dataclass
class Node:
    """One PostgreSQL of the cluster."""

    name: str
    port: int
    pgdata: Path
    host: str = "127.0.0.1"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/postgres"


@dataclass
class CitusCluster(teardown.StopsOnExit):
    """A running local cluster. Use :func:`start_cluster` to create one."""

    folder: Path
    coordinator: Node
    workers: list[Node]
    run_as: str | None
    _stopped: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        """``DATABASE_URL`` of the coordinator (database ``postgres``)."""
        return self.coordinator.url

    @property
    def nodes(self) -> list[Node]:
        return [self.coordinator, *self.workers]

    def psql(self, node: Node, query: str) -> str:
        """Run ``query`` on ``node`` with psql; its unaligned, tuples-only output."""
        result = subprocess.run(
            [
                str(PG_BIN / "psql"),
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                node.host,
                "-p",
                str(node.port),
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-c",
                query,
            ],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql on {node.name} failed: {query}\n{result.stderr}")
        return result.stdout.strip()

    def stop(self) -> None:
        """Stop every node (idempotent) and delete the cluster's folder."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            with teardown.signals_held():
                for node in self.nodes:
                    _stop_node(node, self.run_as)
                shutil.rmtree(self.folder, ignore_errors=True)
                teardown.forget(self)

    def __hash__(self) -> int:
        return id(self)


def _free_ports(count: int) -> list[int]:
    """``count`` distinct loopback ports free right now."""
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _cluster_user() -> str | None:
    """None (run as ourselves) unless we are root: then ``pgschemas_citus``, created once."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(CLUSTER_USER)
    except KeyError:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                CLUSTER_USER,
            ],
            check=True,
        )
    return CLUSTER_USER


def _run(command: list[str], run_as: str | None, log: Path | None = None) -> None:
    env = dict(os.environ)
    if run_as is not None:
        # The nodes' own libpq (Citus connecting to the other nodes) must not look into
        # root's home for ~/.postgresql or ~/.pgpass.
        home = pwd.getpwnam(run_as).pw_dir
        env.update(HOME=home if os.path.isdir(home) else "/tmp", USER=run_as, LOGNAME=run_as)
    result = subprocess.run(
        command,
        user=run_as,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd="/",
    )
    if result.returncode != 0:
        detail = result.stdout + result.stderr
        if log is not None and log.exists():
            detail += "\n" + log.read_text(errors="replace")[-4000:]
        raise RuntimeError(f"`{' '.join(command)}` failed ({result.returncode}):\n{detail}")


def _start_node(node: Node, run_as: str | None, settings: dict[str, str]) -> None:
    _run(
        [
            str(PG_BIN / "initdb"),
            "-D",
            str(node.pgdata),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ],
        run_as,
    )
    lines = [f"{name} = {value}" for name, value in settings.items()]
    lines += [f"port = {node.port}", f"unix_socket_directories = '{node.pgdata}'"]
    with (node.pgdata / "postgresql.conf").open("a") as conf:
        conf.write("\n# pgschemas citus test cluster\n" + "\n".join(lines) + "\n")
    log = node.pgdata.parent / f"{node.name}.log"
    _run(
        [str(PG_BIN / "pg_ctl"), "-D", str(node.pgdata), "-l", str(log), "-w", "-t", "60", "start"],
        run_as,
        log,
    )


def _stop_node(node: Node, run_as: str | None) -> None:
    if not (node.pgdata / "postmaster.pid").exists():
        return
    with contextlib.suppress(Exception):
        _run(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(node.pgdata),
                "-m",
                "fast",
                "-w",
                "-t",
                "30",
                "stop",
            ],
            run_as,
        )
    _kill_postmaster(node.pgdata)


def _kill_postmaster(pgdata: Path) -> None:
    """Last resort: SIGKILL the postmaster still serving ``pgdata`` (its children follow)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int((pgdata / "postmaster.pid").read_text().splitlines()[0])
        os.kill(pid, signal.SIGKILL)


def start_cluster(
    *,
    workers: int = 2,
    settings: dict[str, str] | None = None,
    parent: Path | None = None,
    citus: bool = True,
) -> CitusCluster:
    """Start a coordinator and ``workers`` workers with Citus, registered with each other.

    ``settings`` add to (or override) :data:`NODE_SETTINGS` on every node. ``citus=False``
    (with ``workers=0``) starts the same PostgreSQL without Citus: the single server that
    benchmarks compare the cluster with.
    """
    if not (PG_BIN / "postgres").exists():
        raise RuntimeError(
            f"PostgreSQL {PG_MAJOR} is not installed at {PG_BIN}: "
            f"`apt-get install postgresql-{PG_MAJOR}`"
        )
    if citus and not (pkglibdir() / "citus.so").is_file():
        raise RuntimeError("Citus is not installed: run `python3 scripts/citus build` (as root)")
    teardown.install_handlers()
    run_as = _cluster_user()
    folder = Path(tempfile.mkdtemp(prefix="pgschemas-citus-", dir=parent))
    folder.chmod(0o755)
    if run_as is not None:
        owner = pwd.getpwnam(run_as)
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    ports = _free_ports(workers + 1)
    names = ["coordinator", *(f"worker{i}" for i in range(1, workers + 1))]
    nodes = [Node(name, port, folder / name) for name, port in zip(names, ports, strict=True)]
    cluster = CitusCluster(folder, nodes[0], nodes[1:], run_as)
    teardown.track(cluster)
    wanted = {**NODE_SETTINGS, **(settings or {})}
    if not citus:
        wanted = {name: value for name, value in wanted.items() if "citus" not in name}
    try:
        for node in nodes:
            _start_node(node, run_as, wanted)
        if not citus:
            return cluster
        for node in nodes:
            cluster.psql(node, "CREATE EXTENSION citus")
        coordinator = cluster.coordinator
        cluster.psql(
            coordinator,
            f"SELECT citus_set_coordinator_host('{coordinator.host}', {coordinator.port})",
        )
        for worker in cluster.workers:
            cluster.psql(coordinator, f"SELECT citus_add_node('{worker.host}', {worker.port})")
    except BaseException:
        cluster.stop()
        raise
    return cluster
