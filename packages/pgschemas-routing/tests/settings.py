"""Settings for pgschemas-routing's own tests.

public: tenant + domain model (shared_app), sessions. Static tenants: ``www`` (domains,
header, session; has the tenant app's tables) and ``blog`` (a folder domain, a fallback
domain, header, session). Dynamic tenants use ``tests.tenant_app``, routed by the domain
model with and without folders.
"""

from pathlib import Path

from pgschemas_devtools.database import database_settings

FILES = Path(__file__).resolve().parent / "tenant_files"

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
    "django.contrib.staticfiles",
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
        "TEMPLATE_DIRS": [FILES / "templates" / "www"],
        "STATICFILES_DIRS": [FILES / "static" / "www"],
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
        "TEMPLATE_DIRS": [str(FILES / "templates" / "tenants" / "{schema_name}")],
        "STATICFILES_DIRS": [str(FILES / "static" / "tenants" / "{schema_name}")],
    },
}

ROOT_URLCONF = "tests.urls_public"
PGSCHEMAS_TENANT_HEADER = "tenant"
PGSCHEMAS_TENANT_SESSION_KEY = "tenant"

# Per-tenant templates and static files (docs/templates-and-static.md).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [FILES / "templates" / "project"],
        "OPTIONS": {
            "loaders": [
                (
                    "pgschemas.routing.templates.CachedLoader",
                    [
                        "pgschemas.routing.templates.TenantLoader",
                        "django.template.loaders.filesystem.Loader",
                    ],
                )
            ]
        },
    }
]
STATIC_URL = "/static/"
# STATIC_ROOT: set per test (collectstatic into tmp_path).
STATICFILES_DIRS = [FILES / "static" / "project"]
STATICFILES_FINDERS = [
    "pgschemas.routing.staticfiles.TenantStaticFinder",
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "pgschemas.routing.staticfiles.TenantStaticFilesStorage"},
}
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
