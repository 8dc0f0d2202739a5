"""``manage.py createrefschema [--recreate]``: create and migrate the clone reference."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import get_static_schema

from ...reference import invalidate, reference_status
from ...spares import configured_spares, fill_spares


class Command(BaseCommand):
    help = (
        'Create the clone reference schema (TENANTS["default"]["CLONE_REFERENCE"]) and '
        "migrate it with the apps of TENANTS['default']. Safe to run again: an existing "
        "reference is only migrated, unless --recreate drops it (and its data) first. "
        "With CLONE_SPARES set, also replaces stale spare clones and tops them up."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recreate",
            action="store_true",
            help="Drop the reference schema (and everything loaded into it) and build it again.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        reference = get_config().clone_reference
        if not reference:
            raise CommandError(
                'No clone reference is configured: set TENANTS["default"]["CLONE_REFERENCE"] '
                '(e.g. "sample") in your settings.'
            )
        verbosity = options["verbosity"]
        schema = get_static_schema(reference)
        started = time.perf_counter()
        if options["recreate"] and ddl.schema_exists(reference, using=schema.db_alias):
            ddl.drop_schema(reference, using=schema.db_alias)
            if verbosity:
                self.stdout.write(f"Dropped schema {reference!r}.")
        invalidate()
        ddl.create_schema(reference, using=schema.db_alias)
        plan = migrate_schema(schema, verbosity=max(verbosity - 1, 0))
        invalidate()
        status = reference_status(reference, using=schema.db_alias)
        if not status.ready:  # pragma: no cover - migrate_schema applies every leaf
            raise CommandError(status.describe())
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Reference schema {reference!r} is ready "
                    f"({len(plan)} migration(s) applied in {time.perf_counter() - started:.2f}s)."
                )
            )
        spares = configured_spares()
        if spares:
            started = time.perf_counter()
            result = fill_spares(spares, using=schema.db_alias)
            if verbosity:
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{spares} spare clone(s) of {reference!r} ready "
                        f"({len(result.created)} cloned, {len(result.dropped)} stale dropped, "
                        f"{time.perf_counter() - started:.2f}s)."
                    )
                )
