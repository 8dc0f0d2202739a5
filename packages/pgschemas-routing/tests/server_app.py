"""The routing test project as WSGI (gunicorn) and ASGI (uvicorn) applications."""

from django.core.asgi import get_asgi_application
from django.core.wsgi import get_wsgi_application

wsgi_application = get_wsgi_application()
asgi_application = get_asgi_application()
