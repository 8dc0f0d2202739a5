"""Settings for pgschemas-testing's own tests.

public: tenant + domain model (shared_app). Static tenants: ``www`` (a domain, the tenant
app's tables) and ``docs`` (a folder domain). Dynamic tenants use ``tests.tenant_app``.
ALLOWED_HOSTS leaves out the test tenants' domains on purpose: the client allows them.
"""

from pgschemas_devtools.database import database_settings

SECRET_KEY = "pgschemas-testing-tests"
USE_TZ = True
DEBUG = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
ALLOWED_HOSTS = ["www.test.com", "docs.test.com"]

INSTALLED_APPS = [
    "pgschemas.core",
    "pgschemas.routing",
    "django.contrib.contenttypes",
    "tests.shared_app",
    "tests.tenant_app",
]

MIDDLEWARE = ["pgschemas.routing.middleware.DomainRoutingMiddleware"]

DATABASES = {"default": database_settings("pgschemas_testing")}
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]

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
    "www": {"APPS": ["tests.tenant_app"], "DOMAINS": ["www.test.com"], "URLCONF": "tests.urls"},
    "docs": {"APPS": ["tests.tenant_app"], "DOMAINS": ["docs.test.com/manual"]},
    "default": {"APPS": ["tests.tenant_app"], "URLCONF": "tests.urls"},
}

ROOT_URLCONF = "tests.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": False}]
