"""Asking for a schema when a command got none (``-s`` missing, no default selectors).

Only on a terminal, and never with ``--noinput``: a script gets a clear error saying what
to pass instead of a prompt waiting forever. The prompt goes to stderr, since stdout may
be redirected to a data file.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError

from .options import SchemaOptions
from .selectors import WILDCARDS, Catalog, Scope, SelectorError

HOW = (
    "Pass -s/--schema (a schema name, a domain, :all:, :static: or :dynamic:) "
    "or one of -as/-ss/-ds/-ts."
)
#: Schema names listed before the question (the rest are counted).
SHOWN = 30


def ask_for_schema(scope: Scope, options: SchemaOptions, stderr: Any) -> list[str]:
    """One selector typed by the user, checked against ``scope``; asked again until valid."""
    if not options.interactive:
        raise CommandError(f"No schema given and --noinput was passed. {HOW}")
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(f"No schema given and stdin is not a terminal. {HOW}")
    catalog = Catalog(scope)
    names = list(catalog.by_name)
    shown = names[:SHOWN]
    more = f" ... and {len(names) - len(shown)} more" if len(names) > len(shown) else ""
    stderr.write(f"Choices: {', '.join([*WILDCARDS, *shown])}{more}")
    while True:
        stderr.write("Enter schema to run command (or a selector): ", ending="")
        stderr.flush()
        try:
            answer = input().strip()
        except EOFError:
            raise CommandError(f"No schema given. {HOW}") from None
        if not answer:
            continue
        try:
            catalog.resolve(answer)
        except SelectorError as exc:
            stderr.write(str(exc))
            continue
        return [answer]
