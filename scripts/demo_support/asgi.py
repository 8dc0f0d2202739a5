"""The demo's ASGI application when the sandbox does not set ``ASGI_APPLICATION``.

With pgschemas-channels installed it is the spec page's ``TenantProtocolRouter()`` (HTTP
through Django with the routing middleware, websockets routed to their tenant); otherwise
plain Django over ASGI.
"""

from __future__ import annotations

from typing import Any

application: Any
try:
    from django_pgschemas.contrib.channels.router import TenantProtocolRouter
except ImportError:  # pgschemas-channels not installed: HTTP only
    from django.core.asgi import get_asgi_application

    application = get_asgi_application()
else:
    application = TenantProtocolRouter()
