"""The search path travels with every transaction, in the statement's own message.

Behind a transaction pooler (PgBouncer ``pool_mode = transaction``, RDS Proxy, pgcat,
Supavisor ...) each transaction - and each statement in autocommit mode - may run on a
different server connection, one whose search path another client set. Remembering what
*this* client connection was told is therefore not enough: the search path must be set
inside every transaction that runs a statement. The cursor class built here does that
without a round trip of its own: at the first statement of a transaction (and whenever the
active schema changes inside one) it sends

    SELECT pg_catalog.set_config('search_path', <path>, false), <schema>::regnamespace; <statement>

as one message. PostgreSQL runs a multi-statement message as one implicit transaction, so
a pooler hands both to the same server connection. The ``regnamespace`` cast fails when the
tenant's schema does not exist (deleted tenant, dropped schema): the statement never runs,
and :class:`~pgschemas.core.exceptions.SchemaNotFound` is raised instead of the statement
silently resolving its tables in ``public``. A routed tenant may carry a guard
(:mod:`..guard`): the first statement of its request adds the guard's check to the same
``SELECT`` and is refused with :class:`~pgschemas.core.exceptions.RouteChanged` when the
cached route no longer holds. The cursor steps past the first result
(``nextset()``), so callers see exactly the results, ``rowcount`` and ``description`` of
their own statement.

Statements that cannot share a message with it (the client is in pipeline mode, binary or
server-side binding, ``executemany()``, ``copy()``, ``stream()``, server-side cursors, and
statements that refuse a transaction block) get the ``SET`` on its own first. In
autocommit mode the two are then wrapped in a short explicit transaction (``BEGIN``, set,
statement, ``COMMIT``), which a pooler keeps on one server connection - except for the
statements that refuse a transaction block (``VACUUM``, ``... CONCURRENTLY``, ``CREATE
DATABASE``), which need session pooling or schema-qualified names behind a transaction
pooler. ``PGSCHEMAS_PIGGYBACK_SEARCH_PATH = False`` sends every ``SET`` that way (the plain
path: correct everywhere, two to three more round trips per transaction).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from psycopg import ClientCursor, errors, pq, sql

from ..activation import get_current_schema
from ..config import PUBLIC_KEY, extra_search_paths
from ..exceptions import RouteChanged, SchemaNotFound
from ..guard import PendingGuard, is_guard_error, pending_guard
from .recycle import SchemaCounter

logger = logging.getLogger("pgschemas.core.postgresql")

#: Attribute of the psycopg connection pointing at its wrapper's :class:`SearchPathState`.
STATE_ATTR = "_pgschemas_search_path_state"
_IDLE = pq.TransactionStatus.IDLE
_INERROR = pq.TransactionStatus.INERROR
_PIPELINE_OFF = pq.PipelineStatus.OFF

#: First words of statements that end, start or roll back (part of) a transaction: they
#: never carry the ``SET`` and the path is unknown after them.
_CONTROL = frozenset(
    {"BEGIN", "START", "COMMIT", "END", "ROLLBACK", "ABORT", "SAVEPOINT", "RELEASE", "PREPARE"}
)
#: First words of statements that may refuse a transaction block (``VACUUM``, ``CREATE
#: DATABASE``, ``... CONCURRENTLY``): the ``SET`` goes on its own, outside any block.
_OUTSIDE_BLOCK = frozenset({"VACUUM", "DISCARD"})
#: ... and those that do when one of these words follows their first word.
_OUTSIDE_BLOCK_FIRST = frozenset({"CREATE", "DROP", "ALTER", "REINDEX"})
_OUTSIDE_BLOCK_WORDS = frozenset(
    {"DATABASE", "TABLESPACE", "CONCURRENTLY", "SYSTEM", "SUBSCRIPTION"}
)
#: First words of the statements the ``SET`` is piggybacked on: queries and row changes.
#: Every other statement (DDL and other utility commands) gets the ``SET`` on its own,
#: because some servers forward a utility command's whole message text: Citus sends the
#: text of ``ALTER TABLE`` etc. on a distributed table to its workers, where a message
#: holding two statements is refused. DDL is rare, so the extra round trip is cheap.
_PIGGYBACK_FIRST = frozenset(
    {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH", "VALUES", "TABLE", "MERGE", "SHOW"}
)


@dataclass(frozen=True, slots=True)
class SetStatement:
    """The statement setting one search path (and checking its schema), rendered once."""

    path: tuple[str, ...]
    #: ``SELECT pg_catalog.set_config('search_path', ...), ...::regnamespace``
    text: str
    #: ``text + "; "``: what is put in front of a statement.
    prefix: str
    #: ``prefix`` with ``%`` doubled, for statements that have parameters.
    escaped_prefix: str
    #: The request's guard this statement also checks (see :mod:`..guard`), if any.
    guard: PendingGuard | None = None

    def guarded(self, pending: PendingGuard) -> SetStatement:
        """This statement checking ``pending``'s condition too (built per request)."""
        text = f"{self.text}, {pending.guard.check}"
        prefix = f"{text}; "
        return SetStatement(self.path, text, prefix, prefix.replace("%", "%%"), pending)


