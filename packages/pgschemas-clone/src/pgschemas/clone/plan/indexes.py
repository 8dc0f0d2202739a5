"""Constraints added after the tables (``ALTER TABLE``) and indexes."""

from __future__ import annotations

from typing import Any

from psycopg import sql

from .base import _BuilderBase
from .fragments import _ident, _text


class _Constraints(_BuilderBase):
    def constraints(self, kinds: tuple[str, ...]) -> None:
        wanted = [con for con in self.deferred_constraints if con["type"] in kinds]
        by_table: dict[str, list[dict[str, Any]]] = {}
        for con in wanted:
            by_table.setdefault(con["table"], []).append(con)
        for table, cons in by_table.items():
            adds = [
                sql.SQL("ADD CONSTRAINT {} {}").format(_ident(con["name"]), _text(con["def"]))
                for con in cons
            ]
            # One ALTER TABLE per table: a single pass over the rows for all its checks.
            # Citus refuses ADD CONSTRAINT next to other subcommands: one each there.
            groups = [[add] for add in adds] if self.one_subcommand else [adds]
            for group in groups:
                self.plan.add(
                    sql.SQL("ALTER TABLE {} {}").format(
                        self.qualified(table), sql.SQL(", ").join(group)
                    )
                )
        every = [con for con in self.doc["constraints"] if con["type"] in kinds]
        self.count("foreign keys" if kinds == ("f",) else "constraints", len(every))

    def indexes(self, *, on_matview: bool) -> None:
        if on_matview:
            indexes = [i for i in self.doc["indexes"] if i["on_matview"]]
            self.count("indexes", len(indexes))
        else:
            indexes = self.deferred_indexes
            self.count("indexes", sum(not i["on_matview"] for i in self.doc["indexes"]))
        for index in indexes:
            self.index(index)

    def index(self, index: dict[str, Any]) -> None:
        definition: str = index["def"]
        if index["partitioned"]:
            # Deparsed as "ON ONLY parent", which would not cascade to the partitions.
            definition = definition.replace(" ON ONLY ", " ON ", 1)
        self.plan.add(_text(definition))
        if index["clustered"]:
            self.plan.add(
                sql.SQL("ALTER TABLE {} CLUSTER ON {}").format(
                    self.qualified(index["table"]), _ident(index["name"])
                )
            )
