"""Creating the selected schemas that do not exist yet, before a command runs on them.

A command that may write gets a missing schema created **empty** (not migrated), unless
``--no-create-schemas``. A command that only reads never does: running it on a missing
schema would silently read ``public`` (PostgreSQL skips missing schemas in the search
path), so the schema is failed instead. The clone reference is never created here
(``createrefschema`` builds it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections

from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.schema import SchemaLike

from .options import SchemaOptions
from .results import SchemaResult, Status
from .selectors import Selection

#: Commands known to only read: ``runschema`` never creates a missing schema for them.
READ_ONLY_COMMANDS = frozenset(
    {
        "check",
        "diffsettings",
        "dumpdata",
        "inspectdb",
        "showmigrations",
        "sqlflush",
        "sqlmigrate",
        "sqlsequencereset",
        "whowill",
    }
)


def is_read_only(command: Any, name: str | None = None) -> bool:
    """``pgschemas_read_only`` on the command class wins; else the :data:`READ_ONLY_COMMANDS`."""
    flag = getattr(command, "pgschemas_read_only", None)
    if flag is not None:
        return bool(flag)
    return (name or type(command).__module__.rsplit(".", 1)[-1]) in READ_ONLY_COMMANDS


def missing_schemas(names: Sequence[str], alias: str) -> set[str]:
    """Which of ``names`` do not exist, in one query."""
    if not names:
        return set()
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%s)", [list(names)]
        )
        present = {row[0] for row in cursor.fetchall()}
    return set(names) - present


def prepare_schemas(
    selection: Selection, options: SchemaOptions, *, read_only: bool, stderr: Any
) -> tuple[list[SchemaLike], dict[str, SchemaResult]]:
    """Create missing selected schemas when allowed; return what to run and pre-results.

    The clone reference is skipped when it is missing and came in through a wildcard, and
    failed when named. Created schemas and pre-results are reported on ``stderr``.
    """
    alias = get_config().tenant_db_alias
    names = [s.schema_name for s in selection.schemas if s.schema_name != "public"]
    missing = missing_schemas(names, alias)
    reference = get_config().clone_reference
    to_run: list[SchemaLike] = []
    results: dict[str, SchemaResult] = {}
    for schema in selection.schemas:
        name = schema.schema_name
        if name not in missing:
            to_run.append(schema)
        elif name == reference:
            message = f"clone reference {name!r} does not exist; run createrefschema first"
            status = Status.FAILED if name in selection.explicit else Status.SKIPPED
            results[name] = SchemaResult(name, status, message)
        elif read_only or not options.create_schemas:
            why = "read-only command" if read_only else "--no-create-schemas"
            results[name] = SchemaResult(
                name, Status.FAILED, f"schema {name!r} does not exist (not created: {why})"
            )
        else:
            ddl.create_schema(name, using=schema.db_alias)
            if options.verbosity >= 1:
                stderr.write(f"[{name}] created missing schema {name!r} (empty)")
            to_run.append(schema)
    for result in results.values():
        # -v 0 is quiet: a skipped schema is still counted in the (-v 1) summary.
        if result.status is not Status.SKIPPED or options.verbosity >= 1:
            stderr.write(f"[{result.schema_name}] {result.status}: {result.message}")
    return to_run, results
