"""Saying what the selectors resolved to, and not writing through a guess.

A selector that is not a schema name can still pick a schema: ``-s acme`` picks the tenant
whose domain starts with ``acme`` once the tenant ``acme`` itself is gone - maybe
``acmecorp``. So before a command runs:

- every selector that matched by a domain rule is named on stderr with the schema it picked
  (stdout is the command's data), unless ``-v 0`` asked for quiet;
- a selector that matched only by a *prefix* (of a domain or ``domain/folder``) stops any
  command that may write (every command that is not read-only): on a terminal the user is
  asked to confirm; with ``--noinput``, or without a terminal to ask on, the run is refused.

Read-only commands (``whowill``, ``dumpdata``, ...) and ``-x`` values are only announced:
reading the wrong schema, or leaving one out, destroys nothing.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandError

from .options import SchemaOptions
from .selectors import Match, Selection


def announce(selection: Selection, stderr: Any) -> None:
    """One stderr line per ``-s``/``-x`` value that matched by a rule other than the name."""
    for match in selection.matches:
        if not match.by_name:
            stderr.write(f"Selector {match.describe()}.")
    for match in selection.excluded:
        if not match.by_name:
            stderr.write(f"Exclude selector {match.describe()}.")


def refusal(match: Match, what: str, why: str) -> str:
    """The error for a prefix match that cannot be confirmed: what, why, how to fix."""
    names = [schema.schema_name for schema in match.schemas]
    return (
        f"Refusing to run {what}: selector {match.token!r} is not the name of a schema; it "
        f"only matched {', '.join(repr(n) for n in names)} by {match.rule} "
        f"({', '.join(match.via)}), and {why}. If that is the schema you mean, select it "
        f"exactly: -s {' -s '.join(names)} (or its full domain)."
    )


def confirm_prefix_matches(
    selection: Selection, *, what: str, interactive: bool, stderr: Any
) -> None:
    """Ask about (or refuse) every ``-s`` value that matched only by a prefix."""
    guesses = [match for match in selection.matches if not match.exact]
    if not guesses:
        return
    if not interactive:
        raise CommandError(refusal(guesses[0], what, "--noinput was passed"))
    if not sys.stdin or not sys.stdin.isatty():
        raise CommandError(refusal(guesses[0], what, "stdin is not a terminal to confirm on"))
    for match in guesses:
        names = ", ".join(schema.schema_name for schema in match.schemas)
        stderr.write(
            f"Selector {match.token!r} is not a schema name; it matched {names} by "
            f"{match.rule}. Run {what} on {names}? [y/N] ",
            ending="",
        )
        stderr.flush()
        answer = sys.stdin.readline().strip().lower()
        if answer not in ("y", "yes"):
            raise CommandError(f"Cancelled: {what} was not run (selector {match.token!r}).")


def review_selection(
    selection: Selection, options: SchemaOptions, *, what: str, read_only: bool, stderr: Any
) -> None:
    """Announce non-name matches; confirm or refuse prefix matches unless ``read_only``."""
    if options.verbosity >= 1:
        announce(selection, stderr)
    if not read_only:
        confirm_prefix_matches(selection, what=what, interactive=options.interactive, stderr=stderr)
