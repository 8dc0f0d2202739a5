"""Enums, domains and composite types."""

from __future__ import annotations

from psycopg import sql

from .base import _BuilderBase
from .fragments import _ident, _text, _toposort


class _Types(_BuilderBase):
    def types(self) -> None:
        types = _toposort(self.doc["types"], "oid", lambda t: t["deps"] or ())
        for t in types:
            name = self.qualified(t["name"])
            if t["kind"] == "e":
                labels = sql.SQL(", ").join(sql.Literal(label) for label in t["labels"] or [])
                self.plan.add(sql.SQL("CREATE TYPE {} AS ENUM ({})").format(name, labels))
            elif t["kind"] == "d":
                parts: list[sql.Composable] = [
                    sql.SQL("CREATE DOMAIN {} AS {}").format(name, _text(t["base"]))
                ]
                if t["default"] is not None:
                    parts.append(sql.SQL("DEFAULT {}").format(_text(t["default"])))
                checks = t["checks"] or []
                # PostgreSQL >= 18 records a domain's NOT NULL as a named constraint.
                if t["notnull"] and not any(c["type"] == "n" for c in checks):
                    parts.append(sql.SQL("NOT NULL"))
                for check in checks:
                    parts.append(
                        sql.SQL("CONSTRAINT {} {}").format(
                            _ident(check["name"]), _text(check["def"])
                        )
                    )
                self.plan.add(sql.SQL(" ").join(parts))
            else:
                attrs = sql.SQL(", ").join(
                    sql.SQL("{} {}").format(_ident(a["name"]), _text(a["type"]))
                    for a in t["attrs"] or []
                )
                self.plan.add(sql.SQL("CREATE TYPE {} AS ({})").format(name, attrs))
        self.count("types", len(types))
