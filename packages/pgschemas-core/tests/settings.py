"""Settings for pgschemas-core's own tests: one public app, one static tenant, one app for
dynamic tenants. Nothing here needs another pgschemas package."""

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-core-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "pgschemas.core",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "tests.shared_app",
    "tests.tenant_app",
    "tests.blog_app",
    "tests.graph_app",
]

DATABASES = {"default": database_settings("pgschemas_core")}
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

TENANTS = {
    "public": {
        "APPS": [
            "pgschemas.core",
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "tests.shared_app",
        ],
        "TENANT_MODEL": "shared_app.Tenant",
    },
    "blog": {"APPS": ["tests.blog_app"]},
    "default": {
        "APPS": ["tests.tenant_app", "tests.graph_app", "django.contrib.auth"],
        "URLCONF": "tests.urls",
    },
}

ROOT_URLCONF = "tests.urls"
