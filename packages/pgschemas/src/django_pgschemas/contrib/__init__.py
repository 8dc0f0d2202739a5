"""The ``django_pgschemas.contrib`` paths of the original django-pgschemas."""
