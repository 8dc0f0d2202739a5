from django.http import HttpRequest, JsonResponse
from django.urls import path

from pgschemas.core import get_current_schema


def whoami(request: HttpRequest) -> JsonResponse:
    tenant = getattr(request, "tenant", None)
    return JsonResponse(
        {
            "tenant": getattr(tenant, "schema_name", None),
            "schema": get_current_schema().schema_name,
            "user": request.user.get_username(),
        }
    )


urlpatterns = [path("whoami/", whoami)]
