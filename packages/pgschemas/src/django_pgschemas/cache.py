"""``"KEY_FUNCTION": "django_pgschemas.cache.make_key"`` (the spec page's path)."""

from pgschemas.cache import make_key, reverse_key

__all__ = ["make_key", "reverse_key"]
