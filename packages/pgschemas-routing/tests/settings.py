"""Settings for pgschemas-routing's own tests.

public: tenant + domain model (shared_app), sessions. Static tenants: ``www`` (domains,
header, session; has the tenant app's tables) and ``blog`` (a folder domain, a fallback
domain, header, session). Dynamic tenants use ``tests.tenant_app``, routed by the domain
model with and without folders.
"""

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-routing-tests"
USE_TZ = True
DEBUG = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ALLOWED_HOSTS = [".test.com", "testserver"]

INSTALLED_APPS = [
    "pgschemas.core",
    "pgschemas.routing",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "tests.shared_app",
    "tests.tenant_app",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "pgschemas.routing.middleware.DomainRoutingMiddleware",
]

DATABASES = {"default": database_settings("pgschemas_routing")}
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

TENANTS = {
    "public": {
        "APPS": [
            "pgschemas.core",
            "pgschemas.routing",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "tests.shared_app",
        ],
        "TENANT_MODEL": "shared_app.Tenant",
        "DOMAIN_MODEL": "shared_app.Domain",
    },
    "www": {
        "APPS": ["tests.tenant_app"],
        "DOMAINS": ["test.com", "www.test.com"],
        "HEADER": "www",
        "SESSION_KEY": "www",
        "URLCONF": "tests.urls_www",
    },
    "blog": {
        "APPS": [],
        "DOMAINS": ["blog.test.com", "static.test.com/blog"],
        "FALLBACK_DOMAINS": ["fallback.test.com"],
        "HEADER": "blog-header",
        "SESSION_KEY": "blog-session",
        "URLCONF": "tests.urls_blog",
    },
    "default": {
        "APPS": ["tests.tenant_app"],
        "URLCONF": "tests.tenant_app.urls",
    },
}

ROOT_URLCONF = "tests.urls_public"
PGSCHEMAS_TENANT_HEADER = "tenant"
PGSCHEMAS_TENANT_SESSION_KEY = "tenant"

TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": False}]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
