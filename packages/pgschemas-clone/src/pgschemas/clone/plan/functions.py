"""Functions and procedures: when each can be created, and their definitions moved to the
destination schema."""

from __future__ import annotations

import re
from typing import Any

from psycopg import sql

from .base import CloneError, _BuilderBase
from .fragments import _mentions, _qualified_reference, _text


class _Functions(_BuilderBase):
    def split_functions(
        self,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
        """Which functions can be created before the tables, after them, or after the views.

        Bodies given as strings are not checked at creation (``check_function_bodies`` is
        off while cloning, as in a restore), so most functions come first, before the tables
        whose defaults or checks call them. A function whose signature names a table or view
        row type, or whose SQL-standard body (``BEGIN ATOMIC``) is parsed at creation, has to
        wait for the relations it names.
        """
        tables = {table["name"] for table in self.doc["tables"]}
        views = {view["name"] for view in self.doc["views"]}
        buckets: tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]] = (
            [],
            [],
            [],
        )
        for function in self.doc["functions"]:
            parsed = function["signature"]
            if re.search(r"\bBEGIN\s+ATOMIC\b", function["def"], re.IGNORECASE):
                parsed += " " + function["def"]
            if _mentions(parsed, views):
                buckets[2].append(function)
            elif _mentions(parsed, tables):
                buckets[1].append(function)
            else:
                buckets[0].append(function)
        return buckets

    def functions(self, functions: list[dict[str, Any]]) -> None:
        pattern = _qualified_reference(self.src)
        quoted_dst = '"' + self.dst.replace('"', '""') + '"'
        for function in functions:
            definition: str = function["def"]
            header: str = function["header"]
            if not definition.startswith(header):
                raise CloneError(
                    f"Unexpected definition of function {self.src}.{function['name']}: "
                    f"it does not start with {header!r}."
                )
            keyword = "PROCEDURE" if function["kind"] == "p" else "FUNCTION"
            body = pattern.sub(lambda _m: quoted_dst + ".", definition[len(header) :])
            self.plan.add(
                sql.SQL("CREATE {} {}({}").format(
                    sql.SQL(keyword), self.qualified(function["name"]), _text(body)
                )
            )
        self.count("functions", len(functions))
