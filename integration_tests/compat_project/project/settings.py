"""Settings written from the documentation only (every path is a django_pgschemas one)."""

import os

SECRET_KEY = "compat-project-not-secret"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ALLOWED_HOSTS = [".example.com"]

TENANTS = {
    "public": {
        "APPS": ["django.contrib.contenttypes", "django_pgschemas", "tenants"],
        "TENANT_MODEL": "tenants.Tenant",
        "DOMAIN_MODEL": "tenants.Domain",
    },
    "www": {
        "APPS": ["django.contrib.auth", "django.contrib.sessions", "customers"],
        "DOMAINS": ["www.example.com"],
        "URLCONF": "customers.urls",
    },
    "default": {
        "APPS": ["django.contrib.auth", "django.contrib.sessions", "customers"],
        "URLCONF": "customers.urls",
        "WS_URLCONF": "customers.ws_urls",
        "CLONE_REFERENCE": "sample",
    },
}

INSTALLED_APPS = []
for _entry in TENANTS.values():
    INSTALLED_APPS += [app for app in _entry["APPS"] if app not in INSTALLED_APPS]

DATABASES = {
    "default": {
        # Everything but the name comes from libpq's PG* environment variables.
        "ENGINE": "django_pgschemas.postgresql",
        "NAME": os.environ.get("COMPAT_DB_NAME", "compat_project"),
    }
}
DATABASE_ROUTERS = ["django_pgschemas.routers.TenantAppsRouter"]

MIDDLEWARE = [
    "django_pgschemas.routing.middleware.DomainRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]
ROOT_URLCONF = "customers.urls"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_pgschemas.cache.make_key",
    }
}

PGSCHEMAS_PARALLEL_MAX_THREADS = 2

ASGI_APPLICATION = "routing.application"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"schema": {"()": "django_pgschemas.log.SchemaContextFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["schema"]}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The spec page loads `runschema loaddata tenant_app.products -s sample`; loaddata reads that
# label as fixture "tenant_app" in format "products", so JSON is registered under that name.
SERIALIZATION_MODULES = {"products": "django.core.serializers.json"}
