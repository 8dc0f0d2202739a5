"""The schema options every schema command takes: declaring them, and reading them once.

:func:`add_schema_arguments` declares ``-s``/``-x``/``--executor``/... on a parser.
:class:`SchemaOptions` is what a command's parsed options mean for schema selection and
execution, built once per run (``SchemaOptions.from_options(options)``) and handed down
frozen, so no helper re-reads - or re-interprets - the raw options dict.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, cast

from django.core.management.base import CommandError

from .executors import EXECUTORS, PARALLEL, SEQUENTIAL, ExecutorName
from .selectors import WILDCARD_ALL, WILDCARD_DYNAMIC, WILDCARD_STATIC, WILDCARD_TENANTS

#: django-pgschemas' wildcard flags: (short, long name, dest, help), long also as --include-*.
WILDCARD_FLAGS = (
    ("-as", "all-schemas", "all_schemas", "all schemas"),
    ("-ss", "static-schemas", "static_schemas", "public, static tenants and the clone reference"),
    ("-ds", "dynamic-schemas", "dynamic_schemas", "all dynamic tenants"),
    ("-ts", "tenant-schemas", "tenant_schemas", "dynamic tenants and the clone reference"),
)
WILDCARD_OF_FLAG = {
    "all_schemas": WILDCARD_ALL,
    "static_schemas": WILDCARD_STATIC,
    "dynamic_schemas": WILDCARD_DYNAMIC,
    "tenant_schemas": WILDCARD_TENANTS,
}


def add_schema_arguments(parser: ArgumentParser) -> None:
    """Add runschema's schema options to ``parser`` (skipping ``--noinput`` if present).

    The spec's spelling (``-s SCHEMA`` repeatable, ``:all:``/``:static:``/``:dynamic:``,
    ``--executor``) and django-pgschemas 1.x's (``-s A B``, ``-x A B``, ``-as``, ``-ss``,
    ``-ds``, ``-ts``, ``--parallel``) both work, with django-pgschemas' option names
    (``schemas``, ``all_schemas``, ``parallel``, ``skip_schema_creation``, ...) as ``dest``
    so ``call_command(..., all_schemas=True)`` works too.
    """
    known = getattr(parser, "_option_string_actions", {})
    if "--noinput" not in known:
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Tells Django to NOT prompt the user for input of any kind.",
        )
    parser.add_argument(
        "-s",
        "--schema",
        action="extend",
        nargs="+",
        dest="schemas",
        metavar="SCHEMA",
        help="Schema to execute the current command (repeatable, several values allowed): "
        "a static key, the clone reference, a dynamic schema_name, a domain prefix, "
        "domain/folder, :all:, :static:, :dynamic: or :tenants:",
    )
    parser.add_argument(
        "-x",
        "--exclude-schema",
        action="extend",
        nargs="+",
        dest="excluded_schemas",
        metavar="SCHEMA",
        help="Schema to leave out (repeatable, several values allowed, same forms as --schema)",
    )
    for short, name, dest, what in WILDCARD_FLAGS:
        parser.add_argument(
            short,
            f"--{name}",
            f"--include-{name}",
            action="store_true",
            dest=dest,
            help=f"Include {what} (same as -s {WILDCARD_OF_FLAG[dest]})",
        )
    parser.add_argument(
        "--executor",
        choices=EXECUTORS,
        default=SEQUENTIAL,
        help="Executor to be used for running command on schemas",
    )
    parser.add_argument(
        "--parallel",
        action="store_true",
        dest="parallel",
        help="Same as --executor parallel",
    )
    parser.add_argument(
        "--no-create-schemas",
        action="store_true",
        dest="skip_schema_creation",
        help="Skip automatic creation of non-existing schemas",
    )
    parser.add_argument(
        "--fail-fast",
        action="store_true",
        help="Stop at the first failing schema (parallel: start no new schema)",
    )


def _as_tuple(value: Any) -> tuple[str, ...]:
    """Selector values from the command line (a list) or ``call_command`` (a list or a str)."""
    if not value:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


def _executor(options: Mapping[str, Any]) -> ExecutorName:
    """``--parallel`` (django-pgschemas' flag) wins over ``--executor``."""
    if options.get("parallel"):
        return PARALLEL
    name = options.get("executor") or SEQUENTIAL
    if name not in EXECUTORS:
        raise CommandError(f"Unknown executor {name!r}; choose one of: {', '.join(EXECUTORS)}.")
    return cast(ExecutorName, name)


@dataclass(frozen=True)
class SchemaOptions:
    """What a command's options say about which schemas to run on, and how."""

    #: ``-s`` values, then the wildcards of ``-as``/``-ss``/``-ds``/``-ts``.
    include: tuple[str, ...] = ()
    #: ``-x`` values.
    exclude: tuple[str, ...] = ()
    executor: ExecutorName = SEQUENTIAL
    fail_fast: bool = False
    #: False with ``--no-create-schemas`` (``skip_schema_creation``/``no_create_schemas``).
    create_schemas: bool = True
    #: False with ``--noinput``: never prompt.
    interactive: bool = True
    verbosity: int = 1
    #: ``--traceback``: a failing schema's traceback on stderr.
    traceback: bool = False
    #: Every option of the command, read-only, for hooks that need the command's own ones
    #: (``migrate``'s ``--plan``, ``--prune``, ...).
    command: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> SchemaOptions:
        """Read parsed (or ``call_command``) options, upstream's option names included."""
        include = _as_tuple(options.get("schemas"))
        include += tuple(token for dest, token in WILDCARD_OF_FLAG.items() if options.get(dest))
        skip = options.get("skip_schema_creation") or options.get("no_create_schemas")
        return cls(
            include=include,
            exclude=_as_tuple(options.get("excluded_schemas")),
            executor=_executor(options),
            fail_fast=bool(options.get("fail_fast")),
            create_schemas=not skip,
            interactive=bool(options.get("interactive", True)),
            verbosity=int(options.get("verbosity", 1)),
            traceback=bool(options.get("traceback")),
            command=MappingProxyType(dict(options)),
        )

    @classmethod
    def of(cls, options: SchemaOptions | Mapping[str, Any]) -> SchemaOptions:
        """``options`` itself, or built from a raw options mapping (public entry points)."""
        return options if isinstance(options, SchemaOptions) else cls.from_options(options)


__all__ = [
    "WILDCARD_FLAGS",
    "WILDCARD_OF_FLAG",
    "ExecutorName",
    "SchemaOptions",
    "add_schema_arguments",
]
