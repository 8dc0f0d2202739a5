from django.http import HttpRequest, HttpResponse
from django.urls import path

from django_pgschemas.schema import get_current_schema


def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(get_current_schema().schema_name)


urlpatterns = [path("", whoami)]
