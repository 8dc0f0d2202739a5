from django.http import HttpRequest, HttpResponse
from django.urls import path

from django_pgschemas.schema import get_current_schema

from .models import Product


def home(request: HttpRequest) -> HttpResponse:
    names = ",".join(Product.objects.values_list("name", flat=True))
    return HttpResponse(f"{get_current_schema().schema_name}:{names}")


urlpatterns = [path("", home)]
