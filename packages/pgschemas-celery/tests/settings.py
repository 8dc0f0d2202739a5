"""Settings for pgschemas-celery's own tests: public, a static tenant ``www`` and dynamic
tenants, each with a ``Note`` table the test tasks write to.

``PGSCHEMAS_TEST_DB_NAME`` lets the Celery worker subprocess use the test database of the
pytest worker that started it. Brokers: ``PGSCHEMAS_TEST_REDIS_URL`` (default
``redis://127.0.0.1:6379/0``, also the result backend) and ``PGSCHEMAS_TEST_AMQP_URL``
(default ``amqp://guest:guest@127.0.0.1:5672//``); tests skip, saying why, when one is
not reachable.
"""

import os

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-celery-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "pgschemas.core",
    "pgschemas.commands",
    "pgschemas.celery",
    "django.contrib.contenttypes",
    "tests.shared_app",
    "tests.notes_app",
]

DATABASES = {"default": database_settings("pgschemas_celery")}
if os.environ.get("PGSCHEMAS_TEST_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["PGSCHEMAS_TEST_DB_NAME"]
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

TENANTS = {
    "public": {
        "APPS": [
            "pgschemas.core",
            "pgschemas.commands",
            "pgschemas.celery",
            "django.contrib.contenttypes",
            "tests.shared_app",
            "tests.notes_app",
        ],
        "TENANT_MODEL": "shared_app.Tenant",
    },
    "www": {"APPS": ["tests.notes_app"]},
    "default": {"APPS": ["tests.notes_app"], "URLCONF": "tests.urls"},
}

ROOT_URLCONF = "tests.urls"

REDIS_URL = os.environ.get("PGSCHEMAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
AMQP_URL = os.environ.get("PGSCHEMAS_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
