"""The sandbox project on a Citus cluster (DATABASE_URL = the coordinator).

Differences from ``sandbox.settings``: the database named in DATABASE_URL is used as is
(the cluster's, where the citus extension exists on every node), and public gets one more
app, ``citus_public``, holding the documented reference-table migration.
"""

import os

from pgschemas_devtools.database import database_settings, parse_database_url
from sandbox.settings import *  # noqa: F403
from sandbox.settings import INSTALLED_APPS, TENANTS

_NAME = parse_database_url(os.environ.get("DATABASE_URL", "postgresql:///postgres"))["NAME"]
DATABASES = {"default": database_settings(_NAME or "postgres")}

INSTALLED_APPS = [*INSTALLED_APPS, "citus_tests.citus_public", "citus_tests.citus_tenant"]
TENANTS = {
    **TENANTS,
    "public": {
        **TENANTS["public"],
        "APPS": [*TENANTS["public"]["APPS"], "citus_tests.citus_public"],
    },
    "default": {**TENANTS["default"], "CLONE_SPARES": 2},
}
