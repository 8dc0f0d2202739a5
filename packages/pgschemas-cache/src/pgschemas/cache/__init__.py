"""pgschemas-cache: tenant-aware cache keys.

Set ``"KEY_FUNCTION": "pgschemas.cache.make_key"`` on a cache and every key it builds
starts with the schema that is active when the key is made, so ``cache.set("menu", ...)``
in one tenant can never be read (or overwritten) by another.
"""

from .__about__ import __version__
from .keys import make_key, reverse_key, schema_key_prefix

__all__ = ["__version__", "make_key", "reverse_key", "schema_key_prefix"]
