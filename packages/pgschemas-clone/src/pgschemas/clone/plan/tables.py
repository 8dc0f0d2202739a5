"""Tables (columns, defaults, identity, partitions, inline constraints) and their rows."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from .fragments import _ident, _options, _text
from .indexes import _Constraints
from .sequences import _Sequences


class _Tables(_Constraints, _Sequences):
    def tables(self) -> None:
        for table in self.table_order:
            prefix = sql.SQL("CREATE UNLOGGED TABLE" if table["unlogged"] else "CREATE TABLE")
            name = self.qualified(table["name"])
            if table["parent"] is not None:
                statement = sql.SQL("{} {} PARTITION OF {} {}").format(
                    prefix, name, self.qualified(table["parent"]), _text(table["bound"])
                )
            else:
                elements = [self.column(table, column) for column in table["columns"] or []]
                elements += [
                    sql.SQL("CONSTRAINT {} {}").format(_ident(con["name"]), _text(con["def"]))
                    for con in self.inline_constraints.get(table["name"], [])
                ]
                statement = sql.SQL("{} {} ({})").format(prefix, name, sql.SQL(", ").join(elements))
            if table["partkey"]:
                statement = sql.SQL("{} PARTITION BY {}").format(statement, _text(table["partkey"]))
            statement = sql.SQL("{}{}").format(statement, _options(table["options"]))
            self.plan.add(statement)
            for index in self.inline_indexes.get(table["name"], []):
                self.index(index)
        self.count("tables", len(self.table_order))

    def column(self, table: dict[str, Any], column: dict[str, Any]) -> sql.Composable:
        parts: list[sql.Composable] = [_ident(column["name"]), _text(column["type"])]
        if column["collation"]:
            parts.append(sql.SQL("COLLATE {}").format(_ident(*column["collation"])))
        if column["generated"] == "s":
            parts.append(
                sql.SQL("GENERATED ALWAYS AS ({}) STORED").format(_text(column["default"]))
            )
        elif column["default"] is not None:
            parts.append(sql.SQL("DEFAULT {}").format(_text(column["default"])))
        if column["notnull"]:
            parts.append(sql.SQL("NOT NULL"))
        if column["identity"]:
            seq = self.identity_sequences.get((table["name"], column["name"]))
            kind = sql.SQL("ALWAYS" if column["identity"] == "a" else "BY DEFAULT")
            if seq is None:
                parts.append(sql.SQL("GENERATED {} AS IDENTITY").format(kind))
            else:
                parts.append(
                    sql.SQL("GENERATED {} AS IDENTITY (SEQUENCE NAME {} {})").format(
                        kind, self.qualified(seq["name"]), self.sequence_options(seq)
                    )
                )
        return sql.SQL(" ").join(parts)

    def data(self) -> None:
        # An empty table (no page at all) has nothing to copy.
        tables = [table for table in self.doc["tables"] if table["kind"] == "r"]
        for table in tables:
            if table["bytes"] == 0:
                continue
            columns = [c for c in table["columns"] or [] if c["generated"] != "s"]
            if not columns:
                continue
            names = sql.SQL(", ").join(_ident(c["name"]) for c in columns)
            # Values of the source's own types (enums, composites...) are of a different
            # type than the destination's: convert them through their text form.
            values = sql.SQL(", ").join(
                sql.SQL("{}::text::{}").format(_ident(c["name"]), _text(c["type"]))
                if c["local_type"]
                else _ident(c["name"])
                for c in columns
            )
            self.plan.add(
                sql.SQL(
                    "INSERT INTO {} ({}) OVERRIDING SYSTEM VALUE SELECT {} FROM ONLY {}"
                ).format(
                    self.qualified(table["name"]), names, values, _ident(self.src, table["name"])
                )
            )
        self.count("data copies", len(tables))
