"""How a request reached its tenant: the value of ``tenant.routing``.

One small immutable value per mechanism, so code can ``match`` on it and compare it. The
routing middleware (HTTP and websockets) sets it on the tenant it hands to the request;
outside a request it is None. ``domain`` and ``folder`` of a ``Schema`` or tenant row are
read from it, so routing state lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True)
class DomainInfo:
    """Routed by host, and by the first path segment when ``folder`` is set.

    ``fallback`` is True when the host matched only a static tenant's ``FALLBACK_DOMAINS``
    (it takes no part in comparisons).
    """

    domain: str
    folder: str | None = None
    fallback: bool = field(default=False, compare=False, kw_only=True)

    @property
    def mechanism(self) -> str:
        return "fallback" if self.fallback else "domain"

    def __str__(self) -> str:
        return f"{self.domain}/{self.folder}" if self.folder else self.domain


@dataclass(frozen=True)
class SessionInfo:
    """Routed by the session value ``reference`` (``PGSCHEMAS_TENANT_SESSION_KEY``)."""

    reference: str
    mechanism = "session"

    def __str__(self) -> str:
        return f"Session: {self.reference}"


@dataclass(frozen=True)
class HeadersInfo:
    """Routed by the request header value ``reference`` (``PGSCHEMAS_TENANT_HEADER``)."""

    reference: str
    mechanism = "header"

    def __str__(self) -> str:
        return f"Header: {self.reference}"


RoutingInfo: TypeAlias = DomainInfo | SessionInfo | HeadersInfo | None


def routed_domain(routing: RoutingInfo) -> str:
    """The host of a domain route, "" for any other route or none."""
    return routing.domain if isinstance(routing, DomainInfo) else ""


def routed_folder(routing: RoutingInfo) -> str:
    """The folder of a domain route, "" for any other route, no folder or none."""
    return (routing.folder or "") if isinstance(routing, DomainInfo) else ""


__all__ = [
    "DomainInfo",
    "HeadersInfo",
    "RoutingInfo",
    "SessionInfo",
    "routed_domain",
    "routed_folder",
]
