"""The routed host of a request: ``request.get_host()`` without the port, validated once.

``get_host()`` checks the host against ``ALLOWED_HOSTS`` on every call, and the domain
middleware needs it on every request. The answer depends only on the raw host and the
host settings, so the validated domain is remembered per raw host (bounded; forgotten
when ``ALLOWED_HOSTS``, ``DEBUG`` or ``USE_X_FORWARDED_HOST`` change). A request class
with its own ``get_host()`` is always asked.

On top of Django's checks, a host is refused (``DisallowedHost``) when its domain is not
a DNS name (longer than 253 characters, or a label empty or over 63) or its port is not a
TCP port (above 65535): no tenant can live there, so such a host never reaches a lookup
or a cache.
Hosts that fail validation are never remembered. A trailing dot is dropped, as Django
does (``acme.example.com.`` is the fully qualified spelling of ``acme.example.com``).
"""

from __future__ import annotations

import threading
from typing import Any

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest
from django.http.request import split_domain_port

from pgschemas.core.domains import normalize_domain

#: Settings that change what ``get_host()`` answers for a raw host.
HOST_SETTINGS = frozenset({"ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST"})
MAX_HOSTS = 4096
#: The longest domain name DNS can carry (RFC 1035: 255 octets on the wire).
MAX_DOMAIN_LENGTH = 253
MAX_LABEL_LENGTH = 63
MAX_PORT = 65535
#: Longest raw host worth remembering: domain, trailing dot, ":" and a 5-digit port.
_MAX_RAW_LENGTH = MAX_DOMAIN_LENGTH + 7

_lock = threading.Lock()
_domains: dict[str, str] = {}
_get_host = HttpRequest.get_host


def _shown(host: str) -> str:
    """``host`` for an error message: never more than 80 characters of it."""
    return repr(host if len(host) <= 80 else f"{host[:60]}...({len(host)} characters)")


def routable_domain(host: str) -> str:
    """The domain of a validated ``host`` (``get_host()`` output), or ``DisallowedHost``."""
    domain, port = split_domain_port(host)
    if not domain or len(domain) > MAX_DOMAIN_LENGTH:
        raise DisallowedHost(
            f"Invalid HTTP_HOST header: {_shown(host)}. A domain name has at most "
            f"{MAX_DOMAIN_LENGTH} characters."
        )
    if not domain.startswith("[") and not all(
        0 < len(label) <= MAX_LABEL_LENGTH for label in domain.split(".")
    ):
        raise DisallowedHost(
            f"Invalid HTTP_HOST header: {_shown(host)}. Each dot-separated label of a domain "
            f"name has 1 to {MAX_LABEL_LENGTH} characters."
        )
    if port and (len(port) > len(str(MAX_PORT)) or int(port) > MAX_PORT):
        raise DisallowedHost(
            f"Invalid HTTP_HOST header: {_shown(host)}. The port must be between 0 and {MAX_PORT}."
        )
    # Django already lowercased it and dropped one trailing dot; core.domains is the one
    # definition every package compares hosts by.
    return normalize_domain(domain)


def remove_www(host: str) -> str:
    """``www.acme.com`` -> ``acme.com``: routing ignores a leading ``www.``."""
    return host[4:] if host.startswith("www.") else host


def request_domain(request: Any) -> str:
    """``request.get_host()`` without its port (raises ``DisallowedHost`` like Django)."""
    if type(request).get_host is not _get_host:
        return routable_domain(request.get_host())
    raw = request._get_raw_host()
    domain = _domains.get(raw)
    if domain is None:
        if len(raw) > _MAX_RAW_LENGTH:
            # Refused before Django's regex and ALLOWED_HOSTS even look at it.
            raise DisallowedHost(
                f"Invalid HTTP_HOST header: {_shown(raw)}. A domain name has at most "
                f"{MAX_DOMAIN_LENGTH} characters."
            )
        domain = routable_domain(request.get_host())
        with _lock:
            if len(_domains) >= MAX_HOSTS:
                _domains.clear()
            _domains[raw] = domain
    return domain


def clear_hosts() -> None:
    with _lock:
        _domains.clear()


def remembered_hosts() -> int:
    """How many raw hosts are remembered (diagnostics and tests)."""
    return len(_domains)
