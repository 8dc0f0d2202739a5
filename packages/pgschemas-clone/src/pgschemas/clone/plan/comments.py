"""Comments on every kind of object the plan creates."""

from __future__ import annotations

from psycopg import sql

from .base import _BuilderBase
from .fragments import _ident, _text


class _Comments(_BuilderBase):
    def comments(self) -> None:
        for comment in self.doc["comments"]:
            text = sql.Literal(comment["text"])
            on = comment["on"]
            if comment.get("column"):
                target: sql.Composable = sql.SQL("COLUMN {}").format(
                    _ident(self.dst, comment["name"], comment["column"])
                )
            elif on == "CONSTRAINT" and comment.get("table"):
                target = sql.SQL("CONSTRAINT {} ON {}").format(
                    _ident(comment["name"]), self.qualified(comment["table"])
                )
            elif on == "CONSTRAINT":
                target = sql.SQL("CONSTRAINT {} ON DOMAIN {}").format(
                    _ident(comment["name"]), self.qualified(comment["domain"])
                )
            elif on == "TRIGGER":
                target = sql.SQL("TRIGGER {} ON {}").format(
                    _ident(comment["name"]), self.qualified(comment["table"])
                )
            elif on in ("FUNCTION", "PROCEDURE"):
                target = sql.SQL("{} {}({})").format(
                    sql.SQL(on), self.qualified(comment["name"]), _text(comment["args"])
                )
            else:
                target = sql.SQL("{} {}").format(sql.SQL(on), self.qualified(comment["name"]))
            self.plan.add(sql.SQL("COMMENT ON {} IS {}").format(target, text))
        self.count("comments", len(self.doc["comments"]))
