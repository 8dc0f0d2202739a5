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
"""

from __future__ import annotations

import os

import pytest

from .embedded import EmbeddedServer, start_server

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
    if source == "DATABASE_URL":
        return [f"database: DATABASE_URL={url}"]
    return []


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
