"""Connection recycling: ``PGSCHEMAS_RECYCLE_AFTER_SCHEMAS``.

A PostgreSQL backend keeps the catalog entries (relcache, catcache, plan caches) of every
relation its statements touched until it exits; nothing evicts them. A connection that
lives long (``CONN_MAX_AGE > 0``, a psycopg pool) and serves thousands of tenants thus
grows with the number of schemas it has visited, not with its load. The policy here
counts the distinct schemas a server connection ran statements in and, once they are
more than the limit, has the backend replace the connection at the next safe point: the
end of a request (``close_if_unusable_or_obsolete``, which Django calls on
``request_started``/``request_finished``) or when a pooled connection is handed back, never
inside a transaction.

Off by default: each replacement costs a new connection and catalog reads the old one had
cached, which a project with few tenants per connection would pay for nothing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from ..config import PUBLIC_KEY

#: Attribute of the psycopg connection holding its :class:`SchemaCounter`: the count
#: belongs to the server connection, which a pool hands to one wrapper after another.
COUNTER_ATTR = "_pgschemas_schema_counter"
SETTING = "PGSCHEMAS_RECYCLE_AFTER_SCHEMAS"


def recycle_after_schemas() -> int | None:
    """The validated ``PGSCHEMAS_RECYCLE_AFTER_SCHEMAS`` (None: never recycle)."""
    value = getattr(settings, SETTING, None)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(
            f"{SETTING}={value!r} is not valid: set it to an int >= 1 (the number of "
            "distinct schemas a connection may serve before it is replaced) or to None "
            "(never replace connections; the default)."
        )
    return value


class SchemaCounter:
    """The distinct schemas (``public`` aside) one server connection ran statements in.

    Kept only up to ``limit + 1`` names: once past the limit the set stops growing, so the
    counter itself stays small whatever the number of tenants.
    """

    __slots__ = ("limit", "schemas")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.schemas: set[str] = set()

    def saw(self, schema_name: str) -> None:
        schemas = self.schemas
        if len(schemas) <= self.limit and schema_name != PUBLIC_KEY:
            schemas.add(schema_name)

    @property
    def due(self) -> bool:
        """Whether the connection has served more schemas than the limit."""
        return len(self.schemas) > self.limit


def counter_for(connection: Any, limit: int | None) -> SchemaCounter | None:
    """The counter of a psycopg connection (made on first use), or None when off.

    A pooled connection keeps its counter between checkouts; a changed limit (tests with
    ``override_settings``) applies from the next checkout on.
    """
    if limit is None:
        return None
    counter: SchemaCounter | None = getattr(connection, COUNTER_ATTR, None)
    if counter is None:
        counter = SchemaCounter(limit)
        try:
            setattr(connection, COUNTER_ATTR, counter)
        except AttributeError:  # a connection class that takes no attributes
            return None
    counter.limit = limit
    return counter
