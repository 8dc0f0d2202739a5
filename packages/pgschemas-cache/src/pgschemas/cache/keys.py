"""Cache keys prefixed by the active schema.

A key is ``<schema>:<key_prefix>:<version>:<key>``. Django's own key function builds
``<key_prefix>:<version>:<key>``; we put the schema first so that one tenant's keys share
a common leading string (handy for ``SCAN tenant1:*`` in Redis) and never collide with
another tenant's.

Schema names never contain ``:`` (core validates them) and the version is an integer, so
the only field that could make a key ambiguous is ``KEY_PREFIX``: its ``%`` and ``:`` are
percent-encoded, which keeps :func:`reverse_key` exact whatever prefix a project uses.

Keys are also matched by glob patterns (Redis ``SCAN MATCH``, django-redis'
``delete_pattern()`` / ``iter_keys()``). Schema names hold no glob character, and the
prefix's ``*``, ``?``, ``[``, ``]`` and backslash are percent-encoded too, so a pattern starting
with :func:`schema_key_prefix` (or built by django-redis through :func:`make_key`) matches
one tenant's keys of one prefix and nothing else. django-redis hands the key function a
prefix whose ``*``, ``?`` and ``[`` it escaped as ``[*]``, ``[?]`` and ``[[]``: those are read
back as the characters they stand for, so the pattern and the stored keys agree.
"""

from __future__ import annotations

import re
from typing import Any

from pgschemas.core.activation import get_current_schema

_SEPARATOR = ":"
#: ``%`` first, so that the other encodings are not encoded again.
_ENCODED = {"%": "%25", ":": "%3A", "*": "%2A", "?": "%3F", "[": "%5B", "]": "%5D", "\\": "%5C"}
_ENCODE = re.compile("|".join(re.escape(char) for char in _ENCODED))
#: How django-redis escapes ``*``, ``?`` and ``[`` of the prefix in a pattern.
_BRACKETED = re.compile(r"\[([*?\[])\]")


def _escape_prefix(key_prefix: str) -> str:
    """``key_prefix`` with no ``:`` (field separator) and no glob character left."""
    literal = _BRACKETED.sub(r"\1", key_prefix)
    return _ENCODE.sub(lambda match: _ENCODED[match.group()], literal)


def schema_key_prefix(schema_name: str, key_prefix: str = "") -> str:
    """The leading string every key of ``schema_name`` starts with (for SCAN/pattern deletes).

    It holds no glob character, so ``schema_key_prefix(...) + "*"`` is a Redis ``MATCH``
    pattern for exactly that tenant's keys under that prefix.
    """
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
