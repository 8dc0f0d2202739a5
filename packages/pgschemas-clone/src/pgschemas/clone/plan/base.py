"""The plan itself, its error, and the state every step of the builder shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg import sql

from .fragments import _ident


class CloneError(Exception):
    """Cloning cannot start or did not complete (nothing was left behind)."""


@dataclass
class ClonePlan:
    """The statements that copy ``source`` into ``destination``, in execution order."""

    source: str
    destination: str
    statements: list[sql.Composable] = field(default_factory=list)
    #: Object counts per kind, for messages and dry runs.
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, statement: sql.Composable) -> None:
        self.statements.append(statement)


class _BuilderBase:
    """The document, the names and the plan being filled; the steps are mixins."""

    one_subcommand = False

    def __init__(self, doc: dict[str, Any], source: str, destination: str) -> None:
        self.doc = doc
        self.src = source
        self.dst = destination
        self.plan = ClonePlan(source, destination)
        self.identity_sequences = {
            (seq["owner_table"], seq["owner_column"]): seq
            for seq in doc["sequences"]
            if seq["identity"]
        }
        self.table_oids = {table["oid"] for table in doc["tables"]}
        #: Per table, what goes into (or right after) its CREATE TABLE; filled by arrange().
        self.inline_constraints: dict[str, list[dict[str, Any]]] = {}
        self.inline_indexes: dict[str, list[dict[str, Any]]] = {}
        self.deferred_constraints: list[dict[str, Any]] = []
        self.deferred_indexes: list[dict[str, Any]] = []
        self.table_order: list[dict[str, Any]] = []

    # -- helpers ------------------------------------------------------------------------
    def qualified(self, name: str) -> sql.Identifier:
        return _ident(self.dst, name)

    def count(self, kind: str, n: int) -> None:
        if n:
            self.plan.counts[kind] = self.plan.counts.get(kind, 0) + n
