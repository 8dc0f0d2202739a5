"""``django_pgschemas.routing``: pgschemas-routing under its django-pgschemas paths."""
