"""Settings of the routing test project when real servers (uvicorn, gunicorn) serve it.

``tests.settings`` on the database the test process prepared
(``PGSCHEMAS_ROUTING_SERVER_DB``), with every host allowed so that hostile hosts reach
the routing middleware, and Django's warnings and errors printed to stderr: a request
that crashed would leave its traceback there for the test to find.
"""

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

DATABASES = {"default": {**DATABASES["default"], "NAME": os.environ["PGSCHEMAS_ROUTING_SERVER_DB"]}}
# Connection handling variants the pooler tests serve with (persistent, psycopg's pool).
DATABASES["default"]["CONN_MAX_AGE"] = int(
    os.environ.get("PGSCHEMAS_ROUTING_SERVER_CONN_MAX_AGE", "0")
)
if os.environ.get("PGSCHEMAS_ROUTING_SERVER_POOL"):
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "pool": {"min_size": 1, "max_size": 4, "timeout": 30},
    }
ALLOWED_HOSTS = ["*"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "level": "WARNING"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False}},
}
