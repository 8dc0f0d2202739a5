"""Routing middleware: domain (with folders and fallback domains), header and session.

Each middleware finds a :class:`~.routes.Route`, then for the rest of the request:

- ``request.tenant`` is a fresh tenant row (or the routed static ``Schema``),
- ``request.urlconf`` (and Django's current urlconf) is the tenant's urlconf,
- the tenant's schema is active (a context variable: right for threads, asyncio tasks,
  ``sync_to_async`` and async views);

and all three are restored when the response leaves the middleware, exceptions included.
A streaming response gets the tenant back around each chunk it produces, since its body
is generated after the middleware has returned.

Stacked routing middlewares: the first one (in ``MIDDLEWARE`` order) that routes the
request wins; the others see ``request.tenant`` set and pass the request on untouched.
All of them are sync and async capable (WSGI and ASGI).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.exceptions import DisallowedHost, ImproperlyConfigured
from django.core.handlers.exception import get_exception_response
from django.db import DatabaseError, connections
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.http.request import split_domain_port
from django.urls import get_resolver, get_urlconf, set_urlconf
from django.utils.encoding import escape_uri_path, iri_to_uri

from pgschemas.core.activation import override
from pgschemas.core.config import pinned_config
from pgschemas.core.exceptions import RouteChanged, SchemaNotFound
from pgschemas.core.schema import get_public_schema

from . import conf
from .hosts import request_domain
from .routes import UNAVAILABLE, Lookup, Route
from .table import route_table

_host_logger = logging.getLogger("django.security.DisallowedHost")


def refuse_host(request: HttpRequest, exc: DisallowedHost) -> Any:
    """400 for a host no tenant can live on: one log line, never a traceback.

    Django would log ``DisallowedHost`` as an error with its traceback; hostile hosts
    are routine traffic, so the line goes to the same logger as a warning without one.
    The response is the project's ``handler400``, as for Django's own refusal.
    """
    _host_logger.warning("%s", exc, extra={"status_code": 400, "request": request})
    return get_exception_response(request, get_resolver(get_urlconf()), 400, exc)


class routed:
    """Activate ``tenant`` and ``urlconf`` together; restore both afterwards.

    Entered once per routed request, so it is a plain class (no generator) and leaves
    Django's urlconf alone when it is already the tenant's.
    """

    __slots__ = ("_override", "_previous", "_switched", "urlconf")

    def __init__(self, tenant: Any, urlconf: Any) -> None:
        self._override = override(tenant)
        self.urlconf = urlconf

    def __enter__(self) -> None:
        self._previous = previous = get_urlconf()
        urlconf = self.urlconf
        self._switched = urlconf is not None and urlconf != previous
        if self._switched:
            set_urlconf(urlconf)
        try:
            self._override.__enter__()
        except BaseException:
            if self._switched:
                set_urlconf(previous)
            raise

    def __exit__(self, *exc: object) -> None:
        try:
            self._override.__exit__(*exc)
        finally:
            previous = self._previous
            if self._switched or get_urlconf() != previous:
                set_urlconf(previous)


def _sync_chunks(chunks: Iterator[Any], tenant: Any, urlconf: Any) -> Iterator[Any]:
    iterator = iter(chunks)
    while True:
        with routed(tenant, urlconf):
            try:
                chunk = next(iterator)
            except StopIteration:
                return
        yield chunk


async def _async_chunks(
    chunks: AsyncIterator[Any], tenant: Any, urlconf: Any
) -> AsyncIterator[Any]:
    iterator = aiter(chunks)
    while True:
        with routed(tenant, urlconf):
            try:
                chunk = await anext(iterator)
            except StopAsyncIteration:
                return
        yield chunk


def _keep_tenant_while_streaming(response: Any, tenant: Any, urlconf: Any) -> Any:
    if not getattr(response, "streaming", False) or isinstance(response, FileResponse):
        return response
    content = response.streaming_content
    if response.is_async:
        response.streaming_content = _async_chunks(content, tenant, urlconf)
    else:
        response.streaming_content = _sync_chunks(content, tenant, urlconf)
    return response


def redirect_url(request: HttpRequest, route: Route) -> str:
    """Where a ``redirect_to_primary`` domain sends ``request``: same path and query."""
    assert route.redirect_to is not None
    domain, folder = route.redirect_to
    path = request.path_info
    if route.folder:
        path = path[len(route.folder) + 1 :]  # "/<folder>/rest" -> "/rest"
    if folder:
        path = f"/{folder}{path or '/'}"
    path = request.META.get("SCRIPT_NAME", "") + (path or "/")
    _, port = split_domain_port(request.get_host())
    netloc = f"{domain}:{port}" if port else domain
    query = request.META.get("QUERY_STRING", "")
    url = f"{request.scheme}://{netloc}{escape_uri_path(path)}"
    return f"{url}?{iri_to_uri(query)}" if query else url


class BaseRoutingMiddleware:
    """Shared machinery; subclasses say how a request names its tenant."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    # -- what subclasses provide ---------------------------------------------------------

    def extract(self, request: HttpRequest) -> Any:
        """What names the tenant in this request (None: nothing does)."""
        raise NotImplementedError

    async def aextract(self, request: HttpRequest) -> Any:
        return self.extract(request)

    def find(self, value: Any, *, allow_db: bool) -> Lookup:
        """The route for ``value``, None when there is none, UNAVAILABLE when the database
        is needed and ``allow_db`` is False (see :class:`~.table.RouteTable`)."""
        raise NotImplementedError

    def not_found(self, request: HttpRequest, value: Any) -> None:
        """No tenant for ``value``: raise Http404, or return to pass the request on."""
        raise Http404(f"No tenant found for {value!r}")

    # -- request cycle ---------------------------------------------------------------------

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        if hasattr(request, "tenant"):
            return self.get_response(request)
        # One read of the configuration for the whole request (see pinned_config).
        with pinned_config():
            return self._route(request)

    def _route(self, request: HttpRequest) -> Any:
        try:
            value = self.extract(request)
        except DisallowedHost as exc:
            return refuse_host(request, exc)
        route = self.find(value, allow_db=True) if value is not None else None
        assert route is not UNAVAILABLE
        early = self._start(request, value, route)
        if early is not None:
            return early
        if route is None:
            return self.get_response(request)
        tenant, urlconf = request.tenant, route.urlconf
        with routed(tenant, urlconf):
            response = self.get_response(request)
        return _keep_tenant_while_streaming(response, tenant, urlconf)

    async def __acall__(self, request: HttpRequest) -> Any:
        if hasattr(request, "tenant"):
            return await self.get_response(request)
        with pinned_config():
            return await self._aroute(request)

    async def _aroute(self, request: HttpRequest) -> Any:
        try:
            value = await self.aextract(request)
        except DisallowedHost as exc:
            return await sync_to_async(refuse_host)(request, exc)
        route: Lookup = None
        if value is not None:
            route = self.find(value, allow_db=False)
            if route is UNAVAILABLE:
                route = await sync_to_async(self.find)(value, allow_db=True)
        assert route is not UNAVAILABLE
        early = self._start(request, value, route)
        if early is not None:
            return early
        if route is None:
            return await self.get_response(request)
        tenant, urlconf = request.tenant, route.urlconf
        with routed(tenant, urlconf):
            response = await self.get_response(request)
        return _keep_tenant_while_streaming(response, tenant, urlconf)

    def _start(self, request: HttpRequest, value: Any, route: Route | None) -> Any:
        """Set request.tenant/urlconf; a response (redirect) to answer with, or None."""
        if route is None:
            if value is not None:
                self.not_found(request, value)
            return None
        if route.redirect_to is not None:
            return HttpResponsePermanentRedirect(redirect_url(request, route))
        request.tenant = route.tenant()
        if route.urlconf is not None:
            request.urlconf = route.urlconf
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        """The routed tenant is gone or its route changed: 404 or 307, never a 500.

        The backend refuses the statements of a schema that does not exist
        (:class:`~pgschemas.core.exceptions.SchemaNotFound`), and the first statement of a
        request routed from the cache checks that the route still holds
        (:class:`~pgschemas.core.exceptions.RouteChanged`, see :mod:`.guards`). Either way
        the refused statement did not run; this happens only in a process whose cache has
        not seen the change yet. The stale routes are dropped and the request's route is
        read again: when a tenant answers the request now, the client is sent to ask again
        (307 keeps the method and body); else 404.
        """
        tenant = getattr(request, "tenant", None)
        if not isinstance(exception, SchemaNotFound) or tenant is None:
            return None
        if not tenant.is_dynamic or exception.schema_name != tenant.schema_name:
            return None
        route_table.invalidate(everywhere=False)
        fresh = self._fresh_route(request)
        changed = isinstance(exception, RouteChanged)
        if fresh is UNAVAILABLE and changed:
            # The request's transaction is aborted (e.g. a middleware wraps the whole
            # request in one): the next request reads the route afresh, whatever it is.
            return self._ask_again(request)
        if isinstance(fresh, Route) and (changed or fresh.schema_name != tenant.schema_name):
            if changed and fresh.guard is not None and not self._guard_holds(fresh):
                return None  # read afresh and still refused: not a stale cache, a real error
            return self._ask_again(request)
        raise Http404(f"Tenant {tenant.schema_name!r} no longer exists")

    @staticmethod
    def _ask_again(request: HttpRequest) -> HttpResponseRedirect:
        """307 to the same URL: the client repeats the request (method and body kept)."""
        again = HttpResponseRedirect(request.get_full_path())
        again.status_code = 307
        return again

    @staticmethod
    def _guard_holds(route: Route) -> bool:
        """Whether ``route``'s guard holds now (a 307 to a route refused again would loop)."""
        guard = route.guard
        assert guard is not None
        try:
            with override(get_public_schema()), connections[guard.alias].cursor() as cursor:
                cursor.execute(f"SELECT {guard.check}")
        except DatabaseError:
            return False
        return True

    def _fresh_route(self, request: HttpRequest) -> Lookup:
        """The request's route read again from the database: a Route, None when there is
        none, UNAVAILABLE when the database cannot say (e.g. an aborted request
        transaction)."""
        try:
            with override(get_public_schema()):
                value = self.extract(request)
                found = self.find(value, allow_db=True) if value is not None else None
        except DisallowedHost:
            return None
        except DatabaseError:
            return UNAVAILABLE
        return found if isinstance(found, Route) else None


