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
ALLOWED_HOSTS = ["*"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler", "level": "WARNING"}},
    "loggers": {"django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False}},
}
