"""``manage.py createrefschema [--recreate]``: create and migrate the clone reference."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import get_static_schema

from ...plan import CloneError
from ...rebuild import build_reference, drop_leftover_builds
from ...reference import reference_status
from ...spares import configured_spares, fill_spares


class Command(BaseCommand):
    help = (
        'Create the clone reference schema (TENANTS["default"]["CLONE_REFERENCE"]) and '
        "migrate it with the apps of TENANTS['default']. Safe to run again: an existing "
        "reference is only migrated, unless --recreate replaces it (and its data) with a new "
        "one, built under a temporary name and swapped in once complete. "
        "With CLONE_SPARES set, also replaces stale spare clones and tops them up."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recreate",
            action="store_true",
            help=(
                "Build the reference again (under a temporary name) and replace the existing "
                "one, and everything loaded into it, once the new one is complete."
            ),
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
        alias = schema.db_alias
        started = time.perf_counter()
        leftovers = drop_leftover_builds(reference, using=alias)
        if leftovers and verbosity:
            self.stdout.write(
                f"Dropped {len(leftovers)} unfinished build(s) of {reference!r} left by an "
                f"interrupted run: {', '.join(leftovers)}."
            )
        if options["recreate"] or not ddl.schema_exists(reference, using=alias):
            try:
                built = build_reference(reference, using=alias, verbosity=max(verbosity - 1, 0))
            except CloneError as exc:
                raise CommandError(str(exc)) from exc
            applied = built.applied
            if built.replaced and verbosity:
                self.stdout.write(
                    f"Replaced schema {reference!r}: the previous one was dropped with its data."
                )
        else:
            applied = len(migrate_schema(schema, verbosity=max(verbosity - 1, 0)))
        status = reference_status(reference, using=alias)
        if not status.ready:  # pragma: no cover - both paths apply every leaf
            raise CommandError(status.describe())
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Reference schema {reference!r} is ready "
                    f"({applied} migration(s) applied in {time.perf_counter() - started:.2f}s)."
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
