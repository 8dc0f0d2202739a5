"""``"KEY_FUNCTION": "django_pgschemas.contrib.cache.make_key"`` (django-pgschemas' path)."""

from pgschemas.cache import make_key, reverse_key

__all__ = ["make_key", "reverse_key"]
