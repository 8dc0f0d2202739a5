"""Settings for pgschemas-clone's own tests: dynamic tenants cloned from ``sample``.

``tenant_app`` is an ordinary Django app (foreign keys inside the schema and to public,
many-to-many, unique/check constraints, partial and expression indexes, data migration);
``kitchen_app`` creates every other object kind with RunSQL.
"""

import os

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-clone-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "pgschemas.core",
    "pgschemas.clone",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "tests.shared_app",
    "tests.tenant_app",
    "tests.kitchen_app",
]

DATABASES = {"default": database_settings("pgschemas_clone")}
if os.environ.get("PGSCHEMAS_CLONE_TEST_DB"):
    # Subprocesses started by the tests (tests/interrupted.py) use the worker's test database.
    DATABASES["default"]["NAME"] = os.environ["PGSCHEMAS_CLONE_TEST_DB"]
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

TENANTS = {
    "public": {
        "APPS": [
            "pgschemas.core",
            "pgschemas.clone",
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "tests.shared_app",
        ],
        "TENANT_MODEL": "shared_app.Tenant",
        "DOMAIN_MODEL": "shared_app.Domain",
    },
    "default": {
        "APPS": ["django.contrib.auth", "tests.tenant_app", "tests.kitchen_app"],
        "URLCONF": "tests.urls",
        "CLONE_REFERENCE": "sample",
    },
}

ROOT_URLCONF = "tests.urls"
