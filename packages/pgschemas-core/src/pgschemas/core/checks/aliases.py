"""Silencing aliases: other packages' check IDs that silence one of ours."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import CheckMessage

#: Other IDs that silence one of ours (``register_silencing_alias``): our ID -> theirs.
_silencing_aliases: dict[str, set[str]] = {}


def register_silencing_alias(check_id: str, alias: str) -> None:
    """Let ``alias`` in ``SILENCED_SYSTEM_CHECKS`` silence our check ``check_id`` too.

    For projects moving from another package whose check of the same condition had
    another ID (the ``django_pgschemas`` compatibility layer registers django-pgschemas'
    IDs): their ``SILENCED_SYSTEM_CHECKS`` keep meaning what they meant.
    """
    _silencing_aliases.setdefault(check_id, set()).add(alias)


def _not_silenced_by_alias(messages: list[CheckMessage]) -> list[CheckMessage]:
    silenced = set(getattr(settings, "SILENCED_SYSTEM_CHECKS", ()))
    if not silenced or not _silencing_aliases:
        return messages
    return [m for m in messages if not (_silencing_aliases.get(str(m.id), set()) & silenced)]
