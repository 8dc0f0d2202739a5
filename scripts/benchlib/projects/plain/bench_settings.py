"""Plain Django, no tenancy: the floor of the routing benchmark."""

from bench_common import *  # noqa: F403
from bench_common import COMMON_MIDDLEWARE, WORKLOAD_APPS, database

INSTALLED_APPS = ["django.contrib.contenttypes", *WORKLOAD_APPS]
DATABASES = {"default": database("django.db.backends.postgresql")}
MIDDLEWARE = list(COMMON_MIDDLEWARE)
ROOT_URLCONF = "shop.urls"
