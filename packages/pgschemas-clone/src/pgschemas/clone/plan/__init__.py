"""Turn a catalog document (see :mod:`.catalog`) into the SQL that rebuilds it elsewhere.

The order is what PostgreSQL needs: types, sequences, functions that only need types,
tables (columns, defaults, identity, partitions), the remaining functions, data, then
constraints and indexes, foreign keys, views and materialized views in dependency order,
their indexes, triggers (after the data, so BEFORE INSERT triggers do not touch copied
rows), comments, sequence ownership and current values.

Small tables - a reference schema's tables are mostly empty - are created whole: one
``CREATE TABLE`` carrying their primary key, unique, check and exclusion constraints,
and, when the table is empty, its foreign keys (which PostgreSQL then has no rows to
validate), followed by its indexes; their rows, if any, are copied afterwards. That is
over a third fewer statements (298 instead of 482 for a 50-model app) than adding every
constraint with ``ALTER TABLE``, and no validation query per foreign key. Empty tables
are not copied at all. Bigger tables keep the bulk order: rows first, then constraints
and indexes built once over them.

Definitions deparsed by PostgreSQL are used as SQL text; every name we add ourselves goes
through ``psycopg.sql.Identifier`` and every value through ``psycopg.sql.Literal``.

Each kind of object has its own module (:mod:`.datatypes`, :mod:`.sequences`,
:mod:`.functions`, :mod:`.arrange`, :mod:`.tables`, :mod:`.indexes`, :mod:`.views`,
:mod:`.comments`; SQL helpers and the dependency sort in :mod:`.fragments`): ``_Builder``
combines them and runs the steps in the order above.
"""

from __future__ import annotations

from typing import Any

from .arrange import INLINE_MAX_BYTES, _Arrange
from .base import CloneError, ClonePlan
from .comments import _Comments
from .datatypes import _Types
from .fragments import _qualified_reference
from .functions import _Functions
from .tables import _Tables
from .views import _Views

__all__ = ["INLINE_MAX_BYTES", "CloneError", "ClonePlan", "_qualified_reference", "build_plan"]


class _Builder(_Tables, _Types, _Functions, _Arrange, _Views, _Comments):
    """Every step, run by :meth:`build` in the order PostgreSQL needs."""

    def build(self) -> ClonePlan:
        if self.doc["unsupported"]:
            listed = "; ".join(sorted(self.doc["unsupported"]))
            raise CloneError(
                f"Schema {self.src!r} holds objects pgschemas.clone cannot copy faithfully "
                f"({listed}). Remove them from the source or provision tenants with "
                "migrations instead."
            )
        self.types()
        self.sequences()
        early, after_tables, after_views = self.split_functions()
        self.arrange({function["name"] for function in after_tables + after_views})
        self.functions(early)
        self.tables()
        self.functions(after_tables)
        self.data()
        self.constraints(("p", "u", "c", "x"))
        self.indexes(on_matview=False)
        self.constraints(("f",))
        self.views()
        self.functions(after_views)
        self.indexes(on_matview=True)
        self.triggers()
        self.comments()
        self.sequence_state()
        return self.plan


def build_plan(
    doc: dict[str, Any], source: str, destination: str, *, one_subcommand: bool = False
) -> ClonePlan:
    """The statements that rebuild ``doc`` (read from ``source``) in ``destination``.

    ``one_subcommand``: every ``ALTER TABLE`` carries one subcommand (Citus needs it).
    """
    builder = _Builder(doc, source, destination)
    builder.one_subcommand = one_subcommand
    return builder.build()
