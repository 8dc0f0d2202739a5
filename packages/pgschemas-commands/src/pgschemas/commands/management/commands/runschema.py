"""``manage.py runschema <command> [args] -s SCHEMA ...``: any command on selected schemas.

runschema's own options (every option ``runschema -h`` lists) are recognised before and
after the wrapped command's name; every other argument goes to the wrapped command
unchanged and in order; after ``--`` everything goes to the wrapped command.

``-s``/``-x`` take one value before the command name (``runschema -s www shell``) and, after
it, every value up to the next option (``runschema flush -s www blog``, django-pgschemas'
form).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from typing import Any

from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pgschemas.commands.base import WrappedSchemaOption, is_read_only

#: Commands that talk to the terminal directly: run one schema at a time, stdio untouched.
CONSOLE_COMMANDS = frozenset({"shell", "dbshell"})

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
            if command is None and index < len(tokens):
                command = tokens[index]
                index += 1
            wrapped.extend(tokens[index:])
            break
        name, eq, _value = token.partition("=")
        if token in actions and actions[token].nargs in ("+", "*"):
            # One value before the command name, every value up to the next option after
            # it; passed on as token=value so argparse cannot take the command name too.
            values = tokens[index : index + 1]
            index += len(values)
            while command is not None and index < len(tokens):
                if tokens[index].startswith("-"):
                    break
                values.append(tokens[index])
                index += 1
            own.extend(f"{token}={value}" for value in values)
            if not values:
                own.append(token)  # argparse reports the missing value
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


class RunSchemaParser(CommandParser):
    """Parses runschema's own options anywhere and keeps the rest for the wrapped command."""

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:
        own, wrapped = split_argv(self, sys.argv[2:] if args is None else args)
        result = super().parse_args(own, namespace)
        result.command_args = [*getattr(result, "command_args", []), *wrapped]
        return result


class Command(WrappedSchemaOption, BaseCommand):
    help = "Wrapper around django commands for use with an individual schema"

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> Any:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = RunSchemaParser  # same state, runschema's parse_args
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

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["command_name"]
        wrapped_args: list[str] = [*options.get("command_args", []), *args]
        commands = get_commands()
        if name not in commands:
            close = difflib.get_close_matches(name, list(commands), n=3)
            hint = f" Did you mean: {', '.join(close)}?" if close else ""
            raise CommandError(f"Unknown command: {name!r}.{hint}")
        app_name = commands[name]
        sample = (
            app_name if isinstance(app_name, BaseCommand) else load_command_class(app_name, name)
        )
        klass = type(sample)
        dests = {action.dest for action in sample.create_parser("manage.py", name)._actions}
        forwarded = {key: options[key] for key in FORWARDED if key in dests and key in options}
        if not options.get("interactive", True) and "interactive" in dests:
            forwarded["interactive"] = False
        console = name in CONSOLE_COMMANDS and sys.stdin is not None and sys.stdin.isatty()

        def task(schema: Any) -> None:
            from django.core.management import call_command

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
            route_stdio=not console,
            executor="sequential" if console else None,
        )
