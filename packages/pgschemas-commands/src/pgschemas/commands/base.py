"""Base classes for commands that run on schemas.

``WrappedSchemaOption`` gives a command the schema options of ``runschema`` (``-s``, ``-x``,
``--executor``/``--parallel``, ``--no-create-schemas``, ``--fail-fast``, ``--noinput``), turns
them into schemas, creates missing ones when allowed, runs a task per schema with an
executor and ends with a summary. ``TenantCommand`` calls ``handle_tenant`` per schema.
The pieces live in their own modules: options (:mod:`.options`), the schema prompt
(:mod:`.prompt`), schema creation (:mod:`.creation`), per-thread output (:mod:`.output`),
the run (:mod:`.executors`) and its results (:mod:`.results`).

Output contract: a command's stdout is its data. When the selection is one schema,
``self.stdout``/``self.stderr`` are the caller's streams, untouched, so the output is exactly
what the command prints when run in that schema directly. When it is several schemas, they
are per-thread streams prefixing every line with ``[schema_name] `` (safe in parallel).
Everything this module adds - created schemas, failures, the summary, the schema prompt -
goes to stderr.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from pgschemas.core.schema import SchemaLike

from .creation import is_read_only, prepare_schemas
from .executors import ExecutorName, SchemaRunner, TaskStream
from .options import SchemaOptions, add_schema_arguments
from .output import ThreadBoundOutput
from .prompt import ask_for_schema
from .results import RunReport, SchemaResult, Status
from .review import review_selection
from .selectors import Scope, Selection, resolve_selectors

#: The schema a ``runschema``/``TenantCommand`` task is running on, if any. A schema command
#: called inside such a task without ``-s`` runs on that schema only.
running_schema: ContextVar[SchemaLike | None] = ContextVar("pgschemas_running_schema", default=None)


class WrappedSchemaOption(ThreadBoundOutput):
    """Mixin (put it before ``BaseCommand``) adding schema selection and execution.

    The public methods take the command's options as Django hands them (a dict) or as a
    :class:`~.options.SchemaOptions`; everything below them gets the frozen options.
    """

    #: Kinds of schema the command may run on.
    scope: Scope = Scope()
    #: Selectors used when no ``-s`` is given (empty: ask, or fail with ``--noinput``).
    default_selectors: tuple[str, ...] = ()
    #: True: never create missing schemas for this command.
    pgschemas_read_only: bool | None = None

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)  # type: ignore[misc]
        add_schema_arguments(parser)

    def select_schemas(self, options: SchemaOptions | Mapping[str, Any]) -> Selection:
        """Resolve ``-s``/``-x`` (or the default, the running schema, or the prompt)."""
        opts = SchemaOptions.of(options)
        include = list(opts.include)
        if not include:
            current = running_schema.get()
            if current is not None:
                return Selection(schemas=[current], explicit={current.schema_name})
            include = list(self.default_selectors) or ask_for_schema(self.scope, opts, self.stderr)
        return resolve_selectors(include, list(opts.exclude), scope=self.scope)

    def partition_up_to_date(
        self, schemas: list[SchemaLike], options: SchemaOptions
    ) -> tuple[list[SchemaLike], dict[str, SchemaResult]]:
        """Hook: leave out schemas that need nothing (``migrate`` uses it); default: none."""
        return schemas, {}

    def run_on_schemas(
        self,
        task: Callable[[SchemaLike], Any],
        options: SchemaOptions | Mapping[str, Any],
        *,
        what: str,
        read_only: bool | None = None,
        selection: Selection | None = None,
        route_stdio: bool = True,
        executor: ExecutorName | None = None,
    ) -> RunReport:
        """Select, prepare and run ``task(schema)`` on each schema; summary; raise on failure."""
        opts = SchemaOptions.of(options)
        current = running_schema.get()
        if selection is None and current is not None and not opts.include:
            # Called by runschema (or another schema command) for the schema it is running
            # on: that caller prefixes, reports and summarises.
            task(current)
            return RunReport([SchemaResult(current.schema_name, Status.OK)])
        selection = selection or self.select_schemas(opts)
        # One schema: the command's output as it is. Several: every line says its schema.
        self.prefix_output = len(selection.schemas) > 1
        if read_only is None:
            read_only = is_read_only(self)
        review_selection(selection, opts, what=what, read_only=read_only, stderr=self.base_stderr)
        to_run, pre = prepare_schemas(selection, opts, read_only=read_only, stderr=self.stderr)
        to_run, done = self.partition_up_to_date(to_run, opts)
        pre.update(done)

        def wrapped(schema: SchemaLike, out: TaskStream, err: TaskStream) -> Any:
            token = running_schema.set(schema)
            self.bind_task_output(out, err)
            try:
                return task(schema)
            finally:
                self.bind_task_output(None, None)
                running_schema.reset(token)

        runner = SchemaRunner(
            stdout=getattr(self.base_stdout, "_out", self.base_stdout),
            stderr=getattr(self.base_stderr, "_out", self.base_stderr),
            executor=executor or opts.executor,
            fail_fast=opts.fail_fast,
            show_traceback=opts.traceback,
            route_stdio=route_stdio,
            prefix=self.prefix_output,
        )
        ran = {r.schema_name: r for r in runner.run(to_run, wrapped).results}
        report = RunReport(
            [pre.get(s.schema_name) or ran[s.schema_name] for s in selection.schemas]
        )
        self.report(report, what, opts)
        return report

    def report(self, report: RunReport, what: str, options: SchemaOptions) -> None:
        """Raise on failure; else the summary on stderr (several schemas, or ``-v 2``)."""
        if report.failed:
            # The reasons too, not only the names: a caller of call_command() (a script, a
            # test) gets them from the exception without reading stderr.
            raise CommandError("\n".join([report.summary(what), *report.failure_lines()]))
        several = len(report.results) > 1
        verbosity = options.verbosity
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
    """

    def handle(self, *args: Any, **options: Any) -> None:
        name = type(self).__module__.rsplit(".", 1)[-1]
        self.run_on_schemas(
            lambda tenant: self.handle_tenant(tenant, *args, **options), options, what=name
        )

    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        """Runs on each selected schema, with that schema active."""
        raise NotImplementedError(
            f"{type(self).__name__} must override handle_tenant(self, tenant, *args, **options)."
        )


class StaticTenantCommand(TenantCommand):
    """A :class:`TenantCommand` for ``public``, static tenants and the clone reference."""

    scope = Scope(static=True, dynamic=False)


class DynamicTenantCommand(TenantCommand):
    """A :class:`TenantCommand` for dynamic tenants (rows of the tenant model) only."""

    scope = Scope(static=False, dynamic=True)


__all__ = [
    "DynamicTenantCommand",
    "StaticTenantCommand",
    "TenantCommand",
    "WrappedSchemaOption",
    "running_schema",
]
