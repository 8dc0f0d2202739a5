"""Pages every tenant serves: which tenant and schema answered, and its notes."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from pgschemas.core import get_current_schema

from .models import Note


def _current_schema_in_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        return str(cursor.fetchone()[0])


@require_http_methods(["GET", "POST"])
def home(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        text = request.POST.get("text", "").strip()[:200]
        if text:
            Note.objects.create(text=text)
        return redirect(request.path)
    schema = get_current_schema()
    return render(
        request,
        "sandbox/home.html",
        {
            "tenant": getattr(request, "tenant", schema),
            "schema_name": schema.schema_name,
            "database_schema": _current_schema_in_database(),
            "notes": Note.objects.all()[:50],
        },
    )


def whoami(request: HttpRequest) -> HttpResponse:
    """Plain-text identity of the request's tenant (handy in tests and curl)."""
    schema = get_current_schema()
    tenant = getattr(request, "tenant", None)
    return HttpResponse(
        f"tenant={getattr(tenant, 'schema_name', '-')} schema={schema.schema_name} "
        f"db={_current_schema_in_database()}",
        content_type="text/plain",
    )


def visits(request: HttpRequest) -> HttpResponse:
    """Count this tenant's visits in the cache under the plain key ``"visits"``.

    The key function (``django_pgschemas.cache.make_key``) puts the active schema in front
    of the key, so every tenant counts on its own with the very same key.
    """
    cache.add("visits", 0)
    count = cache.incr("visits")
    schema = get_current_schema()
    return HttpResponse(f"visits={count} schema={schema.schema_name}", content_type="text/plain")


@require_POST
def queue_note(request: HttpRequest) -> JsonResponse:
    """Queue a Celery task writing a note; it runs in this request's tenant."""
    from .tasks import add_note

    result = add_note.delay(request.POST.get("text", "")[:200])
    return JsonResponse({"task_id": result.id})
