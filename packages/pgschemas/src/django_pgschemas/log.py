"""``{"()": "django_pgschemas.log.SchemaContextFilter"}`` in ``LOGGING["filters"]``."""

from pgschemas.core.log import SchemaContextFilter

__all__ = ["SchemaContextFilter"]
