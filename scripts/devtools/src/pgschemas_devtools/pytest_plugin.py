"""pytest plugin: one PostgreSQL per test run.

Loaded automatically through the ``pytest11`` entry point of pgschemas-devtools
(disable with ``-p no:pgschemas_devtools``).

- ``DATABASE_URL`` set: the run uses it, nothing is started.
- ``DATABASE_URL`` unset: the xdist controller (or a plain, non-xdist run) starts one
  embedded PostgreSQL 18 in a fresh ``<repo>/.pgdata/pytest-XXXX`` folder *before*
  pytest-django loads the Django settings, exports ``DATABASE_URL`` so the xdist workers
  (which inherit the controller's environment) share it, and stops it and deletes its
  data in ``pytest_unconfigure`` (also after failures and Ctrl-C; ``atexit`` and signal
  handlers are the safety net). Workers never start a server.
- ``PGSCHEMAS_TEST_POOLER=pgbouncer``: after the test databases exist, each pytest
  process (each xdist worker) starts a real PgBouncer in transaction pooling with
  ``PGSCHEMAS_TEST_POOL_SIZE`` (default 2) server connections in front of the server and
  points every Django connection, and ``DATABASE_URL`` for subprocesses, at it for the
  rest of the run; it is stopped before the test databases are dropped.
- The ``pgbouncer`` fixture starts one (transaction pooling, pool of 1) in front of the
  server for the tests that ask for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from .embedded import EmbeddedServer, start_server
from .pgbouncer import (
    PgBouncer,
    PgBouncerUnavailable,
    django_connections_through,
    find_pgbouncer,
    start_pgbouncer,
)

_server_key = pytest.StashKey[EmbeddedServer]()
_source_key = pytest.StashKey[str]()

_NO_DB_FLAGS = {"-h", "--help", "--version", "-V", "--fixtures", "--markers"}


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput") or "PYTEST_XDIST_WORKER" in os.environ


def _describe_url(url: str) -> str:
    """The URL with any password hidden."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(
    early_config: pytest.Config, parser: pytest.Parser, args: list[str]
) -> None:
    # tryfirst: runs before pytest-django's own pytest_load_initial_conftests, which
    # imports DJANGO_SETTINGS_MODULE (and so reads DATABASE_URL).
    if _is_xdist_worker(early_config):
        return
    if os.environ.get("DATABASE_URL", "").strip():
        early_config.stash[_source_key] = "DATABASE_URL"
        return
    if _NO_DB_FLAGS.intersection(args):
        return
    server = start_server(purpose="pytest", temporary=True)
    early_config.stash[_server_key] = server
    early_config.stash[_source_key] = "embedded"
    os.environ["DATABASE_URL"] = server.url


def pytest_report_header(config: pytest.Config) -> list[str]:
    source = config.stash.get(_source_key, None)
    url = _describe_url(os.environ.get("DATABASE_URL", ""))
    if source == "embedded":
        server = config.stash[_server_key]
        return [f"database: embedded PostgreSQL 18 started for this run ({url}, {server.pgdata})"]
    lines = []
    if source == "DATABASE_URL":
        lines.append(f"database: DATABASE_URL={url}")
    if _pooler_requested():
        size = os.environ.get("PGSCHEMAS_TEST_POOL_SIZE", "2")
        lines.append(f"database: through PgBouncer, transaction pooling, pool of {size}")
    return lines


def _pooler_requested() -> bool:
    return os.environ.get("PGSCHEMAS_TEST_POOLER", "").strip().lower() == "pgbouncer"


@pytest.fixture(scope="session")
def pgbouncer() -> Iterator[PgBouncer]:
    """A real PgBouncer (transaction pooling, one server connection) in front of the server.

    Skips with the reason printed where pgbouncer is not installed (CI installs it).
    """
    try:
        find_pgbouncer()
    except PgBouncerUnavailable as error:
        pytest.skip(str(error))
    with start_pgbouncer(os.environ["DATABASE_URL"], pool_size=1) as bouncer:
        yield bouncer


@pytest.fixture(scope="session", autouse=True)
def _pgschemas_through_pooler(request: pytest.FixtureRequest) -> Iterator[PgBouncer | None]:
    """Run the whole session through PgBouncer when ``PGSCHEMAS_TEST_POOLER=pgbouncer``."""
    if not _pooler_requested():
        yield None
        return
    request.getfixturevalue("django_db_setup")
    size = int(os.environ.get("PGSCHEMAS_TEST_POOL_SIZE", "2"))
    with (
        start_pgbouncer(os.environ["DATABASE_URL"], pool_size=size) as bouncer,
        django_connections_through(bouncer, DISABLE_SERVER_SIDE_CURSORS=True),
    ):
        yield bouncer


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_server_key, None)
    if server is None:
        return
    del config.stash[_server_key]
    try:
        server.stop()
    finally:
        if os.environ.get("DATABASE_URL") == server.url:
            del os.environ["DATABASE_URL"]
