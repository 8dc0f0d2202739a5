"""Base classes for commands that run on schemas.

``WrappedSchemaOption`` gives a command the schema options of ``runschema`` (``-s``, ``-x``,
``--executor``/``--parallel``, ``--no-create-schemas``, ``--fail-fast``, ``--noinput``), turns
them into schemas, creates missing ones when allowed, runs a task per schema with an
executor and ends with a summary. ``TenantCommand`` calls ``handle_tenant`` per schema.

Output contract: a command's stdout is its data. When the selection is one schema,
``self.stdout``/``self.stderr`` are the caller's streams, untouched, so the output is exactly
what the command prints when run in that schema directly. When it is several schemas, they
are per-thread streams prefixing every line with ``[schema_name] `` (safe in parallel).
Everything this module adds - created schemas, failures, the summary, the schema prompt -
goes to stderr.
"""

from __future__ import annotations

import sys
import threading
from argparse import ArgumentParser
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import Any

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connections

from pgschemas.core import ddl
from pgschemas.core.config import get_config
from pgschemas.core.schema import SchemaLike

from .executors import (
    EXECUTORS,
    PARALLEL,
    SEQUENTIAL,
    RunReport,
    SchemaResult,
    SchemaRunner,
    TaskStream,
)
from .review import review_selection
from .selectors import (
    WILDCARD_ALL,
    WILDCARD_DYNAMIC,
    WILDCARD_STATIC,
    WILDCARD_TENANTS,
    Scope,
    Selection,
    SelectorError,
    resolve_selectors,
)

#: Commands known to only read: ``runschema`` never creates a missing schema for them.
READ_ONLY_COMMANDS = frozenset(
    {
        "check",
        "diffsettings",
        "dumpdata",
        "inspectdb",
        "showmigrations",
        "sqlflush",
        "sqlmigrate",
        "sqlsequencereset",
        "whowill",
    }
)

#: The schema a ``runschema``/``TenantCommand`` task is running on, if any. A schema command
#: called inside such a task without ``-s`` runs on that schema only.
running_schema: ContextVar[SchemaLike | None] = ContextVar("pgschemas_running_schema", default=None)


def is_read_only(command: Any, name: str | None = None) -> bool:
    """``pgschemas_read_only`` on the command class wins; else the :data:`READ_ONLY_COMMANDS`."""
    flag = getattr(command, "pgschemas_read_only", None)
    if flag is not None:
        return bool(flag)
    return (name or type(command).__module__.rsplit(".", 1)[-1]) in READ_ONLY_COMMANDS


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


def _as_list(value: Any) -> list[str]:
    """Selector values from the command line (a list) or ``call_command`` (a list or a str)."""
    if not value:
        return []
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value]


def included_selectors(options: dict[str, Any]) -> list[str]:
    """``-s`` values plus the wildcards of ``-as``/``-ss``/``-ds``/``-ts``."""
    include = _as_list(options.get("schemas"))
    include += [token for dest, token in WILDCARD_OF_FLAG.items() if options.get(dest)]
    return include


def excluded_selectors(options: dict[str, Any]) -> list[str]:
    """``-x`` values."""
    return _as_list(options.get("excluded_schemas"))


def executor_name(options: dict[str, Any]) -> str:
    """``--parallel`` (django-pgschemas' flag) wins over ``--executor``."""
    return PARALLEL if options.get("parallel") else options.get("executor") or SEQUENTIAL


def skip_schema_creation(options: dict[str, Any]) -> bool:
    return bool(options.get("skip_schema_creation") or options.get("no_create_schemas"))


def missing_schemas(names: Sequence[str], alias: str) -> set[str]:
    """Which of ``names`` do not exist, in one query."""
    if not names:
        return set()
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY(%s)", [list(names)]
        )
        present = {row[0] for row in cursor.fetchall()}
    return set(names) - present


