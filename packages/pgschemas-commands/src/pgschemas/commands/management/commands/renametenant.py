"""``manage.py renametenant OLD NEW``: rename a tenant's schema and row together."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pgschemas.commands.lifecycle import check_new_schema_name, get_tenant, messages


class Command(BaseCommand):
    help = (
        "Rename a dynamic tenant: ALTER SCHEMA ... RENAME and the row's schema_name, in one "
        "transaction (TenantModel.rename_schema). Domains are left as they are."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("schema_name", help="current schema name of the tenant")
        parser.add_argument("new_schema_name", help="the new schema name")

    def handle(self, *args: Any, **options: Any) -> None:
        old, new = options["schema_name"], options["new_schema_name"]
        tenant = get_tenant(old)
        if new == old:
            raise CommandError(f"Tenant {old!r} already has that name: nothing to rename.")
        check_new_schema_name(new)
        try:
            tenant.rename_schema(new)
        except ValidationError as exc:
            raise CommandError(f"Tenant {old!r} not renamed: {messages(exc)}") from None
        self.stdout.write(f"Renamed tenant {old} to {new}")
