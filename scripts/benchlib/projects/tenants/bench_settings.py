"""django-tenants 4.0.1 configured as its documentation says (install.rst, use.rst:
TENANT_LIMIT_SET_CALLS, migrate_schemas executors, TENANT_CREATION_FAKES_MIGRATIONS +
TENANT_BASE_SCHEMA for creating tenants from a template schema)."""

from bench_common import *  # noqa: F403
from bench_common import CLONE, COMMON_MIDDLEWARE, REFERENCE, WORKLOAD_APPS, database

SHARED_APPS = ["django_tenants", "customers", "django.contrib.contenttypes"]
TENANT_APPS = WORKLOAD_APPS
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]
TENANT_MODEL = "customers.Tenant"
TENANT_DOMAIN_MODEL = "customers.Domain"

DATABASES = {"default": database("django_tenants.postgresql_backend")}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
MIDDLEWARE = ["django_tenants.middleware.main.TenantMainMiddleware", *COMMON_MIDDLEWARE]
ROOT_URLCONF = "shop.urls"
# use.rst "Performance Considerations".
TENANT_LIMIT_SET_CALLS = True
if CLONE:
    TENANT_CREATION_FAKES_MIGRATIONS = True
    TENANT_BASE_SCHEMA = REFERENCE
