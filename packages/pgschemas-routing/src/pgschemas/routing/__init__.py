"""pgschemas-routing: route each request to its tenant (domain, folder, header, session).

Import the middleware from :mod:`pgschemas.routing.middleware` and ``DomainModel`` from
:mod:`pgschemas.routing.models`; this module stays import-light (no models, no settings).
"""

from .__about__ import __version__

__all__ = ["__version__"]
