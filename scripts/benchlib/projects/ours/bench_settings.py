"""pgschemas (this repository), configured as docs/ and the spec page say."""

import importlib.util
import os

from bench_common import *  # noqa: F403
from bench_common import CLONE, COMMON_MIDDLEWARE, REFERENCE, SPARES, WORKLOAD_APPS, database


def _has(module):
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


HAS_ROUTING = _has("pgschemas.routing")
HAS_COMMANDS = _has("pgschemas.commands")
HAS_CLONE = _has("pgschemas.clone")

_OURS = ["pgschemas.core"]
_OURS += ["pgschemas.routing"] if HAS_ROUTING else []
_OURS += ["pgschemas.commands"] if HAS_COMMANDS else []
_OURS += ["pgschemas.clone"] if HAS_CLONE else []

TENANTS = {
    "public": {
        "APPS": [*_OURS, "django.contrib.contenttypes", "customers"],
        "TENANT_MODEL": "customers.Tenant",
        **({"DOMAIN_MODEL": "customers.Domain"} if HAS_ROUTING else {}),
    },
    "default": {
        "APPS": WORKLOAD_APPS,
        "URLCONF": "shop.urls",
        **({"CLONE_REFERENCE": REFERENCE} if CLONE and HAS_CLONE else {}),
        **({"CLONE_SPARES": SPARES} if CLONE and HAS_CLONE and SPARES else {}),
    },
}
INSTALLED_APPS = [*_OURS, "django.contrib.contenttypes", "customers", *WORKLOAD_APPS]
DATABASES = {"default": database("pgschemas.core.postgresql")}
DATABASE_ROUTERS = ["pgschemas.core.routers.TenantAppsRouter"]
MIDDLEWARE = (
    ["pgschemas.routing.middleware.DomainRoutingMiddleware"] if HAS_ROUTING else []
) + COMMON_MIDDLEWARE
ROOT_URLCONF = "shop.urls"

#: BENCH_ROUTING_GUARD=0: the scale run's "guard off" column (the setting's default is True).
if os.environ.get("BENCH_ROUTING_GUARD") is not None:
    PGSCHEMAS_ROUTING_GUARD = os.environ["BENCH_ROUTING_GUARD"] != "0"
