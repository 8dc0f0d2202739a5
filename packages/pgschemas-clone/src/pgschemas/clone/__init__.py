"""pgschemas-clone: create dynamic tenants by cloning a reference schema.

``clone_schema(source, destination)`` copies a schema, structure and data, in one
transaction; with ``TENANTS["default"]["CLONE_REFERENCE"]`` set, new tenants are cloned from
the reference schema instead of being migrated.
"""

from .__about__ import __version__
from .clone import CloneError, CloneResult, clone_schema, plan_clone

__all__ = ["CloneError", "CloneResult", "__version__", "clone_schema", "plan_clone"]
