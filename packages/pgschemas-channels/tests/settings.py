"""Settings for pgschemas-channels' own tests.

Dynamic tenants are routed by domain (``tenant1.test.com``) or folder
(``test.com/client1``); static ``www`` has its own ``WS_URLCONF``, static ``blog`` has none
and uses ``default``'s. Users and sessions live in each tenant's schema. The channel layer
is in memory here; tests switch to channels-redis when a Redis answers.
"""

import os

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-channels-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ALLOWED_HOSTS = [".test.com", "127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "pgschemas.core",
    "pgschemas.routing",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "tests.shared_app",
    "tests.tenant_app",
]

DATABASES = {"default": database_settings("pgschemas_channels")}
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

_TENANT_APPS = [
    "django.contrib.auth",
    "django.contrib.sessions",
    "tests.tenant_app",
]

TENANTS = {
    "public": {
        "APPS": [
            "pgschemas.core",
            "pgschemas.routing",
            "django.contrib.contenttypes",
            "tests.shared_app",
        ],
        "TENANT_MODEL": "shared_app.Tenant",
        "DOMAIN_MODEL": "shared_app.Domain",
    },
    "www": {
        "APPS": _TENANT_APPS,
        "DOMAINS": ["www.test.com"],
        "URLCONF": "tests.urls",
        "WS_URLCONF": "tests.ws_urls_www",
    },
    "blog": {
        "APPS": _TENANT_APPS,
        "DOMAINS": ["blog.test.com", "test.com/blog"],
        "URLCONF": "tests.urls",
    },
    "default": {
        "APPS": _TENANT_APPS,
        "URLCONF": "tests.urls",
        "WS_URLCONF": "tests.ws_urls",
    },
}

MIDDLEWARE = [
    "pgschemas.routing.middleware.DomainRoutingMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.urls"
ASGI_APPLICATION = "tests.routing.application"

CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
REDIS_URL = os.environ.get("PGSCHEMAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
