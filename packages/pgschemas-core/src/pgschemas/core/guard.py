"""Guards: a cached decision re-checked by the first statement that relies on it, for free.

Routing keeps in process memory which tenant a host (or header, or session value) names,
so a warm request costs no routing query. Another process may delete that tenant, give its
host to another tenant, or rename its schema; this process would go on routing to the old
tenant until its cache expires. A :class:`Guard` is the SQL condition under which the
cached decision still holds (the domain row still names this tenant, the tenant row still
has this schema). The backend adds it to the search-path statement it sends anyway at the
first statement run under the routed tenant (:mod:`.postgresql.search_path`), so checking
costs no round trip. When the condition is false the server refuses the whole message:
the request's statement never runs and :class:`~.exceptions.RouteChanged` is raised, which
routing answers by reading the route again (404 when the tenant is gone).

The refusal is a cast to ``regnamespace`` of a name no schema can have (it starts with
``pg_``, which PostgreSQL reserves), the same mechanism as the schema existence check, so
it needs no function of ours on the server. :func:`is_guard_error` recognises it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from psycopg import sql

#: The schema name the refusal looks up: ``pg_`` names are reserved, so none exists.
REFUSAL_NAME = "pg_pgschemas_route_changed"
#: Attribute of an activated object (a routed tenant) holding its :class:`PendingGuard`.
GUARD_ATTR = "pgschemas_guard"


@dataclass(frozen=True, slots=True)
class Guard:
    """A condition rendered once, checked once per request on database ``alias``."""

    alias: str
    #: ``CASE WHEN <condition> THEN NULL ELSE <refusal> END``: a select-list item.
    check: str

    @classmethod
    def build(cls, alias: str, condition: sql.Composable) -> Guard:
        """A guard refusing statements on ``alias`` unless ``condition`` (boolean) holds.

        Tables in ``condition`` must be schema-qualified: it is parsed before the search
        path it travels with takes effect.
        """
        check = sql.SQL(
            "CASE WHEN {} THEN NULL ELSE pg_catalog.quote_ident({})::pg_catalog.regnamespace END"
        ).format(condition, sql.Literal(REFUSAL_NAME))
        return cls(alias, check.as_string(None))

    def pending(self) -> PendingGuard:
        """A fresh, unchecked use of this guard (one per request)."""
        return PendingGuard(self)


class PendingGuard:
    """One request's use of a :class:`Guard`: ``done`` once a statement carried it."""

    __slots__ = ("done", "guard")

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.done = False


def attach(schema: Any, guard: Guard | None) -> Any:
    """Make ``schema`` (an activatable object) carry ``guard``, unchecked; returns it.

    Frozen objects (a :class:`~.schema.Schema`) take it too: it is not one of their fields.
    """
    object.__setattr__(schema, GUARD_ATTR, None if guard is None else guard.pending())
    return schema


def pending_guard(schema: Any, alias: str) -> PendingGuard | None:
    """``schema``'s guard when a statement on ``alias`` must still check it."""
    pending: PendingGuard | None = getattr(schema, GUARD_ATTR, None)
    if pending is None or pending.done or pending.guard.alias != alias:
        return None
    return pending


def is_guard_error(error: Exception) -> bool:
    """Whether a failed statement was refused by a guard (see the module docstring)."""
    diag = getattr(error, "diag", None)
    message = getattr(diag, "message_primary", None) or str(error)
    return REFUSAL_NAME in message
