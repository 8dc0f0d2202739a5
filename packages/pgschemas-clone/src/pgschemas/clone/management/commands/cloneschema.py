"""``manage.py cloneschema source destination [--dry-run]``: copy a schema into a new one.

Optionally creates the tenant row for the new schema (and its domain when a domain model
is configured), asked interactively or given with ``--create-tenant``,
``--tenant-field NAME=VALUE`` and ``--domain-field NAME=VALUE``. The clone and the rows are
one transaction: either all of it exists afterwards or none of it.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections, models, transaction
from psycopg import sql

from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.utils import get_domain_model, get_tenant_model
from pgschemas.core.validation import InvalidSchemaName, check_schema_name

from ...clone import CloneError, clone_schema, plan_clone


def _pair(value: str) -> tuple[str, str]:
    name, sep, field_value = value.partition("=")
    if not sep or not name:
        raise ValueError(value)
    return name, field_value


def _required_fields(model: type[models.Model], skip: set[str]) -> list[Any]:
    """Fields a new row needs a value for (no default, not nullable/blank, not automatic)."""
    wanted = []
    for field in model._meta.concrete_fields:
        if field.name in skip or field.auto_created or not field.editable:
            continue
        if field.has_default() or field.null or field.blank:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        wanted.append(field)
    return wanted


class Command(BaseCommand):
    help = (
        "Clone schema SOURCE (structure and data) into a new schema DESTINATION in one "
        "transaction; optionally create the tenant row (and domain) for it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="Schema to copy (e.g. the clone reference).")
        parser.add_argument("destination", help="New schema to create.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the SQL that would run and change nothing.",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing: create a tenant row only with --create-tenant.",
        )
        parser.add_argument(
            "--create-tenant",
            action="store_true",
            help="Also create the tenant model row for DESTINATION.",
        )
        parser.add_argument(
            "--tenant-field",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A field of the new tenant row (repeatable); implies --create-tenant.",
        )
        parser.add_argument(
            "--domain-field",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="A field of the new tenant's domain row (repeatable); creates the domain.",
        )
        parser.add_argument(
            "--database", default=None, help="Database alias (default: the tenant one)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source: str = options["source"]
        destination: str = options["destination"]
        alias = options["database"] or get_config().tenant_db_alias
        if alias not in connections:
            raise CommandError(f"Unknown database alias {alias!r}.")
        try:
            # Before any question is asked: a name that can never be used ends the run now.
            check_schema_name(destination)
        except InvalidSchemaName as exc:
            raise CommandError(str(exc)) from exc
        try:
            tenant_fields = dict(map(_pair, options["tenant_field"]))
            domain_fields = dict(map(_pair, options["domain_field"]))
        except ValueError as exc:
            raise CommandError(
                f"Invalid field assignment {exc.args[0]!r}: use NAME=VALUE."
            ) from exc
        create_tenant = bool(options["create_tenant"] or tenant_fields or domain_fields)
        tenant_model = get_tenant_model()
        domain_model = get_domain_model()
        if create_tenant and tenant_model is None:
            raise CommandError(
                "Cannot create a tenant row: no TENANT_MODEL in settings.TENANTS['public']."
            )
        if domain_fields and domain_model is None:
            raise CommandError(
                "Cannot create a domain row: no DOMAIN_MODEL in settings.TENANTS['public']."
            )
        cannot = (
            self._why_no_tenant_row(tenant_model, destination, alias)
            if tenant_model is not None
            else None
        )
        if create_tenant and cannot:
            raise CommandError(f"Cannot create a tenant row for {destination!r}: {cannot}.")
        ask = options["interactive"] and not create_tenant and tenant_model is not None
        if ask and not cannot and not (sys.stdin and sys.stdin.isatty()):
            cannot = "stdin is not a terminal (pass --create-tenant to create one)"
        if ask and cannot:
            # Only ask a question whose "yes" can be carried out.
            if options["verbosity"]:
                self.stderr.write(f"Not offering a tenant row for {destination!r}: {cannot}.")
        elif ask and tenant_model is not None:
            create_tenant = self._confirm(f"Create a tenant row for schema {destination!r}?")
            if create_tenant:
                tenant_fields = self._ask_fields(tenant_model, {"schema_name"}, tenant_fields)
                if domain_model is not None and self._confirm("Create a domain for it?"):
                    domain_fields = self._ask_fields(
                        domain_model, self._tenant_fk_names(domain_model, tenant_model), {}
                    )

        try:
            if options["dry_run"]:
                self._dry_run(
                    source, destination, alias, create_tenant, tenant_fields, domain_fields
                )
                return
            with transaction.atomic(using=alias):
                result = clone_schema(source, destination, using=alias)
                if create_tenant:
                    self._create_rows(destination, alias, tenant_fields, domain_fields)
        except (CloneError, InvalidSchemaName) as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            counts = ", ".join(f"{n} {kind}" for kind, n in result.plan.counts.items())
            self.stdout.write(
                self.style.SUCCESS(
                    f"Cloned {source!r} into {destination!r} in {result.seconds:.3f}s ({counts})."
                )
            )
            if create_tenant:
                self.stdout.write(f"Created the tenant row for {destination!r}.")

    # -- helpers ----------------------------------------------------------------------------
    @staticmethod
    def _why_no_tenant_row(
        tenant_model: type[models.Model], destination: str, alias: str
    ) -> str | None:
        """Why ``destination`` cannot get a tenant row (None: it can)."""
        if destination in get_config().reserved_names():
            return "the name belongs to a static tenant or the clone reference in TENANTS"
        rows = tenant_model._default_manager.using(alias)
        if rows.filter(schema_name=destination).exists():
            return "a tenant row with this schema name already exists"
        return None

    def _confirm(self, question: str) -> bool:
        return input(f"{question} [y/N] ").strip().lower() in ("y", "yes")

    def _ask_fields(
        self, model: type[models.Model], skip: set[str], given: dict[str, str]
    ) -> dict[str, str]:
        values = dict(given)
        for field in _required_fields(model, skip | set(given)):
            while not (value := input(f"{model.__name__}.{field.name}: ").strip()):
                self.stderr.write(f"{field.name} is required.")
            values[field.name] = value
        return values

    @staticmethod
    def _tenant_fk_names(
        domain_model: type[models.Model], tenant_model: type[models.Model]
    ) -> set[str]:
        return {
            field.name
            for field in domain_model._meta.concrete_fields
            if field.is_relation and field.related_model is tenant_model
        }

    def _build_rows(
        self,
        destination: str,
        alias: str,
        tenant_fields: dict[str, str],
        domain_fields: dict[str, str],
    ) -> tuple[Any, Any]:
        tenant_model = get_tenant_model()
        assert tenant_model is not None
        if "schema_name" in tenant_fields:
            raise CommandError(
                "Do not pass --tenant-field schema_name=...: the tenant's schema name is the "
                f"destination ({destination!r})."
            )
        self._check_field_names(tenant_model, tenant_fields)
        tenant = tenant_model(schema_name=destination, **tenant_fields)
        # The schema is the clone: saving the row must not create or provision it again.
        tenant.auto_create_schema = False
        domain = None
        fk_names: set[str] = set()
        domain_model = get_domain_model()
        if domain_fields and domain_model is not None:
            fk_names = self._tenant_fk_names(domain_model, tenant_model)
            if not fk_names:
                raise CommandError(
                    f"{domain_model.__name__} has no foreign key to {tenant_model.__name__}."
                )
            domain = domain_model(**domain_fields, **dict.fromkeys(fk_names, tenant))
        try:
            tenant.full_clean(validate_unique=True)
            if domain is not None:
                domain.full_clean(exclude=list(fk_names))
        except ValidationError as exc:
            raise CommandError(f"Invalid tenant or domain: {exc.message_dict}") from exc
        return tenant, domain

    @staticmethod
    def _check_field_names(model: type[models.Model], values: dict[str, str]) -> None:
        known = {field.name for field in model._meta.concrete_fields}
        unknown = sorted(set(values) - known)
        if unknown:
            raise CommandError(
                f"{model.__name__} has no field {', '.join(map(repr, unknown))}; "
                f"its fields are: {', '.join(sorted(known))}."
            )

    def _create_rows(
        self,
        destination: str,
        alias: str,
        tenant_fields: dict[str, str],
        domain_fields: dict[str, str],
    ) -> None:
        tenant, domain = self._build_rows(destination, alias, tenant_fields, domain_fields)
        tenant.save(using=alias)
        if domain is not None:
            for name in self._tenant_fk_names(type(domain), type(tenant)):
                setattr(domain, name, tenant)
            domain.save(using=alias)

    def _dry_run(
        self,
        source: str,
        destination: str,
        alias: str,
        create_tenant: bool,
        tenant_fields: dict[str, str],
        domain_fields: dict[str, str],
    ) -> None:
        if ddl.schema_exists(destination, using=alias):
            raise CommandError(
                f"Cannot clone into schema {destination!r}: it already exists. Drop it or "
                "choose another name."
            )
        plan = plan_clone(source, destination, using=alias)
        if create_tenant:
            self._build_rows(destination, alias, tenant_fields, domain_fields)
        connection = connections[alias]
        connection.ensure_connection()
        self.stdout.write(f"-- dry run: cloning {source!r} into {destination!r} would run:")
        create = sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(destination))
        self.stdout.write(create.as_string(connection.connection) + ";")
        # The statements name the destination's objects unqualified, as the clone runs
        # them: with these settings the printed SQL replays as the clone would (psql).
        path = sql.SQL("SET search_path = {}").format(sql.Identifier(destination))
        self.stdout.write(path.as_string(connection.connection) + ";")
        self.stdout.write("SET check_function_bodies = off;")
        for statement in plan.statements:
            self.stdout.write(statement.as_string(connection.connection) + ";")
        if create_tenant:
            self.stdout.write(f"-- and create the tenant row for {destination!r}")
            if domain_fields:
                self.stdout.write(f"-- and its domain {domain_fields}")
        self.stdout.write("-- nothing was changed.")
