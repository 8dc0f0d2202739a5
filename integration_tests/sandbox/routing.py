"""The sandbox's ASGI application, written as the spec page's ``routing.py`` shows it.

``ASGI_APPLICATION = "sandbox.routing.application"``: HTTP goes through Django (with the
routing middleware of ``MIDDLEWARE``), websockets to their tenant's ``WS_URLCONF``.
"""

from django_pgschemas.contrib.channels.router import TenantProtocolRouter

application = TenantProtocolRouter()
