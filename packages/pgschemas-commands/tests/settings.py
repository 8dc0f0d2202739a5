"""Settings for pgschemas-commands' own tests: two static tenants with domains, a clone
reference, dynamic tenants and a domain model defined here (so domain selectors are tested
without pgschemas.routing). ``PGSCHEMAS_TEST_DB_NAME`` lets a subprocess use the test
database of the pytest worker that started it."""

import os

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-commands-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "pgschemas.core",
    "pgschemas.commands",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "tests.shared_app",
    "tests.tenant_app",
    "tests.blog_app",
]

DATABASES = {"default": database_settings("pgschemas_commands")}
if os.environ.get("PGSCHEMAS_TEST_DB_NAME"):
    DATABASES["default"]["NAME"] = os.environ["PGSCHEMAS_TEST_DB_NAME"]
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

TENANTS = {
    "public": {
        "APPS": [
            "pgschemas.core",
            "pgschemas.commands",
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "tests.shared_app",
        ],
        "TENANT_MODEL": "shared_app.Tenant",
        "DOMAIN_MODEL": "shared_app.Domain",
    },
    "www": {"APPS": ["tests.blog_app"], "DOMAINS": ["www.example.com"]},
    "blog": {"APPS": ["tests.blog_app"], "DOMAINS": ["blog.example.com", "blog.example.org"]},
    "default": {
        "APPS": ["tests.tenant_app"],
        "URLCONF": "tests.urls",
        "CLONE_REFERENCE": "sample",
    },
}

ROOT_URLCONF = "tests.urls"

# The spec page runs `runschema loaddata tenant_app.products -s sample`: for loaddata that
# label is fixture "tenant_app" in format "products", so register JSON under that name.
SERIALIZATION_MODULES = {"products": "django.core.serializers.json"}
