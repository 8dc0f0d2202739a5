"""``manage.py clonespares [--count N]``: keep N spare clones of the reference ready."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pgschemas.core.config import get_config

from ...plan import CloneError
from ...reference import reference_status
from ...spares import configured_spares, fill_spares


class Command(BaseCommand):
    help = (
        "Replace stale spare clones of the clone reference and clone new ones until "
        'TENANTS["default"]["CLONE_SPARES"] (or --count) are ready. New tenants are made '
        "by renaming a spare, which takes milliseconds. Run it after `migrate` and after "
        "tenants were created (from cron or a task queue); --count 0 drops every spare."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count",
            type=int,
            default=None,
            help='How many spares to keep (default: TENANTS["default"]["CLONE_SPARES"]).',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["count"]
        if count is not None and count < 0:
            raise CommandError(f"--count {count}: expected a whole number >= 0.")
        wanted = configured_spares() if count is None else count
        reference = get_config().clone_reference
        if wanted and not reference:
            raise CommandError(
                'Spare clones need a clone reference: set TENANTS["default"]["CLONE_REFERENCE"] '
                '(e.g. "sample") and run `manage.py createrefschema`.'
            )
        if wanted and reference:
            status = reference_status(reference)
            if not status.ready:
                raise CommandError(f"No spare was cloned: {status.describe()}.")
        started = time.perf_counter()
        try:
            result = fill_spares(wanted)
        except CloneError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(result.kept) + len(result.created)} spare clone(s) of {reference!r} "
                    f"ready: {len(result.created)} cloned, {len(result.kept)} kept, "
                    f"{len(result.dropped)} stale dropped "
                    f"({time.perf_counter() - started:.2f}s)."
                )
            )
