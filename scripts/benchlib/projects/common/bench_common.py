"""Settings shared by every peer's project (copied next to each project's bench_settings).

Environment (set by the orchestrator for each driver run):
``DATABASE_URL`` (server), ``BENCH_DB_NAME`` (database of this measurement),
``BENCH_APPSET`` (``small``: shop; ``large``: shop + bench50), ``BENCH_CLONE`` (``1``:
create tenants from the peer's reference/base schema), ``BENCH_SPARES`` (ours: the
``CLONE_SPARES`` setting).
"""

import os
from urllib.parse import parse_qsl, unquote, urlsplit

SECRET_KEY = "pgschemas-bench-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING_CONFIG = None

APPSET = os.environ.get("BENCH_APPSET", "large")
CLONE = os.environ.get("BENCH_CLONE", "0") == "1"
#: Spare clones kept ready (pgschemas' CLONE_SPARES; the peers have no equivalent).
SPARES = int(os.environ.get("BENCH_SPARES", "0"))
WORKLOAD_APPS = ["shop", "bench50"] if APPSET == "large" else ["shop"]
#: The reference / base schema name used by every peer that clones.
REFERENCE = "sample"

#: Middleware after the routing middleware: the same for every peer and the floor.
COMMON_MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]


def database(engine):
    """DATABASES["default"] for ``engine`` on the DATABASE_URL server, database BENCH_DB_NAME."""
    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    return {
        "ENGINE": engine,
        "NAME": os.environ["BENCH_DB_NAME"],
        "USER": query.pop("user", "") or unquote(parts.username or ""),
        "PASSWORD": query.pop("password", "") or unquote(parts.password or ""),
        "HOST": query.pop("host", "") or unquote(parts.hostname or ""),
        "PORT": query.pop("port", "") or (str(parts.port) if parts.port else ""),
        "OPTIONS": query,
    }
