"""``manage.py deletetenant SCHEMA [--noinput]``: delete a tenant row (and its schema as
the tenant model says)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pgschemas.commands.lifecycle import Prompter, get_tenant


class Command(BaseCommand):
    help = (
        "Delete a dynamic tenant. Its schema is dropped with it only when the tenant model "
        "sets auto_drop_schema = True; otherwise the schema and its data stay. Asks for "
        "confirmation unless --noinput is given."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("schema_name", help="schema name of the tenant to delete")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="delete without asking",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["schema_name"]
        tenant = get_tenant(name)
        drops = bool(type(tenant).auto_drop_schema)
        if options["interactive"]:
            what = (
                f"Delete tenant {name!r} and DROP its schema with all its data?"
                if drops
                else f"Delete tenant {name!r}? Its schema stays in the database "
                "(auto_drop_schema is off)."
            )
            if not Prompter(options.get("stdin"), self.stderr).confirm(what):
                raise CommandError(f"Tenant {name!r} not deleted.")
        tenant.delete()
        self.stdout.write(
            f"Deleted tenant {name}" + (" and its schema" if drops else f" (schema {name} kept)")
        )
