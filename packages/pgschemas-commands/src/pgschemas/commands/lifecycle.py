"""Shared by the tenant lifecycle commands (createtenant, deletetenant, renametenant,
listtenants): finding the models, checking names before anything is written, prompting.

Every check runs before the first write, and every write runs in one transaction, so a
refused or interrupted command leaves the database as it found it. Prompts go to stderr:
stdout carries only the command's result.
"""

from __future__ import annotations

import sys
from typing import IO, Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.domains import normalize_domain
from pgschemas.core.models import validate_tenant_schema_name


def tenant_model() -> Any:
    label = get_config().tenant_model
    if not label:
        raise CommandError(
            'No tenant model: set TENANTS["public"]["TENANT_MODEL"] (e.g. "customers.Client") '
            "to manage dynamic tenants from the command line."
        )
    return apps.get_model(label)


def domain_model() -> Any | None:
    label = get_config().domain_model
    return apps.get_model(label) if label else None


def messages(error: ValidationError) -> str:
    """A ValidationError as one line: ``field: message; ...``."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in errors[0].messages)}"
            if field != "__all__"
            else " ".join(str(m) for m in errors[0].messages)
            for field, errors in error.error_dict.items()
        )
    return " ".join(str(message) for message in error.messages)


def check_new_schema_name(name: str) -> str:
    """Refuse an invalid name or one a tenant, a static tenant or any schema already has."""
    try:
        validate_tenant_schema_name(name)
    except ValidationError as exc:
        raise CommandError(messages(exc)) from None
    alias = get_config().tenant_db_alias
    if tenant_model()._base_manager.using(alias).filter(schema_name=name).exists():
        raise CommandError(
            f"Schema name {name!r} is taken by an existing tenant; choose another name "
            "(listtenants shows the names in use)."
        )
    if ddl.schema_exists(name, using=alias):
        raise CommandError(
            f"Schema name {name!r} is taken: a schema with that name already exists in the "
            "database (not a tenant); choose another name or drop that schema first."
        )
    return name


def get_tenant(name: str) -> Any:
    """The tenant row called ``name``, or a clear error."""
    config = get_config()
    if name in config.reserved_names():
        raise CommandError(
            f"{name!r} is a static tenant or the clone reference (settings.TENANTS), not a "
            "tenant row: change it in settings instead."
        )
    tenant = (
        tenant_model()._base_manager.using(config.tenant_db_alias).filter(schema_name=name).first()
    )
    if tenant is None:
        raise CommandError(f"Unknown tenant {name!r}; listtenants shows the existing tenants.")
    return tenant


def split_domain(value: str, folder: str) -> tuple[str, str]:
    """``host/folder`` (or ``host`` plus ``--folder``) into host and folder."""
    host, slash, inline = value.strip().partition("/")
    if slash and folder:
        raise CommandError(
            f"Domain {value!r} already has a folder; drop --folder or give the bare host."
        )
    # The host as the domain row will store it (a port is kept, for validation to refuse).
    return normalize_domain(host), (inline or folder).strip().strip("/")


class Cancelled(CommandError):
    """The user interrupted a prompt (EOF or Ctrl-C): nothing was changed.

    Django prints a command's error as ``<class name>: <message>``, so the message does not
    repeat "Cancelled".
    """


class Prompter:
    """Asks questions on stderr and reads answers from ``stdin`` (one line each)."""

    def __init__(self, stdin: IO[str] | None, stderr: Any) -> None:
        self.stdin = stdin if stdin is not None else sys.stdin
        self.stderr = stderr

    def ask(self, question: str, default: str = "") -> str:
        shown = f" [{default}]" if default else ""
        self.stderr.write(f"{question}{shown}: ", ending="")
        self.stderr.flush()
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            raise Cancelled("interrupted, nothing was changed.") from None
        if not line:  # EOF (Ctrl-D, or input ran out)
            raise Cancelled("end of input, nothing was changed.")
        return line.strip() or default

    def confirm(self, question: str) -> bool:
        return self.ask(f"{question} Type 'yes' to continue").lower() == "yes"
