"""pgschemas-core: Django multi-tenancy through PostgreSQL schemas.

The names most projects need are re-exported here; each lives in a module of its own.
"""

from .__about__ import __version__
from .activation import activate, activate_public, deactivate, get_current_schema, override
from .schema import Schema, SchemaLike, get_public_schema

__all__ = [
    "Schema",
    "SchemaLike",
    "__version__",
    "activate",
    "activate_public",
    "deactivate",
    "get_current_schema",
    "get_public_schema",
    "override",
]
