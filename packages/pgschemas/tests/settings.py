"""A project configured only through ``django_pgschemas`` paths (spec page + upstream docs)."""

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-meta-tests"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TENANTS = {
    "public": {
        "APPS": ["django.contrib.contenttypes", "django_pgschemas", "tests.tenants"],
        "TENANT_MODEL": "tenants.Tenant",
        "DOMAIN_MODEL": "tenants.Domain",
    },
    "www": {
        "APPS": ["django.contrib.auth", "tests.customers"],
        "DOMAINS": ["www.example.com"],
        "URLCONF": "tests.urls",
    },
    "default": {
        "APPS": ["django.contrib.auth", "tests.customers"],
        "URLCONF": "tests.urls",
        "CLONE_REFERENCE": "sample",
    },
}

INSTALLED_APPS = ["django_pgschemas"]
for _entry in TENANTS.values():
    INSTALLED_APPS += [app for app in _entry["APPS"] if app not in INSTALLED_APPS]

DATABASES = {"default": database_settings("django_pgschemas", ENGINE="django_pgschemas.postgresql")}
DATABASE_ROUTERS = ["django_pgschemas.routers.TenantAppsRouter"]
ROOT_URLCONF = "tests.urls"
ALLOWED_HOSTS = [".example.com"]
MIDDLEWARE = ["django_pgschemas.routing.middleware.DomainRoutingMiddleware"]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "KEY_FUNCTION": "django_pgschemas.cache.make_key",
    }
}