class WrappedSchemaOption:
    """Mixin (put it before ``BaseCommand``) adding schema selection and execution."""

    #: Kinds of schema the command may run on.
    scope: Scope = Scope()
    #: Selectors used when no ``-s`` is given (empty: ask, or fail with ``--noinput``).
    default_selectors: tuple[str, ...] = ()
    #: True: never create missing schemas for this command.
    pgschemas_read_only: bool | None = None

    # -- per-thread output -------------------------------------------------------------
    def _pgs_local(self) -> threading.local:
        local = self.__dict__.get("_pgs_thread_local")
        if local is None:
            local = self.__dict__["_pgs_thread_local"] = threading.local()
        return local

    @property
    def stdout(self) -> Any:
        return getattr(self._pgs_local(), "stdout", None) or self.__dict__.get("_pgs_stdout")

    @stdout.setter
    def stdout(self, value: Any) -> None:
        self.__dict__["_pgs_stdout"] = value

    @property
    def stderr(self) -> Any:
        return getattr(self._pgs_local(), "stderr", None) or self.__dict__.get("_pgs_stderr")

    @stderr.setter
    def stderr(self, value: Any) -> None:
        self.__dict__["_pgs_stderr"] = value

    def _bind_output(self, out: TaskStream | None, err: TaskStream | None) -> None:
        local = self._pgs_local()
        if out is None or err is None:
            local.stdout = local.stderr = None
            return
        base_out, base_err = self.__dict__["_pgs_stdout"], self.__dict__["_pgs_stderr"]
        local.stdout = OutputWrapper(out)
        local.stdout.style_func = getattr(base_out, "_style_func", None)
        local.stderr = OutputWrapper(err)
        local.stderr.style_func = getattr(base_err, "_style_func", None)

    # -- arguments ---------------------------------------------------------------------
    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)  # type: ignore[misc]
        add_schema_arguments(parser)

    # -- selection ---------------------------------------------------------------------
    def select_schemas(self, options: dict[str, Any]) -> Selection:
        """Resolve ``-s``/``-x`` (or the default, the running schema, or the prompt)."""
        include = included_selectors(options)
        exclude = excluded_selectors(options)
        if not include:
            current = running_schema.get()
            if current is not None:
                return Selection(schemas=[current], explicit={current.schema_name})
            include = list(self.default_selectors) or self.ask_for_schema(options)
        return resolve_selectors(include, exclude, scope=self.scope)

    def ask_for_schema(self, options: dict[str, Any]) -> list[str]:
        """Prompt on a terminal; fail clearly with ``--noinput`` or without a terminal."""
        how = (
            "Pass -s/--schema (a schema name, a domain, :all:, :static: or :dynamic:) "
            "or one of -as/-ss/-ds/-ts."
        )
        if not options.get("interactive", True):
            raise CommandError(f"No schema given and --noinput was passed. {how}")
        if not sys.stdin or not sys.stdin.isatty():
            raise CommandError(f"No schema given and stdin is not a terminal. {how}")
        from .selectors import WILDCARDS, Catalog

        catalog = Catalog(self.scope)
        names = list(catalog.by_name)
        shown = names[:30]
        more = f" ... and {len(names) - len(shown)} more" if len(names) > len(shown) else ""
        # On stderr, like every prompt of ours: stdout may be redirected to a data file.
        self.stderr.write(f"Choices: {', '.join([*WILDCARDS, *shown])}{more}")
        while True:
            self.stderr.write("Enter schema to run command (or a selector): ", ending="")
            self.stderr.flush()
            try:
                answer = input().strip()
            except EOFError:
                raise CommandError(f"No schema given. {how}") from None
            if not answer:
                continue
            try:
                catalog.resolve(answer)
            except SelectorError as exc:
                self.stderr.write(str(exc))
                continue
            return [answer]

    # -- execution ---------------------------------------------------------------------
    def prepare_schemas(
        self, selection: Selection, options: dict[str, Any], *, read_only: bool
    ) -> tuple[list[SchemaLike], dict[str, SchemaResult]]:
        """Create missing selected schemas when allowed; return what to run and pre-results.

        The clone reference is never created here (``createrefschema`` builds it): when it
        is missing it is skipped if it came in through a wildcard and failed if named.
        """
        alias = get_config().tenant_db_alias
        names = [s.schema_name for s in selection.schemas if s.schema_name != "public"]
        missing = missing_schemas(names, alias)
        reference = get_config().clone_reference
        to_run: list[SchemaLike] = []
        results: dict[str, SchemaResult] = {}
        for schema in selection.schemas:
            name = schema.schema_name
            if name not in missing:
                to_run.append(schema)
            elif name == reference:
                message = f"clone reference {name!r} does not exist; run createrefschema first"
                status = "failed" if name in selection.explicit else "skipped"
                results[name] = SchemaResult(name, status, message)
            elif read_only or skip_schema_creation(options):
                why = "read-only command" if read_only else "--no-create-schemas"
                results[name] = SchemaResult(
                    name, "failed", f"schema {name!r} does not exist (not created: {why})"
                )
            else:
                ddl.create_schema(name, using=schema.db_alias)
                if options.get("verbosity", 1) >= 1:
                    self.stderr.write(f"[{name}] created missing schema {name!r} (empty)")
                to_run.append(schema)
        for result in results.values():
            # -v 0 is quiet: a skipped schema is still counted in the (-v 1) summary.
            if result.status != "skipped" or options.get("verbosity", 1) >= 1:
                self.stderr.write(f"[{result.schema_name}] {result.status}: {result.message}")
        return to_run, results

    def partition_up_to_date(
        self, schemas: list[SchemaLike], options: dict[str, Any]
    ) -> tuple[list[SchemaLike], dict[str, SchemaResult]]:
        """Hook: leave out schemas that need nothing (``migrate`` uses it); default: none."""
        return schemas, {}

    def run_on_schemas(
        self,
        task: Callable[[SchemaLike], Any],
        options: dict[str, Any],
        *,
        what: str,
        read_only: bool | None = None,
        selection: Selection | None = None,
        route_stdio: bool = True,
        executor: str | None = None,
    ) -> RunReport:
        """Select, prepare and run ``task(schema)`` on each schema; summary; raise on failure."""
        current = running_schema.get()
        if selection is None and current is not None and not included_selectors(options):
            # Called by runschema (or another schema command) for the schema it is running
            # on: that caller prefixes, reports and summarises.
            task(current)
            return RunReport([SchemaResult(current.schema_name, "ok")])
        selection = selection or self.select_schemas(options)
        # One schema: the command's output as it is. Several: every line says its schema.
        self.prefix_output = len(selection.schemas) > 1
        if read_only is None:
            read_only = is_read_only(self)
        review_selection(
            selection, options, what=what, read_only=read_only, stderr=self.__dict__["_pgs_stderr"]
        )
        to_run, pre = self.prepare_schemas(selection, options, read_only=read_only)
        to_run, done = self.partition_up_to_date(to_run, options)
        pre.update(done)

        def wrapped(schema: SchemaLike, out: TaskStream, err: TaskStream) -> Any:
            token = running_schema.set(schema)
            self._bind_output(out, err)
            try:
                return task(schema)
            finally:
                self._bind_output(None, None)
                running_schema.reset(token)

        base_out = self.__dict__["_pgs_stdout"]
        base_err = self.__dict__["_pgs_stderr"]
        runner = SchemaRunner(
            stdout=getattr(base_out, "_out", base_out),
            stderr=getattr(base_err, "_out", base_err),
            executor=executor or executor_name(options),
            fail_fast=bool(options.get("fail_fast")),
            show_traceback=bool(options.get("traceback")),
            route_stdio=route_stdio,
            prefix=self.prefix_output,
        )
        ran = {r.schema_name: r for r in runner.run(to_run, wrapped).results}
        report = RunReport(
            [pre.get(s.schema_name) or ran[s.schema_name] for s in selection.schemas]
        )
        self.report(report, what, options)
        return report

    def report(self, report: RunReport, what: str, options: dict[str, Any]) -> None:
        """Raise on failure; else the summary on stderr (several schemas, or ``-v 2``)."""
        verbosity = options.get("verbosity", 1)
        if report.failed:
            # The reasons too, not only the names: a caller of call_command() (a script, a
            # test) gets them from the exception without reading stderr.
            raise CommandError("\n".join([report.summary(what), *report.failure_lines()]))
        several = len(report.results) > 1
        if verbosity >= 2 or (verbosity >= 1 and (several or report.skipped)):
            self.stderr.write(report.summary(what, verbose=verbosity >= 2))

    def schema_line(self, schema_name: str, text: str) -> str:
        """``text`` as a schema's run would print it: ``[schema] text`` when several run."""
        return f"[{schema_name}] {text}" if getattr(self, "prefix_output", True) else text


