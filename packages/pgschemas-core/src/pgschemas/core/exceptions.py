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
