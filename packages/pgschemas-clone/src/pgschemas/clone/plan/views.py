"""Views and materialized views in dependency order, then triggers."""

from __future__ import annotations

from psycopg import sql

from .base import _BuilderBase
from .fragments import _ident, _options, _text, _toposort


class _Views(_BuilderBase):
    def views(self) -> None:
        views = _toposort(self.doc["views"], "oid", lambda v: v["deps"] or ())
        for view in views:
            definition = _text(view["def"].rstrip().rstrip(";"))
            if view["kind"] == "m":
                self.plan.add(
                    sql.SQL("CREATE MATERIALIZED VIEW {}{} AS {} WITH {}").format(
                        self.qualified(view["name"]),
                        _options(view["options"]),
                        definition,
                        sql.SQL("DATA" if view["populated"] else "NO DATA"),
                    )
                )
            else:
                self.plan.add(
                    sql.SQL("CREATE VIEW {}{} AS {}").format(
                        self.qualified(view["name"]), _options(view["options"]), definition
                    )
                )
        self.count("views", len(views))

    def triggers(self) -> None:
        triggers = self.doc["triggers"]
        for trigger in triggers:
            self.plan.add(_text(trigger["def"]))
            state = {"D": "DISABLE", "R": "ENABLE REPLICA", "A": "ENABLE ALWAYS"}.get(
                trigger["enabled"]
            )
            if state:
                self.plan.add(
                    sql.SQL("ALTER TABLE {} {} TRIGGER {}").format(
                        self.qualified(trigger["table"]), sql.SQL(state), _ident(trigger["name"])
                    )
                )
        self.count("triggers", len(triggers))
