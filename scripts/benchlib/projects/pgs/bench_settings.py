"""django-pgschemas 1.3.2 configured as its documentation says (basic.md, routing.md,
advanced.md "Fast dynamic tenant creation", settings.md)."""

from bench_common import *  # noqa: F403
from bench_common import CLONE, COMMON_MIDDLEWARE, REFERENCE, WORKLOAD_APPS, database

TENANTS = {
    "public": {
        "APPS": ["django.contrib.contenttypes", "django_pgschemas", "customers"],
    },
    "default": {
        "TENANT_MODEL": "customers.Tenant",
        "DOMAIN_MODEL": "customers.Domain",
        "APPS": WORKLOAD_APPS,
        "URLCONF": "shop.urls",
        **({"CLONE_REFERENCE": REFERENCE} if CLONE else {}),
    },
}
INSTALLED_APPS = []
for _schema in TENANTS:
    INSTALLED_APPS += [app for app in TENANTS[_schema]["APPS"] if app not in INSTALLED_APPS]
ROOT_URLCONF = TENANTS["default"]["URLCONF"]

DATABASES = {"default": database("django_pgschemas.postgresql")}
DATABASE_ROUTERS = ["django_pgschemas.routers.TenantAppsRouter"]
MIDDLEWARE = ["django_pgschemas.routing.middleware.DomainRoutingMiddleware", *COMMON_MIDDLEWARE]
# settings.md: "Set to True to limit the number of calls for setting the search path."
PGSCHEMAS_LIMIT_SET_CALLS = True
