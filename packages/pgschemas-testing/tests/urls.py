from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

from pgschemas.core import get_current_schema


def whoami(request: HttpRequest) -> JsonResponse:
    """Which tenant the request reached, and what its schema holds."""
    from tests.tenant_app.models import Item

    schema = get_current_schema()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        (current,) = cursor.fetchone()
    return JsonResponse(
        {
            "schema": schema.schema_name,
            "current_schema": current,
            "path": request.path,
            "items": sorted(Item.objects.values_list("name", flat=True)),
        }
    )


urlpatterns = [path("whoami/", whoami)]
