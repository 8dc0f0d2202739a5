"""``manage.py whowill -s SELECTOR``: the schemas a selector resolves to; creates nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pgschemas.commands.base import WrappedSchemaOption
from pgschemas.commands.options import SchemaOptions, add_schema_arguments
from pgschemas.commands.review import review_selection


class Command(WrappedSchemaOption, BaseCommand):
    help = "Print the schemas that -s/-x select (one per line, in execution order)"
    pgschemas_read_only = True

    def add_arguments(self, parser: Any) -> None:
        add_schema_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        opts = SchemaOptions.from_options(options)
        selection = self.select_schemas(opts)
        review_selection(selection, opts, what="whowill", read_only=True, stderr=self.stderr)
        for schema in selection.schemas:
            if opts.verbosity >= 2:
                kind = "dynamic" if schema.is_dynamic else "static"
                self.stdout.write(f"{schema.schema_name}\t{kind}")
            else:
                self.stdout.write(schema.schema_name)
