from django.apps import AppConfig


class CitusTenantConfig(AppConfig):
    """Installed but in no TENANTS entry: the system check test adds it to a tenant's APPS."""

    name = "citus_tests.citus_tenant"
    label = "citus_tenant"
