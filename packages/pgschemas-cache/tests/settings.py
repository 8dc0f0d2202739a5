"""Settings for pgschemas-cache's own tests: core plus several cache backends, each using
``pgschemas.cache.make_key``. The Redis alias points at ``PGSCHEMAS_TEST_REDIS_URL``
(default ``redis://127.0.0.1:6379/0``); tests using it skip, saying why, when nothing answers.
"""

import os
import tempfile

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-cache-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = ["pgschemas.core", "django.contrib.contenttypes"]

DATABASES = {"default": database_settings("pgschemas_cache")}
DATABASE_ROUTERS = ["tests.routers.CacheTableRouter", "pgschemas.core.routers.TenantAppsRouter"]

TENANTS = {
    "public": {"APPS": ["pgschemas.core", "django.contrib.contenttypes"]},
    "tenant1": {"APPS": []},
    "tenant2": {"APPS": []},
}

REDIS_URL = os.environ.get("PGSCHEMAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
# Every test run gets its own prefix: the Redis server may be shared with other suites.
RUN_PREFIX = f"pgschemas-cache-tests-{os.getpid()}"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "pgschemas.cache.make_key",
    },
    "files": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": tempfile.mkdtemp(prefix="pgschemas-cache-tests-"),
        "KEY_FUNCTION": "pgschemas.cache.make_key",
    },
    "db": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pgschemas_cache_entries",
        "KEY_FUNCTION": "pgschemas.cache.make_key",
    },
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": RUN_PREFIX,
        "KEY_FUNCTION": "pgschemas.cache.make_key",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
    },
    "plain": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "plain",
    },
}
