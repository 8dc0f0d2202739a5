"""Sending ``SET search_path`` without a round trip of its own.

Switching tenants means one ``SET search_path`` before the next statement. Sent alone it
costs a full client-server round trip, about as much as the query it serves. So the
wrapper only *records* the statement (:attr:`SearchPathState.pending`) when a cursor is
created, and the connection's cursor class sends it in front of the next statement, in
the same message: ``SET search_path = "t1", "public"; SELECT ...``. PostgreSQL runs both;
the cursor then steps past the ``SET``'s empty result (``nextset()``), so callers see
exactly the results, ``rowcount`` and ``description`` of their own statement.

A two-statement message runs as one implicit transaction, and some statements refuse to
(``VACUUM``, ``CREATE INDEX CONCURRENTLY``, ``CREATE DATABASE`` ...), while others must
not be combined at all (``ROLLBACK TO SAVEPOINT`` would undo the ``SET`` sent with it).
So only a plain ``str`` statement starting with ``SELECT``, ``INSERT``, ``UPDATE``,
``DELETE`` or ``WITH``, on a client-side-binding cursor (Django's default; the simple
query protocol accepts several statements) outside pipeline mode, carries the ``SET``.
Everything else - other statements, ``executemany()``, ``copy()``, ``stream()``,
server-side (named) cursors, server-side binding - gets the ``SET`` sent on its own first,
exactly as before.

If the combined statement fails, PostgreSQL rolls the ``SET`` back with it (outside a
transaction) or the transaction is aborted (inside one), so the connection forgets its
search path and the next cursor sends it again.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from psycopg import ClientCursor, pq, sql

logger = logging.getLogger("pgschemas.core.postgresql")

#: Attribute of the psycopg connection pointing at its wrapper's :class:`SearchPathState`.
STATE_ATTR = "_pgschemas_search_path_state"
#: Statements that may carry the ``SET`` in front of them (see the module docstring).
_COMBINABLE = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")
_INERROR = pq.TransactionStatus.INERROR
_PIPELINE_OFF = pq.PipelineStatus.OFF


@dataclass(frozen=True, slots=True)
class SetStatement:
    """``SET search_path`` for one path, rendered once and reused."""

    path: tuple[str, ...]
    #: ``SET search_path = "t1", "public"``
    text: str
    #: ``text + "; "``: what is put in front of a statement.
    prefix: str
    #: ``prefix`` with ``%`` doubled, for statements that have parameters.
    escaped_prefix: str


_statements: dict[tuple[str, ...], SetStatement] = {}
_MAX_STATEMENTS = 8192


def set_statement(path: tuple[str, ...], connection: Any) -> SetStatement:
    """The rendered ``SET`` for ``path``, identifiers quoted by psycopg (cached per path).

    ``connection`` (psycopg) is the quoting context; Django's connections are all UTF-8,
    so the text does not depend on which one renders it.
    """
    statement = _statements.get(path)
    if statement is None:
        composed = sql.SQL("SET search_path = {}").format(
            sql.SQL(", ").join(sql.Identifier(name) for name in path)
        )
        text = composed.as_string(connection)
        prefix = f"{text}; "
        statement = SetStatement(path, text, prefix, prefix.replace("%", "%%"))
        if len(_statements) >= _MAX_STATEMENTS:
            _statements.clear()
        _statements[path] = statement
    return statement


class SearchPathState:
    """What one Django connection knows about its server's search path.

    ``known``: the path the server has, or will have once ``pending`` is sent (None:
    unknown, send it again). ``pending``: the ``SET`` to send before the next statement.
    ``sets``: how many ``SET`` statements were sent (``connection.pgschemas_search_path_sets``).
    """

    __slots__ = ("alias", "known", "pending", "sets")

    def __init__(self, alias: str) -> None:
        self.alias = alias
        self.known: tuple[str, ...] | None = None
        self.pending: SetStatement | None = None
        self.sets = 0

    def forget(self) -> None:
        """The server's path is unknown (new connection, rollback, failed statement)."""
        self.known = None

    def sent(self, statement: SetStatement) -> None:
        self.sets += 1
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("%s (alias=%s)", statement.text, self.alias)


def send_pending(connection: Any, state: SearchPathState | None = None) -> None:
    """Send the pending ``SET`` of psycopg ``connection`` on its own, now (if any).

    ``state`` defaults to the one attached to the connection (see ``STATE_ATTR``).
    """
    if state is None:
        state = getattr(connection, STATE_ATTR, None)
    if state is None or state.pending is None:
        return
    statement, state.pending = state.pending, None
    if connection.info.transaction_status == _INERROR:
        # Nothing runs in an aborted transaction; the rollback that must follow resets us.
        state.forget()
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(statement.text)
    except BaseException:
        state.forget()
        raise
    state.sent(statement)


def _combinable(query: Any) -> bool:
    return type(query) is str and query.lstrip()[:6].upper().startswith(_COMBINABLE)


@functools.cache
def search_path_cursor(base: type) -> type:
    """``base`` (a psycopg cursor class) sending the pending ``SET`` with the next statement."""
    if getattr(base, "pgschemas_search_path_cursor", False):
        return base
    piggyback = issubclass(base, ClientCursor)

    class SearchPathCursor(base):
        __slots__ = ("pgschemas_prefix",)
        pgschemas_search_path_cursor = True

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            connection = self.connection
            state: SearchPathState | None = getattr(connection, STATE_ATTR, None)
            self.pgschemas_prefix = None
            if state is None or state.pending is None:
                return super().execute(query, params, **kwargs)
            if not (
                piggyback
                and _combinable(query)
                and not kwargs.get("binary")
                and connection.pgconn.pipeline_status == _PIPELINE_OFF
            ):
                send_pending(connection)
                return super().execute(query, params, **kwargs)
            statement, state.pending = state.pending, None
            prefix = statement.prefix if params is None else statement.escaped_prefix
            try:
                super().execute(prefix + query, params, **kwargs)
            except BaseException:
                state.forget()
                raise
            finally:
                state.sent(statement)
            # Step past the SET's empty result: the caller sees its own statement's.
            self.nextset()
            self.pgschemas_prefix = statement.prefix
            return self

        def executemany(self, *args: Any, **kwargs: Any) -> Any:
            send_pending(self.connection)
            return super().executemany(*args, **kwargs)

        def copy(self, *args: Any, **kwargs: Any) -> Any:
            send_pending(self.connection)
            return super().copy(*args, **kwargs)

        def stream(self, *args: Any, **kwargs: Any) -> Any:
            send_pending(self.connection)
            return super().stream(*args, **kwargs)

    SearchPathCursor.__name__ = SearchPathCursor.__qualname__ = f"SearchPath{base.__name__}"
    SearchPathCursor.__module__ = __name__
    return SearchPathCursor
