from django.apps import AppConfig


class CitusPublicConfig(AppConfig):
    """A public app whose only job is the reference-table migration (docs/citus.md)."""

    name = "citus_tests.citus_public"
    label = "citus_public"
