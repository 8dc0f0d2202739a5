"""One description of domains for the whole family: hosts, folders, domain rows.

Routing (the middleware, static ``DOMAINS``, ``DomainModel``), commands' selectors,
channels and clone all compare hosts; they must agree on what "the same host" is, or a
tenant reachable over HTTP cannot be selected with ``-s`` (or the other way round). A host
compares **lowercased, without its port and without a trailing dot** (``Acme.Example.COM.:8000``
is ``acme.example.com``); a folder is one URL path segment. Only these plain string rules
live here: which tenant a host routes to is routing's business.
"""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

__all__ = [
    "DOT_SEGMENTS",
    "FOLDER_RE",
    "DomainLike",
    "is_valid_folder",
    "normalize_domain",
    "normalize_host",
    "split_domain_folder",
    "split_host_port",
]

#: Characters a folder may use: one URL path segment, nothing Django's path syntax reads.
FOLDER_RE = re.compile(r"^[A-Za-z0-9._~-]+$")
#: Segments browsers and servers resolve away (RFC 3986 dot-segments): never a folder.
DOT_SEGMENTS = frozenset({".", ".."})


@runtime_checkable
class DomainLike(Protocol):
    """What every package reads of a domain row (routing's ``DomainModel`` has it)."""

    domain: str
    folder: str


def normalize_domain(domain: str) -> str:
    """A configured or stored domain as it compares: stripped, lowercase, no trailing dot.

    A port is kept so that validation can refuse it: a stored domain has none.
    """
    return domain.strip().lower().rstrip(".")


def split_host_port(host: str) -> tuple[str, str]:
    """``"acme.com:8000"`` -> ``("acme.com", "8000")``; ``"[::1]:80"`` -> ``("[::1]", "80")``.

    Unlike Django's ``split_domain_port`` nothing is validated or blanked: this only
    splits, so it is safe on configured values and on selectors typed by an operator.
    """
    if host.startswith("["):
        end = host.find("]")
        if end != -1:
            rest = host[end + 1 :]
            return host[: end + 1], rest[1:] if rest.startswith(":") else ""
        return host, ""
    domain, colon, port = host.rpartition(":")
    if colon and ":" not in domain and (port.isdigit() or not port):
        return domain, port
    return host, ""


def normalize_host(host: str) -> str:
    """A host as received (``Host`` header, handshake, selector): no port, lowercase, no
    trailing dot. ``" Acme.Example.COM.:8000 "`` -> ``"acme.example.com"``."""
    return normalize_domain(split_host_port(host.strip())[0])


def split_domain_folder(entry: str) -> tuple[str, str]:
    """``"Example.com/Client1/"`` -> ``("example.com", "Client1")``: the host normalised
    (:func:`normalize_domain`), the folder without slashes and with its case kept (paths
    are case-sensitive)."""
    host, _, folder = entry.strip().partition("/")
    return normalize_domain(host), folder.strip("/")


def is_valid_folder(folder: str) -> bool:
    """True for "" (no folder) or one URL path segment that is not a dot-segment."""
    return not folder or (bool(FOLDER_RE.match(folder)) and folder not in DOT_SEGMENTS)