class DomainRoutingMiddleware(BaseRoutingMiddleware):
    """Route by host (``request.get_host()``: ALLOWED_HOSTS applies, port ignored) and folder.

    Order: static ``DOMAINS`` and domain-model rows matching host + first path segment,
    then host alone (static first each time), then static ``FALLBACK_DOMAINS``; else 404.
    A row with ``redirect_to_primary`` answers 301 to the tenant's primary domain.
    """

    def extract(self, request: HttpRequest) -> Any:
        # path_info (the path below SCRIPT_NAME) on every HttpRequest; ``path`` for
        # request-like objects that carry only that (what django-pgschemas 1.x read).
        return (request_domain(request), getattr(request, "path_info", None) or request.path)

    def find(self, value: Any, *, allow_db: bool) -> Lookup:
        return route_table.lookup(value[0], value[1], allow_db=allow_db)

    def not_found(self, request: HttpRequest, value: Any) -> None:
        raise Http404(f"No tenant for host {value[0]!r}")


class HeadersRoutingMiddleware(BaseRoutingMiddleware):
    """Route by the header ``PGSCHEMAS_TENANT_HEADER`` (default ``tenant``): a static
    tenant's ``HEADER`` value or key, or a dynamic tenant's schema_name or primary key. No header: the request passes on
    unrouted; an unknown value: 404. Trust model: see docs/routing.md."""

    def extract(self, request: HttpRequest) -> Any:
        header = conf.tenant_header()
        if header is None:
            raise ImproperlyConfigured(
                f"HeadersRoutingMiddleware needs settings.PGSCHEMAS_TENANT_HEADER, the name of "
                f"the header that names the tenant, but it is set to "
                f"{settings.PGSCHEMAS_TENANT_HEADER!r}: remove the setting (the header is then "
                '"tenant") or name a header.'
            )
        value = request.headers.get(header, "").strip()
        return value or None

    def find(self, value: Any, *, allow_db: bool) -> Lookup:
        return route_table.lookup_header(value, allow_db=allow_db)


