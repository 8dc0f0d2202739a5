"""Standalone sequences, their options (shared with identity columns), ownership and
current values."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from .base import _BuilderBase
from .fragments import _ident, _text


class _Sequences(_BuilderBase):
    def sequences(self) -> None:
        standalone = [seq for seq in self.doc["sequences"] if not seq["identity"]]
        for seq in standalone:
            self.plan.add(
                sql.SQL("CREATE SEQUENCE {} AS {} {}").format(
                    self.qualified(seq["name"]), _text(seq["type"]), self.sequence_options(seq)
                )
            )
        self.count("sequences", len(standalone))

    @staticmethod
    def sequence_options(seq: dict[str, Any]) -> sql.Composable:
        return sql.SQL("INCREMENT BY {} MINVALUE {} MAXVALUE {} START WITH {} CACHE {} {}").format(
            sql.Literal(seq["increment"]),
            sql.Literal(seq["min"]),
            sql.Literal(seq["max"]),
            sql.Literal(seq["start"]),
            sql.Literal(seq["cache"]),
            sql.SQL("CYCLE" if seq["cycle"] else "NO CYCLE"),
        )

    def sequence_state(self) -> None:
        for seq in self.doc["sequences"]:
            if not seq["identity"] and seq["owner_table"]:
                self.plan.add(
                    sql.SQL("ALTER SEQUENCE {} OWNED BY {}").format(
                        self.qualified(seq["name"]),
                        _ident(self.dst, seq["owner_table"], seq["owner_column"]),
                    )
                )
        called = [seq for seq in self.doc["sequences"] if seq["last"] is not None]
        if called:
            # One statement for every sequence: names are values here, resolved in SQL.
            values = sql.SQL(", ").join(
                sql.SQL("({}, {}::bigint)").format(
                    sql.Literal(seq["name"]), sql.Literal(seq["last"])
                )
                for seq in called
            )
            self.plan.add(
                sql.SQL(
                    "SELECT pg_catalog.setval(c.oid, v.last_value, true) "
                    "FROM (VALUES {}) AS v(name, last_value) "
                    "JOIN pg_catalog.pg_class c ON c.relname = v.name "
                    "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace AND n.nspname = {}"
                ).format(values, sql.Literal(self.dst))
            )
