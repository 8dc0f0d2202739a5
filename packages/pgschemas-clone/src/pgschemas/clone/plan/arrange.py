"""Which constraints and indexes go into their table's ``CREATE TABLE``, which wait for
the rows, and the order the tables are created in."""

from __future__ import annotations

from typing import Any

from .base import _BuilderBase
from .fragments import _mentions, _toposort

#: Tables whose rows take up to this much (main fork) get their constraints and indexes
#: before their rows are copied: maintaining an index row by row costs nothing at this
#: size, and it saves the separate ``ALTER TABLE`` statements. Above it, indexes are built
#: once over the copied rows.
INLINE_MAX_BYTES = 1024 * 1024


class _Arrange(_BuilderBase):
    def arrange(self, late_functions: set[str]) -> None:
        """Decide which constraints and indexes go with their table, which wait for the rows.

        A small plain table takes its own constraints and indexes, except those naming a
        function created after the tables and NOT VALID constraints (``CREATE TABLE``
        would mark them valid). An empty one also takes the foreign keys whose target
        exists by then with all its unique keys: outside the schema, the table itself when
        its keys are inline constraints, or a complete table created before it (tables
        are ordered so that targets come first, cycles aside).
        """
        by_name = {table["name"]: table for table in self.doc["tables"]}

        def depth(table: dict[str, Any]) -> int:
            level = 0
            while table["parent"] is not None and table["parent"] in by_name:
                table = by_name[table["parent"]]
                level += 1
            return level

        inline = {
            table["name"]
            for table in self.doc["tables"]
            if table["kind"] == "r"
            and table["parent"] is None
            and table["bytes"] is not None
            and table["bytes"] <= INLINE_MAX_BYTES
        }
        keys: dict[str, list[dict[str, Any]]] = {}
        foreign: dict[str, list[dict[str, Any]]] = {}
        for con in self.doc["constraints"]:
            group = foreign if con["type"] == "f" else keys
            group.setdefault(con["table"], []).append(con)
        indexes: dict[str, list[dict[str, Any]]] = {}
        for index in self.doc["indexes"]:
            if not index["on_matview"]:
                indexes.setdefault(index["table"], []).append(index)

        def targets(table: dict[str, Any]) -> list[str]:
            return [con["references"] for con in foreign.get(table["name"], [])]

        ordered = _toposort(
            self.doc["tables"],
            "name",
            lambda t: (
                [name for name in targets(t) if name in inline] if t["name"] in inline else ()
            ),
        )
        self.table_order = sorted(ordered, key=depth)
        complete: set[str] = set()
        for table in self.table_order:
            name = table["name"]
            if name not in inline:
                self.deferred_constraints += keys.get(name, []) + foreign.get(name, [])
                self.deferred_indexes += indexes.get(name, [])
                continue
            own_constraints: list[dict[str, Any]] = []
            own_indexes: list[dict[str, Any]] = []
            keys_complete = True
            for con in keys.get(name, []):
                if con["validated"] and not _mentions(con["def"], late_functions):
                    own_constraints.append(con)
                else:
                    self.deferred_constraints.append(con)
                    keys_complete = keys_complete and con["type"] == "c"
            for index in indexes.get(name, []):
                if _mentions(index["def"], late_functions):
                    self.deferred_indexes.append(index)
                    keys_complete = keys_complete and not index["unique"]
                else:
                    own_indexes.append(index)
            # A foreign key to the table itself needs its key inside the same CREATE TABLE.
            self_ok = keys_complete and not any(index["unique"] for index in own_indexes)
            for con in foreign.get(name, []):
                target = con["references"]
                if (
                    table["bytes"] == 0
                    and con["validated"]
                    and (target == "" or target in complete or (target == name and self_ok))
                ):
                    own_constraints.append(con)
                else:
                    self.deferred_constraints.append(con)
            self.inline_constraints[name] = own_constraints
            self.inline_indexes[name] = own_indexes
            if keys_complete:
                complete.add(name)
