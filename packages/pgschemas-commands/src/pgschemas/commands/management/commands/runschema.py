"""``manage.py runschema <command> [args] -s SCHEMA ...``: any command on selected schemas.

runschema's own options (every option ``runschema -h`` lists) are recognised before and
after the wrapped command's name; every other argument goes to the wrapped command
unchanged and in order. A ``--`` before the command name ends runschema's options: the rest
is the wrapped command line, name first. A ``--`` after the name ends them too and is passed
on with the rest, so ``runschema dbshell -s acme -- -c "SELECT 1"`` is ``dbshell -- -c ...``.

``-s``/``-x`` take one value before the command name (``runschema -s www shell``) and, after
it, every value up to the next option or ``--`` (``runschema flush -s www blog``,
django-pgschemas' form). So a wrapped command's positional arguments go before ``-s``
(``runschema loaddata data.json -s acme``) or after a ``--`` (``runschema loaddata -s acme
-- data.json``), which the wrapped command's parser reads as "only positionals follow".

From ``call_command``, keyword options runschema does not have go to the wrapped command
(``call_command("runschema", "dumpdata", schemas=["acme"], indent=2)``): once the parser
has seen the command name, they are declared as runschema's stealth options, which is how
``call_command`` lets options through.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from contextlib import nullcontext
from typing import Any

from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pgschemas.commands.base import WrappedSchemaOption
from pgschemas.commands.client import client_in_schema
from pgschemas.commands.creation import is_read_only

#: Commands that talk to the terminal directly: run one schema at a time, stdio untouched
#: when on a terminal.
CONSOLE_COMMANDS = frozenset({"shell", "dbshell"})
#: Commands starting the database client, which must open in the schema's search path.
CLIENT_COMMANDS = frozenset({"dbshell"})

#: runschema options also handed to the wrapped command (when it has them).
FORWARDED = ("verbosity", "no_color", "force_color", "traceback")

_JOINABLE_SHORT = ("-s", "-x", "-v")


def split_argv(parser: argparse.ArgumentParser, argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``argv`` into runschema's tokens (with the command name last) and the wrapped ones."""
    actions = parser._option_string_actions
    own: list[str] = []
    wrapped: list[str] = []
    command: str | None = None
    tokens = list(argv)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "--":
            if command is None:
                if index < len(tokens):
                    command = tokens[index]
                    index += 1
            else:
                wrapped.append(token)  # the wrapped command's own "--", as Django's dbshell wants
            wrapped.extend(tokens[index:])
            break
        name, eq, _value = token.partition("=")
        if token in actions and actions[token].nargs in ("+", "*"):
            # One value before the command name, every value up to the next option after
            # it; passed on as token=value so argparse cannot take the command name too.
            values = [value for value in tokens[index : index + 1] if value != "--"]
            index += len(values)
            while command is not None and index < len(tokens):
                if tokens[index].startswith("-"):
                    break
                values.append(tokens[index])
                index += 1
            if not values:
                parser.error(f"argument {token}: expected at least one schema (a selector)")
            own.extend(f"{token}={value}" for value in values)
            continue
        if token.startswith("--") and name in actions:
            own.append(token)
            if not eq and actions[name].nargs != 0 and index < len(tokens):
                own.append(tokens[index])
                index += 1
            continue
        if token in actions:
            own.append(token)
            if actions[token].nargs != 0 and index < len(tokens):
                own.append(tokens[index])
                index += 1
            continue
        if token[:2] in _JOINABLE_SHORT and len(token) > 2 and not token.startswith("--"):
            own.append(token)
            continue
        if command is None and not token.startswith("-"):
            command = token
            continue
        if command is None:
            own.append(token)  # an unknown option before the command name: argparse says so
            continue
        wrapped.append(token)
    if command is not None:
        own.append(command)
    return own, wrapped


def load_command(name: str) -> BaseCommand:
    """An instance of the command ``name``; a clear error (with suggestions) if unknown."""
    commands = get_commands()
    if name not in commands:
        close = difflib.get_close_matches(name, list(commands), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        raise CommandError(f"Unknown command: {name!r}.{hint}")
    app_name = commands[name]
    if isinstance(app_name, BaseCommand):
        return app_name
    return load_command_class(app_name, name)


def option_names(parser: argparse.ArgumentParser) -> set[str]:
    """Every keyword ``call_command`` accepts for ``parser``: dests and option spellings."""
    names: set[str] = set()
    for action in parser._actions:
        names.add(action.dest)
        if action.option_strings:
            names.add(min(action.option_strings).lstrip("-").replace("-", "_"))
    return names


class RunSchemaParser(CommandParser):
    """Parses runschema's own options anywhere and keeps the rest for the wrapped command."""

    #: The runschema command this parser belongs to (told which command it wraps).
    pgschemas_command: Command | None = None

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:
        own, wrapped = split_argv(self, sys.argv[2:] if args is None else args)
        result = super().parse_args(own, namespace)
        result.command_args = [*getattr(result, "command_args", []), *wrapped]
        if self.pgschemas_command is not None:
            self.pgschemas_command.accept_options_of(result.command_name, self)
        return result


class Command(WrappedSchemaOption, BaseCommand):
    help = "Wrapper around django commands for use with an individual schema"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = RunSchemaParser  # same state, runschema's parse_args
        parser.pgschemas_command = self
        # Options in the order the spec's usage text shows: Django's first, then ours.
        parser.formatter_class = argparse.HelpFormatter
        return parser

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.add_argument("command_name", help="The command name you want to run")
        parser.add_argument(
            "command_args",
            nargs=argparse.REMAINDER,
            help="Arguments and options of the wrapped command (after -- if they clash "
            "with runschema's own options)",
        )

    #: Keyword options of the wrapped command accepted from ``call_command`` (see
    #: :meth:`accept_options_of`); ``call_command`` reads it after parsing.
    stealth_options: tuple[str, ...] = ()
    _wrapped_option_names: frozenset[str] = frozenset()

    def accept_options_of(self, name: str, parser: argparse.ArgumentParser) -> None:
        """Let ``call_command`` pass the options of the wrapped command ``name`` through."""
        try:
            wrapped = load_command(name).create_parser("manage.py", name)
        except CommandError:
            return  # handle() reports the unknown command
        names = frozenset(option_names(wrapped) - option_names(parser))
        self._wrapped_option_names = names
        self.stealth_options = tuple(sorted(names))

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["command_name"]
        wrapped_args: list[str] = [*options.get("command_args", []), *args]
        sample = load_command(name)
        klass = type(sample)
        dests = {action.dest for action in sample.create_parser("manage.py", name)._actions}
        forwarded = {key: options[key] for key in FORWARDED if key in dests and key in options}
        if not options.get("interactive", True) and "interactive" in dests:
            forwarded["interactive"] = False
        # Keyword options of the wrapped command given to call_command("runschema", ...).
        forwarded.update(
            {key: value for key, value in options.items() if key in self._wrapped_option_names}
        )
        console = name in CONSOLE_COMMANDS
        on_terminal = console and sys.stdin is not None and sys.stdin.isatty()

        def task(schema: Any) -> None:
            from django.core.management import call_command

            with client_in_schema(schema) if name in CLIENT_COMMANDS else nullcontext():
                call_command(
                    klass(),
                    *wrapped_args,
                    stdout=self.stdout._out,
                    stderr=self.stderr._out,
                    **forwarded,
                )

        self.run_on_schemas(
            task,
            options,
            what=name,
            read_only=is_read_only(sample, name),
            route_stdio=not on_terminal,
            executor="sequential" if console else None,
        )
