"""Opening the database client (``dbshell``) in a schema.

Django's ``dbshell`` starts ``psql`` with the connection settings only, so the shell would
open with the server's default search path - ``public`` - whatever schema ``runschema``
activated. libpq reads server options from the ``PGOPTIONS`` environment variable, so the
schema's search path (the one the backend uses for queries) is passed there for the
duration of the command. It is appended to a ``PGOPTIONS`` already set, so other options
are kept and ours wins for ``search_path``.

A connection pooler (PgBouncer) drops startup options such as ``PGOPTIONS``, and a
transaction pooler would not keep a ``SET`` between two statements either, so behind one
the shell would silently open in ``public``. Before the shell starts, the same client with
the same environment asks the server for its search path; when ours did not arrive the
command stops with an error that says so, instead of opening in the wrong schema.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError
from django.db import connections
from psycopg import sql

from pgschemas.core.schema import SchemaLike


def escape_pgoptions(value: str) -> str:
    """libpq splits ``PGOPTIONS`` at spaces unless backslash-escaped (``\\\\`` for ``\\``)."""
    return value.replace("\\", "\\\\").replace(" ", "\\ ")


def search_path_text(schema_name: str, alias: str) -> str:
    """``"acme", "public"``: ``schema_name``'s search path as the server shows it."""
    from pgschemas.core.postgresql.base import search_path_for

    connection = connections[alias]
    connection.ensure_connection()
    names = sql.SQL(", ").join(sql.Identifier(name) for name in search_path_for(schema_name))
    return names.as_string(connection.connection)


def search_path_option(schema_name: str, alias: str) -> str:
    """``-c search_path="acme",\\ "public"`` for ``schema_name`` on database ``alias``."""
    return "-c " + escape_pgoptions("search_path=" + search_path_text(schema_name, alias))


#: A setting only the check passes: proof that startup options reached a fresh session
#: (the search path alone could be left over on a pooled server connection).
CHECK_SETTING = "pgschemas.dbshell_check"


def options_reaching_server(alias: str) -> tuple[str, str] | None:
    """``(check value, search path)`` a new ``dbshell`` client gets; None if it cannot tell.

    Runs the client Django's ``dbshell`` runs, with its arguments and environment plus
    :data:`CHECK_SETTING`, without a startup file and never prompting for a password; a
    client that cannot connect this way is left to ``dbshell``, which reports its own error.
    """
    connection = connections[alias]
    query = (
        f"SELECT coalesce(pg_catalog.current_setting('{CHECK_SETTING}', true), '') "
        "|| '|' || pg_catalog.current_setting('search_path')"
    )
    args, env = connection.client.settings_to_cmd_args_env(
        connection.settings_dict, ["-X", "-w", "-A", "-t", "-c", query]
    )
    environ = {**os.environ, **(env or {})}
    environ["PGOPTIONS"] = f"{environ.get('PGOPTIONS', '')} -c {CHECK_SETTING}=on".strip()
    try:
        done = subprocess.run(
            args, env=environ, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        # PgBouncer's default refuses the connection outright ("unsupported startup
        # parameter: options"): as wrong as dropping it, and worth the same clear error.
        refused = "unsupported startup parameter" in done.stderr
        return ("refused", done.stderr.strip().splitlines()[-1]) if refused else None
    check, _, path = done.stdout.strip().partition("|")
    return check, path


def check_search_path_arrives(schema: SchemaLike, expected: str) -> None:
    """Refuse to open the shell in another search path than ``schema``'s."""
    alias = schema.db_alias
    found = options_reaching_server(alias)
    if found is None or found == ("on", expected):
        return
    settings = connections[alias].settings_dict
    where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}"
    if found[0] == "refused":
        what = f"refused the options passed in PGOPTIONS ({found[1]})"
        outcome = f"dbshell cannot open in {schema.schema_name!r} ({expected})"
    else:
        what = "ignored the options passed in PGOPTIONS"
        outcome = (
            f"dbshell would not open in {schema.schema_name!r} ({expected}) but in search "
            f"path {found[1]!r}"
        )
    raise CommandError(
        f"{outcome}: the server at {where} (database {alias!r}) {what}. A connection pooler "
        "such as PgBouncer refuses or drops startup options; run this command with HOST and "
        "PORT of that database pointing at PostgreSQL itself (for example a maintenance "
        "settings module), or SET search_path in the shell."
    )


@contextmanager
def client_in_schema(schema: SchemaLike) -> Iterator[None]:
    """Within the block, a client started by ``dbshell`` opens in ``schema``'s search path.

    Changes the process environment: only for commands that run one schema at a time.
    """
    alias = schema.db_alias
    if not getattr(connections[alias], "pgschemas_aware", False):
        yield  # not a schema database: nothing to route
        return
    expected = search_path_text(schema.schema_name, alias)
    option = "-c " + escape_pgoptions("search_path=" + expected)
    previous = os.environ.get("PGOPTIONS")
    os.environ["PGOPTIONS"] = f"{previous} {option}" if previous else option
    try:
        check_search_path_arrives(schema, expected)
        yield
    finally:
        if previous is None:
            os.environ.pop("PGOPTIONS", None)
        else:
            os.environ["PGOPTIONS"] = previous
