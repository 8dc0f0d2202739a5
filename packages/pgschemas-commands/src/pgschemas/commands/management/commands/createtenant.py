"""``manage.py createtenant [SCHEMA] [--domain HOST[/FOLDER]] [--FIELD VALUE ...]``."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from pgschemas.commands.lifecycle import (
    Prompter,
    check_new_schema_name,
    domain_model,
    messages,
    split_domain,
    tenant_model,
)
from pgschemas.core.config import get_config

#: Tenant model fields never offered as options (set by the command itself).
_OWN_FIELDS = frozenset({"schema_name"})


def extra_fields(model: Any) -> list[models.Field[Any, Any]]:
    """The tenant model's own editable, non-relational fields (``name``, ``paid_until``...)."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and not field.is_relation
        and field.name not in _OWN_FIELDS
    ]


def _required(field: models.Field[Any, Any]) -> bool:
    return not field.blank and not field.has_default() and not field.null


class Command(BaseCommand):
    help = (
        "Create a dynamic tenant: its row, its schema (migrated or cloned) and, with "
        "--domain, its primary domain, in one transaction. Prompts for what is missing "
        "unless --noinput is given."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("schema_name", nargs="?", help="schema name of the new tenant")
        parser.add_argument(
            "--domain", default=None, help="primary domain, optionally with a folder: host/folder"
        )
        parser.add_argument("--folder", default="", help="folder under --domain")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never prompt: fail on anything missing",
        )
        taken = set(parser._option_string_actions)
        self._field_options: dict[str, str] = {}
        label = get_config().tenant_model  # without one, handle() says what to set
        for field in extra_fields(apps.get_model(label)) if label else []:
            option = "--" + field.name.replace("_", "-")
            if option in taken:
                continue
            dest = f"field_{field.name}"
            self._field_options[field.name] = dest
            parser.add_argument(option, dest=dest, default=None, help=f"tenant field {field.name}")

    def handle(self, *args: Any, **options: Any) -> None:
        model = tenant_model()
        interactive = options["interactive"]
        prompt = Prompter(options.get("stdin"), self.stderr)
        domains = domain_model()

        name = options["schema_name"]
        if not name and not interactive:
            raise CommandError("No schema name given and --noinput was passed: name the tenant.")
        while not name:
            name = prompt.ask("Schema name")
        check_new_schema_name(name)

        domain = options["domain"]
        if domain is None and interactive and domains is not None:
            domain = prompt.ask("Domain (host or host/folder, empty for none)")
        host, folder = split_domain(domain or "", options["folder"])
        if folder and not host:
            raise CommandError("--folder needs --domain: a folder lives under a domain.")
        if host and domains is None:
            raise CommandError(
                f"Cannot give {model.__name__} the domain {host!r}: no domain model is set "
                '(TENANTS["public"]["DOMAIN_MODEL"], with pgschemas-routing).'
            )

        values: dict[str, Any] = {}
        for field in extra_fields(model):
            value = options.get(self._field_options.get(field.name, ""))
            if value is None and interactive and _required(field):
                value = prompt.ask(str(field.verbose_name).capitalize())
            if value is not None:
                values[field.name] = value

        tenant = model(schema_name=name, **values)
        try:
            tenant.full_clean(validate_unique=True)
        except ValidationError as exc:
            raise CommandError(f"Tenant {name!r} not created: {messages(exc)}") from None
        row = self._check_domain(domains, name, host, folder) if host else None
        alias = get_config().tenant_db_alias
        with transaction.atomic(using=alias):
            tenant.save(using=alias, verbosity=max(options["verbosity"] - 1, 0))
            if row is not None:
                row.tenant = tenant
                row.save(using=alias)
        where = f" at {host}/{folder}" if folder else f" at {host}" if host else ""
        verbosity = options["verbosity"]
        if verbosity >= 1:
            self.stdout.write(f"Created tenant {name}{where}")
        if verbosity >= 2:
            how = getattr(tenant, "provisioned_by", None)
            self.stdout.write(
                f"Schema {name!r} provisioned by {how}"
                if how
                else f"Schema {name!r} not created ({type(tenant).__name__}.auto_create_schema "
                "is False)"
            )

    def _check_domain(self, model: Any, name: str, host: str, folder: str) -> Any:
        """The domain row to save, checked (format, uniqueness) before anything is written."""
        fields = {field.name for field in model._meta.get_fields()}
        extra = {"is_primary": True} if "is_primary" in fields else {}
        row = model(domain=host, folder=folder, **extra)
        try:
            row.full_clean(exclude=["tenant"])
        except ValidationError as exc:
            shown = f"{host}/{folder}" if folder else host
            raise CommandError(
                f"Tenant {name!r} not created: domain {shown!r}: {messages(exc)}"
            ) from None
        return row
