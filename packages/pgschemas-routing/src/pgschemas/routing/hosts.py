"""The routed host of a request: ``request.get_host()`` without the port, validated once.

``get_host()`` checks the host against ``ALLOWED_HOSTS`` on every call, and the domain
middleware needs it on every request. The answer depends only on the raw host and the
host settings, so the validated domain is remembered per raw host (bounded; forgotten
when ``ALLOWED_HOSTS``, ``DEBUG`` or ``USE_X_FORWARDED_HOST`` change). Hosts that fail
validation are never remembered: each such request calls ``get_host()`` and gets
Django's ``DisallowedHost``. A request class with its own ``get_host()`` is always asked.
"""

from __future__ import annotations

import threading
from typing import Any

from django.http import HttpRequest
from django.http.request import split_domain_port

#: Settings that change what ``get_host()`` answers for a raw host.
HOST_SETTINGS = frozenset({"ALLOWED_HOSTS", "DEBUG", "USE_X_FORWARDED_HOST"})
MAX_HOSTS = 4096

_lock = threading.Lock()
_domains: dict[str, str] = {}
_get_host = HttpRequest.get_host


def request_domain(request: Any) -> str:
    """``request.get_host()`` without its port (raises ``DisallowedHost`` like Django)."""
    if type(request).get_host is not _get_host:
        return str(split_domain_port(request.get_host())[0])
    raw = request._get_raw_host()
    domain = _domains.get(raw)
    if domain is None:
        domain = str(split_domain_port(request.get_host())[0])
        with _lock:
            if len(_domains) >= MAX_HOSTS:
                _domains.clear()
            _domains[raw] = domain
    return domain


def clear_hosts() -> None:
    with _lock:
        _domains.clear()
