"""Cache keys prefixed by the active schema.

A key is ``<schema>:<key_prefix>:<version>:<key>``. Django's own key function builds
``<key_prefix>:<version>:<key>``; we put the schema first so that one tenant's keys share
a common leading string (handy for ``SCAN tenant1:*`` in Redis) and never collide with
another tenant's.

Schema names never contain ``:`` (core validates them) and the version is an integer, so
the only field that could make a key ambiguous is ``KEY_PREFIX``: its ``%`` and ``:`` are
percent-encoded, which keeps :func:`reverse_key` exact whatever prefix a project uses.
"""

from __future__ import annotations

from typing import Any

from pgschemas.core.activation import get_current_schema

_SEPARATOR = ":"


def _escape_prefix(key_prefix: str) -> str:
    return key_prefix.replace("%", "%25").replace(":", "%3A")


def schema_key_prefix(schema_name: str, key_prefix: str = "") -> str:
    """The leading string every key of ``schema_name`` starts with (for SCAN/pattern deletes)."""
    return f"{schema_name}{_SEPARATOR}{_escape_prefix(key_prefix)}{_SEPARATOR}"


def make_key(key: Any, key_prefix: str, version: Any) -> str:
    """Django ``KEY_FUNCTION``: the key for ``key`` in the schema active right now.

    Called by every cache backend through ``BaseCache.make_key``, so it works with all of
    them (backends that hash keys, like the file-based one, hash the prefixed key).
    """
    schema_name = get_current_schema().schema_name
    return f"{schema_key_prefix(schema_name, key_prefix)}{version}{_SEPARATOR}{key}"


def reverse_key(key: str) -> str:
    """Undo :func:`make_key`: ``"tenant1:prefix:3:menu"`` -> ``"menu"``.

    Usable as django-redis' ``REVERSE_KEY_FUNCTION``. Raises ``ValueError`` naming the key
    when it was not built by :func:`make_key`.
    """
    parts = key.split(_SEPARATOR, 3)
    if len(parts) != 4 or not parts[0] or not parts[2].lstrip("-").isdigit():
        raise ValueError(
            f"Cannot reverse cache key {key!r}: it was not built by pgschemas.cache.make_key "
            "(expected '<schema>:<key_prefix>:<version>:<key>')."
        )
    return parts[3]
