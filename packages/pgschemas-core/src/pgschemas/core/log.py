"""Logging filter that adds the active schema to every record.

Adds ``schema_name``, ``domain_url`` and ``folder`` attributes, always present (empty
strings outside a request), so a format string that uses them never raises.
"""

from __future__ import annotations

import logging

from .activation import get_current_schema


class SchemaContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        schema = get_current_schema()
        record.schema_name = schema.schema_name
        record.domain_url = getattr(schema, "domain", "") or ""
        record.folder = getattr(schema, "folder", "") or ""
        return True
