"""Logging filter that adds the active schema to every record.

Adds ``schema_name``, ``domain``, ``domain_url`` (django-pgschemas' and django-tenants'
spelling of ``domain``), ``folder`` and ``reference`` (the session or header value a
request was routed by). Every one is always set - ``public`` and empty
strings in ``public``, in a schema activated without routing (a command, a task, a
shell), or when the schema cannot be determined at all - so a format string using any of
them never fails, whatever was active when the record was logged.
"""

from __future__ import annotations

import logging
from typing import Any

from .activation import get_current_schema
from .routing_info import HeadersInfo, SessionInfo

#: The record attributes the filter sets, with the values used when there is nothing better.
DEFAULTS: dict[str, str] = {
    "schema_name": "public",
    "domain": "",
    "domain_url": "",
    "folder": "",
    "reference": "",
}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


class SchemaContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, default in DEFAULTS.items():
            setattr(record, name, default)
        try:
            schema = get_current_schema()
        except Exception:  # settings not ready yet, for example: a log line must not fail
            return True
        domain = _text(getattr(schema, "domain", ""))
        record.schema_name = _text(schema.schema_name) or DEFAULTS["schema_name"]
        record.domain = domain
        record.domain_url = domain
        record.folder = _text(getattr(schema, "folder", ""))
        routing = getattr(schema, "routing", None)
        if isinstance(routing, SessionInfo | HeadersInfo):
            record.reference = _text(routing.reference)
        return True