#: Rendered statements by path. Bounded for a process that visits very many tenants: when
#: full, the oldest half (insertion order) is dropped. The bound is well above the tenant
#: counts a server holds (a statement is a few hundred bytes), because a worker that cycles
#: through more tenants than the cache holds renders again on every request.
_statements: dict[tuple[str, ...], SetStatement] = {}
_MAX_STATEMENTS = 65536


def _remember(path: tuple[str, ...], statement: SetStatement) -> None:
    if len(_statements) >= _MAX_STATEMENTS:
        for old in list(_statements)[: len(_statements) // 2]:
            _statements.pop(old, None)
    _statements[path] = statement


def set_statement(path: tuple[str, ...], connection: Any) -> SetStatement:
    """The rendered statement for ``path`` (cached per path, see ``_statements``).

    Names reach PostgreSQL as string literals and are quoted there (``quote_ident``), so
    ``SHOW search_path`` reads as if ``SET search_path`` had been used. The first schema is
    checked to exist unless it is ``public``. ``connection`` (psycopg) is the quoting
    context; Django's connections are all UTF-8, so the text does not depend on it.
    """
    statement = _statements.get(path)
    if statement is not None:
        return statement
    quoted = sql.SQL(" || ', ' || ").join(
        sql.SQL("pg_catalog.quote_ident({})").format(sql.Literal(name)) for name in path
    )
    composed = sql.SQL("SELECT pg_catalog.set_config('search_path', {}, false)").format(quoted)
    if path[0] != PUBLIC_KEY:
        composed += sql.SQL(", pg_catalog.quote_ident({})::pg_catalog.regnamespace").format(
            sql.Literal(path[0])
        )
    text = composed.as_string(connection)
    prefix = f"{text}; "
    statement = SetStatement(path, text, prefix, prefix.replace("%", "%%"))
    _remember(path, statement)
    return statement


def search_path_for(schema_name: str) -> tuple[str, ...]:
    """The search path for a schema, without duplicates, ``public`` last."""
    return _search_path(schema_name, extra_search_paths())


@functools.lru_cache(maxsize=65536)
def _search_path(schema_name: str, extra: tuple[str, ...]) -> tuple[str, ...]:
    # Called for every statement: cached so the steady state is one dict lookup.
    path: list[str] = [schema_name]
    for name in (*extra, PUBLIC_KEY):
        if name not in path:
            path.append(name)
    return tuple(path)


class SearchPathState:
    """What one Django connection knows about its server's search path.

    ``known``: the path set inside the *current* transaction (None: unknown; a statement
    that starts a new transaction always sends it). ``piggyback``: send the ``SET`` in the
    statement's message when possible. ``sets``: how many were sent
    (``connection.pgschemas_search_path_sets``). ``counter``: the server connection's
    :class:`~.recycle.SchemaCounter` when ``PGSCHEMAS_RECYCLE_AFTER_SCHEMAS`` is set.
    """

    __slots__ = ("alias", "counter", "known", "piggyback", "sets")

    def __init__(self, alias: str, *, piggyback: bool = True) -> None:
        self.alias = alias
        self.known: tuple[str, ...] | None = None
        self.piggyback = piggyback
        self.sets = 0
        self.counter: SchemaCounter | None = None

    def forget(self) -> None:
        """The server's path is unknown (new connection, rollback, failed statement)."""
        self.known = None

    def sent(self, statement: SetStatement) -> None:
        self.known = statement.path
        self.sets += 1
        if self.counter is not None:
            # Counted where the path is sent: only schemas a statement really ran in.
            self.counter.saw(statement.path[0])
        if statement.guard is not None:
            statement.guard.done = True
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("search_path = %s (alias=%s)", ", ".join(statement.path), self.alias)

    def needed(self, connection: Any) -> SetStatement | None:
        """The statement to send before the next one, or None when the server has it."""
        status = connection.pgconn.transaction_status
        if status == _IDLE:
            # The next statement starts a transaction: on a pooled server connection, or
            # after a commit, nothing we set earlier can be assumed.
            self.known = None
        elif status == _INERROR:
            return None  # nothing runs; the rollback that must follow resets us
        schema = get_current_schema()
        wanted = search_path_for(schema.schema_name)
        pending = pending_guard(schema, self.alias)
        if pending is not None:
            return set_statement(wanted, connection).guarded(pending)
        if wanted == self.known:
            return None
        return set_statement(wanted, connection)


def _missing_schema(error: errors.InvalidSchemaName, statement: SetStatement) -> bool:
    """Whether ``error`` comes from our existence check rather than the user's statement."""
    position = error.diag.statement_position
    return position is None or int(position) <= len(statement.text)


def refusal(error: errors.InvalidSchemaName, statement: SetStatement) -> SchemaNotFound:
    """Our exception for ``error``, raised by ``statement``'s schema check or guard."""
    if statement.guard is not None and is_guard_error(error):
        return RouteChanged(statement.path[0])
    return SchemaNotFound(statement.path[0])


def send_alone(connection: Any, state: SearchPathState, statement: SetStatement) -> None:
    """Send ``statement`` in a message of its own, now (on a cursor that adds nothing)."""
    try:
        with ClientCursor(connection) as cursor:
            cursor.execute(statement.text)
    except errors.InvalidSchemaName as error:
        state.forget()
        raise refusal(error, statement) from error
    except BaseException:
        state.forget()
        raise
    state.sent(statement)


@contextmanager
def statement_scope(
    connection: Any, state: SearchPathState, statement: SetStatement, *, block: bool = True
) -> Iterator[None]:
    """Set the path on its own, then run the block in the same transaction.

    In autocommit mode at the start of a transaction the two are wrapped in an explicit
    transaction so that a transaction pooler keeps them on one server connection
    (``block=False`` for statements that refuse a transaction block).
    """
    if block and connection.autocommit and connection.pgconn.transaction_status == _IDLE:
        with connection.transaction():
            send_alone(connection, state, statement)
            yield
        state.forget()
    else:
        send_alone(connection, state, statement)
        yield


def _first_words(query: str) -> list[str]:
    return [word.upper().rstrip(";") for word in query.lstrip().lstrip("(").split(None, 5)[:5]]


#: How the statements Django's compiler writes begin: ``"plain"`` without splitting words.
_PLAIN_HEADS = frozenset({"SELECT ", "INSERT ", "UPDATE ", "DELETE "})


def classify(query: Any) -> str:
    """``"control"``, ``"outside"`` (refuses a block), ``"utility"`` (other DDL and utility
    commands: the ``SET`` goes alone), ``"plain"`` (queries, row changes), ``"other"``."""
    if type(query) is not str:
        return "other"
    if query[:7] in _PLAIN_HEADS:
        return "plain"  # the first statement of nearly every transaction: decided cheaply
    words = _first_words(query)
    first = words[0] if words else ""
    if first in _CONTROL:
        return "control"
    if first in _OUTSIDE_BLOCK or (
        first in _OUTSIDE_BLOCK_FIRST and not _OUTSIDE_BLOCK_WORDS.isdisjoint(words[1:])
    ):
        return "outside"
    if first not in _PIGGYBACK_FIRST:
        return "utility"
    return "plain"


@functools.cache
def search_path_cursor(base: type) -> type:
    """``base`` (a psycopg cursor class) setting the search path in every transaction."""
    if getattr(base, "pgschemas_search_path_cursor", False):
        return base
    client_side = issubclass(base, ClientCursor)

    class SearchPathCursor(base):
        __slots__ = ("pgschemas_prefix",)
        pgschemas_search_path_cursor = True

        def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
            connection = self.connection
            self.pgschemas_prefix = None
            state: SearchPathState | None = getattr(connection, STATE_ATTR, None)
            statement = None if state is None else state.needed(connection)
            if statement is None or state is None:
                return super().execute(query, params, **kwargs)
            if isinstance(query, sql.Composable):
                query = query.as_string(connection)
            kind = classify(query)
            if kind == "control":
                try:
                    return super().execute(query, params, **kwargs)
                finally:
                    state.forget()
            if not (
                kind == "plain"
                and state.piggyback
                and client_side
                and not kwargs.get("binary")
                and connection.pgconn.pipeline_status == _PIPELINE_OFF
            ):
                with statement_scope(connection, state, statement, block=kind != "outside"):
                    return super().execute(query, params, **kwargs)
            prefix = statement.prefix if params is None else statement.escaped_prefix
            try:
                super().execute(prefix + query, params, **kwargs)
            except errors.InvalidSchemaName as error:
                state.forget()
                if _missing_schema(error, statement):
                    raise refusal(error, statement) from error
                raise
            except BaseException:
                state.forget()
                raise
            state.sent(statement)
            # Step past set_config's row: the caller sees its own statement's results.
            self.nextset()
            self.pgschemas_prefix = statement.prefix
            return self

        def executemany(self, *args: Any, **kwargs: Any) -> Any:
            connection = self.connection
            state: SearchPathState | None = getattr(connection, STATE_ATTR, None)
            statement = None if state is None else state.needed(connection)
            if statement is None or state is None:
                return super().executemany(*args, **kwargs)
            with statement_scope(connection, state, statement):
                return super().executemany(*args, **kwargs)

        @contextmanager
        def copy(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            connection = self.connection
            state: SearchPathState | None = getattr(connection, STATE_ATTR, None)
            statement = None if state is None else state.needed(connection)
            if statement is None or state is None:
                with super().copy(*args, **kwargs) as copy:
                    yield copy
                return
            with (
                statement_scope(connection, state, statement),
                super().copy(*args, **kwargs) as copy,
            ):
                yield copy

        def stream(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
            connection = self.connection
            state: SearchPathState | None = getattr(connection, STATE_ATTR, None)
            statement = None if state is None else state.needed(connection)
            if statement is None or state is None:
                yield from super().stream(*args, **kwargs)
                return
            with statement_scope(connection, state, statement):
                yield from super().stream(*args, **kwargs)

    SearchPathCursor.__name__ = SearchPathCursor.__qualname__ = f"SearchPath{base.__name__}"
    SearchPathCursor.__module__ = __name__
    return SearchPathCursor
