"""Django ``DATABASES`` entries built from ``DATABASE_URL``.

Accepted URLs::

    postgresql://postgres:@/postgres?host=/path/to/socket/dir   (unix socket, embedded server)
    postgresql://postgres@127.0.0.1:5432/postgres                (TCP)
    postgres://user:secret@db.example.com/postgres?sslmode=require

Only the server part of the URL is used: the database name comes from the ``name``
argument, so each suite gets its own database on the shared server. Query parameters
other than ``host``/``port``/``user``/``password`` become ``OPTIONS`` (libpq keywords).
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["DEFAULT_ENGINE", "DatabaseURLError", "database_settings", "parse_database_url"]

DEFAULT_ENGINE = "pgschemas.core.postgresql"

#: HOST used when DATABASE_URL is unset: libpq fails to connect to it and its error
#: message (which quotes the socket path) tells the reader what to do.
UNSET_HOST = "/DATABASE_URL is not set; export DATABASE_URL=postgresql://user@host:5432/db"

_SCHEMES = {"postgres", "postgresql", "pgsql", "postgis"}


class DatabaseURLError(ValueError):
    """DATABASE_URL cannot be understood."""


def parse_database_url(url: str) -> dict[str, Any]:
    """Split a PostgreSQL URL into Django's HOST/PORT/USER/PASSWORD/NAME/OPTIONS."""
    parts = urlsplit(url)
    if parts.scheme not in _SCHEMES:
        raise DatabaseURLError(
            f"DATABASE_URL must start with postgresql:// (got scheme {parts.scheme!r} in {url!r})"
        )
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    host = query.pop("host", "") or unquote(parts.hostname or "")
    if parts.netloc and "[" in parts.netloc:  # IPv6 literal keeps its original case
        host = parts.netloc.rsplit("@", 1)[-1].split("]")[0].lstrip("[")
    try:
        url_port = parts.port
    except ValueError as exc:
        raise DatabaseURLError(f"DATABASE_URL has an invalid port: {url!r}") from exc
    port = query.pop("port", "") or (str(url_port) if url_port else "")
    user = query.pop("user", "") or unquote(parts.username or "")
    password = query.pop("password", "") or unquote(parts.password or "")
    name = unquote(parts.path.lstrip("/"))
    return {
        "NAME": name,
        "USER": user,
        "PASSWORD": password,
        "HOST": host,
        "PORT": port,
        "OPTIONS": query,
    }


def database_settings(name: str, **overrides: Any) -> dict[str, Any]:
    """A ``DATABASES["default"]`` dict for database ``name`` on the ``DATABASE_URL`` server.

    ``ENGINE`` defaults to ``pgschemas.core.postgresql``; ``TEST["NAME"]`` is
    ``test_<name>``. Keyword arguments override (or add) top-level keys, e.g.
    ``database_settings("x", ENGINE="django.db.backends.postgresql")``.

    When ``DATABASE_URL`` is unset the result points at a socket path that cannot exist,
    so the first connection fails with a message explaining how to set it (the
    pgschemas-devtools pytest plugin normally sets it by starting an embedded server).
    """
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        parsed = parse_database_url(url)
    else:
        parsed = {
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": UNSET_HOST,
            "PORT": "",
            "OPTIONS": {},
        }
    settings: dict[str, Any] = {
        "ENGINE": DEFAULT_ENGINE,
        "USER": parsed["USER"],
        "PASSWORD": parsed["PASSWORD"],
        "HOST": parsed["HOST"],
        "PORT": parsed["PORT"],
        "OPTIONS": parsed["OPTIONS"],
        "NAME": name,
        "TEST": {"NAME": f"test_{name}"},
    }
    settings.update(overrides)
    return settings
