"""The sandbox project: every pgschemas package in one Django project.

The integration tests and ``python3 scripts/demo`` both run it; environment variables
choose what differs (``DATABASE_URL`` and ``PGSCHEMAS_SANDBOX_DB_NAME``: the database,
``PGSCHEMAS_SANDBOX_CELERY_QUEUE``, ``PGSCHEMAS_TEST_REDIS_URL``).

Static tenants ``www`` (localhost) and ``blog`` (blog.localhost) have apps of their own;
dynamic tenants are rows of ``shared_public.Tenant`` and get ``tenant_app``. Every tenant
schema has its own users and sessions (``django.contrib.auth`` is in each tenant's APPS,
content types are shared in public).
"""

import os
from pathlib import Path

from pgschemas_devtools.database import database_settings

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = "pgschemas-sandbox-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["localhost", ".localhost", "testserver", "127.0.0.1"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "pgschemas.core",
    "pgschemas.commands",  # above any other app shipping `migrate` (docs/commands.md)
    "pgschemas.routing",
    "pgschemas.clone",
    "pgschemas.celery",  # tasks run in the tenant that queued them (docs/celery.md)
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "shared_public",
    "shared_common",
    "app_main",
    "app_blog",
    "tenant_app",
]

# Apps every tenant schema gets (users, sessions, notes).
_PER_TENANT = ["django.contrib.auth", "django.contrib.sessions", "shared_common"]

TENANTS = {
    "public": {
        "APPS": ["pgschemas.core", "django.contrib.contenttypes", "shared_public"],
        "TENANT_MODEL": "shared_public.Tenant",
        "DOMAIN_MODEL": "shared_public.Domain",
    },
    "www": {
        "APPS": [*_PER_TENANT, "app_main"],
        "DOMAINS": ["localhost"],
        "URLCONF": "app_main.urls",
    },
    "blog": {
        "APPS": [*_PER_TENANT, "app_blog"],
        "DOMAINS": ["blog.localhost"],
        "URLCONF": "app_blog.urls",
    },
    "default": {
        "APPS": [*_PER_TENANT, "tenant_app"],
        "URLCONF": "tenant_app.urls",
        # Static tenants without one use this too (the websocket echo of the demo).
        "WS_URLCONF": "shared_common.ws_urls",
        "CLONE_REFERENCE": "sample",
    },
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before sessions: session tables live in each tenant's schema.
    "pgschemas.routing.middleware.DomainRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "app_main.urls"

# The spec page's "Channels (websockets)" section: routing.py's TenantProtocolRouter().
ASGI_APPLICATION = "sandbox.routing.application"
# One server process (the demo, the tests): the in-memory layer carries group broadcasts.
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# The spec page's "Caching" section: keys are prefixed by the active schema, so the same
# key in two tenants never collides.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pgschemas-sandbox",
        "KEY_FUNCTION": "django_pgschemas.cache.make_key",
    }
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

# The server comes from DATABASE_URL; the database name from PGSCHEMAS_SANDBOX_DB_NAME, so
# one project serves the tests (pytest-django makes test_pgschemas_sandbox), the demo
# (scripts/demo sets pgschemas_demo) and a test's worker subprocess (the test database).
DATABASES = {
    "default": database_settings(os.environ.get("PGSCHEMAS_SANDBOX_DB_NAME") or "pgschemas_sandbox")
}
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

STATIC_URL = "/static/"

# Celery (sandbox/celery_app.py): broker and results on Redis.
CELERY_BROKER_URL = os.environ.get("PGSCHEMAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_RESULT_EXPIRES = 600
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PGSCHEMAS_SANDBOX_CELERY_QUEUE", "sandbox")
CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"schema": {"()": "pgschemas.core.log.SchemaContextFilter"}},
    "formatters": {
        "schema": {"format": "[%(schema_name)s:%(domain_url)s] %(levelname)s %(message)s"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["schema"], "formatter": "schema"}
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
