"""System checks of the ``TENANTS`` keys pgschemas-routing owns.

Their values are parsed and checked by core's key check with the declarations of
:mod:`.tenant_keys` (``pgschemas.routing.E001`` for ``TEMPLATE_DIRS`` /
``STATICFILES_DIRS``, ``pgschemas.routing.E002`` for the routing keys, ``pgschemas.E003``
and ``pgschemas.E014`` for keys in an entry they do not belong to). What needs all entries
at once lives here: one domain in the ``DOMAINS`` of two static tenants (``pgschemas.E015``,
the ID it had when core checked it).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from pgschemas.core.checks import TAG
from pgschemas.core.config import DEFAULT_KEY, PUBLIC_KEY
from pgschemas.core.domains import split_domain_folder

from .tenant_keys import DOMAINS

E015 = "pgschemas.E015"


def check_static_domains(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Each domain routes to one static tenant only."""
    tenants = getattr(settings, "TENANTS", None)
    if not isinstance(tenants, Mapping) or not all(
        isinstance(entry, Mapping) for entry in tenants.values()
    ):
        return []  # core's checks report a broken TENANTS
    errors: list[CheckMessage] = []
    # Compared as routing compares them: "Acme.test." and "acme.test" are one domain.
    seen: dict[object, str] = {}
    for key, entry in tenants.items():
        if key in (PUBLIC_KEY, DEFAULT_KEY):
            continue
        try:
            domains = DOMAINS.read(key, entry)
        except ImproperlyConfigured:
            continue  # pgschemas.routing.E002 reports it
        for domain in domains:
            same = split_domain_folder(domain)
            if same in seen:
                errors.append(
                    Error(
                        f"Domain {domain!r} is listed in DOMAINS of both {seen[same]!r} "
                        f"and {key!r}.",
                        hint="A domain can route to one static tenant only.",
                        id=E015,
                    )
                )
            seen[same] = key
    return errors


register(check_static_domains, Tags.compatibility, TAG)
