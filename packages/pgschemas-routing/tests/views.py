"""Views every test urlconf serves: they report what the request sees."""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template import engines
from django.urls import get_urlconf, reverse

from pgschemas.core.activation import get_current_schema


def _seen(request: HttpRequest, urlconf_name: str) -> dict[str, Any]:
    tenant = getattr(request, "tenant", None)
    return {
        "urlconf": urlconf_name,
        "schema": get_current_schema().schema_name,
        "tenant": getattr(tenant, "schema_name", None),
        "domain": getattr(tenant, "domain", None),
        "folder": getattr(tenant, "folder", None),
        "mechanism": getattr(getattr(tenant, "routing", None), "mechanism", None),
        "reverse": reverse("whoami"),
        "url_tag": engines["django"].from_string("{% url 'whoami' %}").render({}),
        "path": request.path,
        "path_info": request.path_info,
    }


def whoami(request: HttpRequest, urlconf: str) -> JsonResponse:
    return JsonResponse(_seen(request, urlconf))


def ping(request: HttpRequest, urlconf: str) -> HttpResponse:
    return HttpResponse(get_current_schema().schema_name)


def items(request: HttpRequest, urlconf: str) -> JsonResponse:
    from tests.tenant_app.models import Item

    names = [item.name for item in Item.objects.order_by("name")]
    return JsonResponse({"schema": get_current_schema().schema_name, "items": names})


def pooled_items(request: HttpRequest, urlconf: str) -> JsonResponse:
    """What the server says, outside and inside a transaction: its current schema and the
    items it reads (behind a transaction pooler each may land on another server connection)."""
    from django.db import connection, transaction

    from tests.tenant_app.models import Item

    def read() -> tuple[str, list[str]]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
        return schema, [item.name for item in Item.objects.order_by("name")]

    autocommit = read()
    with transaction.atomic():
        atomic = read()
        atomic_again = read()
    return JsonResponse(
        {
            "schema": get_current_schema().schema_name,
            "server": [autocommit[0], atomic[0], atomic_again[0]],
            "items": [autocommit[1], atomic[1], atomic_again[1]],
        }
    )


async def async_items(request: HttpRequest, urlconf: str) -> JsonResponse:
    from tests.tenant_app.models import Item

    before = get_current_schema().schema_name
    await asyncio.sleep(0.001)
    names = await sync_to_async(lambda: [i.name for i in Item.objects.order_by("name")])()
    await asyncio.sleep(0)
    return JsonResponse(
        {
            "schema": before,
            "schema_after": get_current_schema().schema_name,
            "tenant": request.tenant.schema_name,  # type: ignore[attr-defined]
            "items": names,
            "reverse": reverse("whoami"),
        }
    )


def stream(request: HttpRequest, urlconf: str) -> StreamingHttpResponse:
    from tests.tenant_app.models import Item

    def chunks() -> Any:
        for _ in range(3):
            names = ",".join(i.name for i in Item.objects.order_by("name"))
            yield f"{get_current_schema().schema_name}|{reverse('whoami')}|{names}\n"

    return StreamingHttpResponse(chunks())


def page(request: HttpRequest, urlconf: str) -> HttpResponse:
    """The tenant's own ``greeting.html`` when it has one, else the project's."""
    from django.shortcuts import render

    return render(request, "greeting.html")


def boom(request: HttpRequest, urlconf: str) -> HttpResponse:
    raise RuntimeError("boom")


def make_handlers(name: str) -> tuple[Any, Any]:
    def handler404(request: HttpRequest, exception: Exception) -> HttpResponse:
        return HttpResponse(
            f"{name}-404:{get_current_schema().schema_name}:{get_urlconf()!s}", status=404
        )

    def handler500(request: HttpRequest) -> HttpResponse:
        return HttpResponse(f"{name}-500:{get_current_schema().schema_name}", status=500)

    return handler404, handler500


def patterns(name: str) -> list[Any]:
    from django.urls import path

    kwargs = {"urlconf": name}
    return [
        path("whoami/", whoami, kwargs, name="whoami"),
        path("ping/", ping, kwargs, name="ping"),
        path("items/", items, kwargs, name="items"),
        path("async-items/", async_items, kwargs, name="async-items"),
        path("pooled-items/", pooled_items, kwargs, name="pooled-items"),
        path("stream/", stream, kwargs, name="stream"),
        path("boom/", boom, kwargs, name="boom"),
        path("page/", page, kwargs, name="page"),
    ]
