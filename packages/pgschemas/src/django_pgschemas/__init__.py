"""The ``django_pgschemas`` compatibility layer shipped by the ``pgschemas`` meta-package.

The meta-package holds no implementation of its own. Each module re-exports the object
that lives in one of the ``pgschemas-*`` packages, so code and settings written for the
``django_pgschemas`` paths (the spec page and the original django-pgschemas documentation)
keep working, and there is exactly one implementation of everything. Listing
``"django_pgschemas"`` in ``INSTALLED_APPS`` stands for every pgschemas app (see ``apps``).
"""

from pgschemas.core.activation import activate, activate_public, deactivate, get_current_schema
from pgschemas.core.schema import Schema

from .__about__ import __version__

__all__ = [
    "Schema",
    "__version__",
    "activate",
    "activate_public",
    "deactivate",
    "get_current_schema",
]
