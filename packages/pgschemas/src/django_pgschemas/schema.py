"""``Schema`` (alias ``SchemaDescriptor``) and schema activation, from pgschemas-core."""

from pgschemas.core.activation import (
    activate,
    activate_public,
    deactivate,
    get_current_schema,
    override,
)
from pgschemas.core.activation import override as override_schema
from pgschemas.core.schema import (
    Schema,
    SchemaLike,
    get_public_schema,
    get_static_schema,
    get_static_schemas,
)

#: django-pgschemas' name for :class:`Schema` (the spec page's ``tenant`` type check).
SchemaDescriptor = Schema


def get_default_schema() -> Schema:
    """django-pgschemas 1.x: the schema active when nothing else is (``public``)."""
    return get_public_schema()


__all__ = [
    "Schema",
    "SchemaDescriptor",
    "SchemaLike",
    "activate",
    "activate_public",
    "deactivate",
    "get_current_schema",
    "get_default_schema",
    "get_public_schema",
    "get_static_schema",
    "get_static_schemas",
    "override",
    "override_schema",
]