class TenantCommand(WrappedSchemaOption, BaseCommand):
    """Override :meth:`handle_tenant`; it runs once per selected schema, schema active.

    ``tenant`` is a row of the tenant model for dynamic tenants and a
    :class:`pgschemas.core.Schema` for ``public``, static tenants and the clone reference:
    check ``tenant.is_dynamic`` (or ``isinstance``) before using model fields.
    ``SchemaCommand``-style subclasses may override :meth:`handle_schema` instead.
    """

    def handle(self, *args: Any, **options: Any) -> None:
        name = type(self).__module__.rsplit(".", 1)[-1]
        self.run_on_schemas(
            lambda tenant: self.handle_tenant(tenant, *args, **options), options, what=name
        )

    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        """Runs on each schema; calls :meth:`handle_schema` unless overridden."""
        if type(self).handle_schema is TenantCommand.handle_schema:
            raise NotImplementedError(
                f"{type(self).__name__} must override handle_tenant(self, tenant, *args, **options)."
            )
        self.handle_schema(tenant, *args, **options)

    def handle_schema(self, schema: Any, *args: Any, **options: Any) -> None:
        """django-pgschemas' name for :meth:`handle_tenant` (override either one)."""
        self.handle_tenant(schema, *args, **options)


class StaticTenantCommand(TenantCommand):
    """A :class:`TenantCommand` for ``public``, static tenants and the clone reference."""

    scope = Scope(static=True, dynamic=False)


class DynamicTenantCommand(TenantCommand):
    """A :class:`TenantCommand` for dynamic tenants (rows of the tenant model) only."""

    scope = Scope(static=False, dynamic=True)


#: django-pgschemas compatibility names.
SchemaCommand = TenantCommand
StaticSchemaCommand = StaticTenantCommand
DynamicSchemaCommand = DynamicTenantCommand

__all__ = [
    "READ_ONLY_COMMANDS",
    "DynamicSchemaCommand",
    "DynamicTenantCommand",
    "SchemaCommand",
    "StaticSchemaCommand",
    "StaticTenantCommand",
    "TenantCommand",
    "WrappedSchemaOption",
    "add_schema_arguments",
    "executor_name",
    "included_selectors",
    "is_read_only",
]
