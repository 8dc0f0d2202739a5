"""Opening the database client (``dbshell``) in a schema.

Django's ``dbshell`` starts ``psql`` with the connection settings only, so the shell would
open with the server's default search path - ``public`` - whatever schema ``runschema``
activated. libpq reads server options from the ``PGOPTIONS`` environment variable, so the
schema's search path (the one the backend uses for queries) is passed there for the
duration of the command. It is appended to a ``PGOPTIONS`` already set, so other options
are kept and ours wins for ``search_path``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from psycopg import sql

from pgschemas.core.schema import SchemaLike


def escape_pgoptions(value: str) -> str:
    """libpq splits ``PGOPTIONS`` at spaces unless backslash-escaped (``\\\\`` for ``\\``)."""
    return value.replace("\\", "\\\\").replace(" ", "\\ ")


def search_path_option(schema_name: str, alias: str) -> str:
    """``-c search_path="acme",\\ "public"`` for ``schema_name`` on database ``alias``."""
    from pgschemas.core.postgresql.base import search_path_for

    connection = connections[alias]
    connection.ensure_connection()
    names = sql.SQL(", ").join(sql.Identifier(name) for name in search_path_for(schema_name))
    return "-c " + escape_pgoptions("search_path=" + names.as_string(connection.connection))


@contextmanager
def client_in_schema(schema: SchemaLike) -> Iterator[None]:
    """Within the block, a client started by ``dbshell`` opens in ``schema``'s search path.

    Changes the process environment: only for commands that run one schema at a time.
    """
    alias = schema.db_alias
    if not getattr(connections[alias], "pgschemas_aware", False):
        yield  # not a schema database: nothing to route
        return
    option = search_path_option(schema.schema_name, alias)
    previous = os.environ.get("PGOPTIONS")
    os.environ["PGOPTIONS"] = f"{previous} {option}" if previous else option
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("PGOPTIONS", None)
        else:
            os.environ["PGOPTIONS"] = previous