class SessionRoutingMiddleware(BaseRoutingMiddleware):
    """Route by ``request.session[PGSCHEMAS_TENANT_SESSION_KEY]`` (default ``"tenant"``): a
    static tenant's ``SESSION_KEY`` value or key, or a dynamic tenant's schema_name or
    primary key. No value, or a value naming
    no tenant (e.g. deleted since): the request passes on unrouted."""

    def _key(self, request: HttpRequest) -> str:
        key = conf.tenant_session_key()
        if key is None:
            raise ImproperlyConfigured(
                f"SessionRoutingMiddleware needs settings.PGSCHEMAS_TENANT_SESSION_KEY, the "
                f"session key that names the tenant, but it is set to "
                f"{settings.PGSCHEMAS_TENANT_SESSION_KEY!r}: remove the setting (the key is "
                'then "tenant") or name a key.'
            )
        if not hasattr(request, "session"):
            raise ImproperlyConfigured(
                "SessionRoutingMiddleware needs request.session: put "
                '"django.contrib.sessions.middleware.SessionMiddleware" before it in MIDDLEWARE.'
            )
        return key

    @staticmethod
    def _clean(value: Any) -> str | None:
        if value is None or value == "":
            return None
        return str(value)

    def extract(self, request: HttpRequest) -> Any:
        key = self._key(request)
        return self._clean(request.session.get(key))

    async def aextract(self, request: HttpRequest) -> Any:
        key = self._key(request)
        return self._clean(await request.session.aget(key))

    def find(self, value: Any, *, allow_db: bool) -> Lookup:
        return route_table.lookup_session(value, allow_db=allow_db)

    def not_found(self, request: HttpRequest, value: Any) -> None:
        return None
