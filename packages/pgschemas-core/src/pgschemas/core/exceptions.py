"""Errors of pgschemas-core that callers may want to catch by type."""

from __future__ import annotations

from django.db.utils import ProgrammingError


class SchemaNotFound(ProgrammingError):
    """A statement was to run in a schema that does not exist (any more).

    Raised by the backend instead of running the statement: PostgreSQL skips a missing
    schema in the search path, so the statement would otherwise resolve its tables in
    ``public`` (or another schema of the path). A ``DatabaseError``, so Django's
    transaction handling treats it like any failed statement; routing answers 404.
    """

    def __init__(self, schema_name: str) -> None:
        self.schema_name = schema_name
        super().__init__(
            f"Schema {schema_name!r} does not exist: its tenant was deleted or its schema "
            "dropped. pgschemas refuses to run the statement (it would otherwise run in "
            "public). Recreate the schema (e.g. save the tenant again) or stop routing to it."
        )

    def __reduce__(self) -> tuple[type[SchemaNotFound], tuple[str]]:
        # Rebuilt from the schema name (pickle, copy, Celery results), not the message.
        return (type(self), (self.schema_name,))


class RouteChanged(SchemaNotFound):
    """A cached route no longer holds: its tenant or domain changed in another process.

    Raised by the backend at the first statement run under a routed tenant whose guard
    (:mod:`pgschemas.core.guard`) the database refused: the statement did not run. A
    subclass of :class:`SchemaNotFound`, so code handling a vanished tenant handles this
    too; routing reads the route again and answers 404 (tenant gone) or 307 (ask again).
    """

    def __init__(self, schema_name: str) -> None:
        self.schema_name = schema_name
        ProgrammingError.__init__(
            self,
            f"The route to schema {schema_name!r} changed in another process (its tenant was "
            "deleted or renamed, or its domain moved): the statement was not run. Routing "
            "reads the route again; outside a routed request, activate the tenant afresh.",
        )
