"""Running one task per schema, one schema at a time or on several threads.

Both executors activate the schema around the task (``with schema:``, so whatever was
active before is active again afterwards), give the task its output streams - the caller's
own streams, untouched, when one schema runs; streams that prefix every line with the
schema name when several do - catch a failure, report it on stderr with its schema and go
on with the remaining schemas - unless ``fail_fast`` is set: then the sequential executor stops at the
first failure and the parallel one starts no new schema (those already running finish).
Schemas that were not run are reported as skipped.

The parallel executor uses threads: Django connections are per thread, so every worker has
its own database connection, closed when the worker has no schema left to run.
"""

from __future__ import annotations

import os
import queue
import threading
import traceback as tb
from collections.abc import Callable, Sequence
from typing import IO, Any, Final, Literal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.db import connections

from pgschemas.core.schema import SchemaLike

from .output import PrefixedStream, ProgressBar, RoutedStdio, finish, isatty
from .results import RunReport, SchemaResult, Status

ExecutorName = Literal["sequential", "parallel"]
SEQUENTIAL: Final = "sequential"
PARALLEL: Final = "parallel"
EXECUTORS: tuple[ExecutorName, ...] = (SEQUENTIAL, PARALLEL)

#: Where a schema's task writes: the caller's stream itself, or a prefixing one.
TaskStream = PrefixedStream | IO[str]
#: ``task(schema, stdout, stderr)``: run on one schema; raise to report a failure.
Task = Callable[[SchemaLike, TaskStream, TaskStream], Any]


#: Other settings read, in order, for the same limit when it is unset. Empty here: the
#: ``django_pgschemas`` compatibility layer adds django-pgschemas 1.x's
#: ``PGSCHEMAS_PARALLEL_MAX_THREADS``, so old names live with the layer.
MAX_WORKERS_SETTING_ALIASES: list[str] = []


def max_workers() -> int:
    """``PGSCHEMAS_PARALLEL_MAX_PROCESSES`` (or an alias), else the number of CPUs."""
    for name in ("PGSCHEMAS_PARALLEL_MAX_PROCESSES", *MAX_WORKERS_SETTING_ALIASES):
        value = getattr(settings, name, None)
        if value is not None:
            break
    else:
        return os.cpu_count() or 1
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ImproperlyConfigured(
            f"{name} must be a positive integer or None (= number of CPUs), got {value!r}."
        )
    return value


def describe_error(exc: BaseException) -> str:
    if isinstance(exc, SystemExit):
        return f"exited with status {exc.code}"
    if isinstance(exc, CommandError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class SchemaRunner:
    """Runs a :data:`Task` on schemas and collects a :class:`RunReport`."""

    def __init__(
        self,
        *,
        stdout: IO[str],
        stderr: IO[str],
        executor: ExecutorName = SEQUENTIAL,
        fail_fast: bool = False,
        show_traceback: bool = False,
        route_stdio: bool = True,
        progress: bool | None = None,
        prefix: bool = True,
    ) -> None:
        """``prefix=False``: the task writes to ``stdout``/``stderr`` unchanged (one schema)."""
        if executor not in EXECUTORS:
            raise CommandError(
                f"Unknown executor {executor!r}; choose one of: {', '.join(EXECUTORS)}."
            )
        self.stdout = stdout
        self.stderr = stderr
        self.executor = executor
        self.fail_fast = fail_fast
        self.show_traceback = show_traceback
        self.route_stdio = route_stdio
        self.prefix = prefix
        self.progress_enabled = (
            progress if progress is not None else isatty(stdout) and isatty(stderr)
        )

    def run(self, schemas: Sequence[SchemaLike], task: Task) -> RunReport:
        results: list[SchemaResult | None] = [None] * len(schemas)
        self._bar = ProgressBar(self.stderr, len(schemas), enabled=self.progress_enabled)
        self._stop = threading.Event()
        routed = RoutedStdio()
        try:
            if self.route_stdio:
                routed.__enter__()
            if self.executor == PARALLEL and len(schemas) > 1:
                self._run_parallel(schemas, task, results, routed)
            else:
                for index, schema in enumerate(schemas):
                    if self._stop.is_set():
                        break
                    results[index] = self._run_one(schema, task, routed)
        finally:
            if self.route_stdio:
                routed.__exit__(None, None, None)
            self._bar.finish()
        report = RunReport()
        for schema, result in zip(schemas, results, strict=True):
            report.results.append(
                result or SchemaResult(schema.schema_name, Status.SKIPPED, "not run (--fail-fast)")
            )
        return report

    def _run_parallel(
        self,
        schemas: Sequence[SchemaLike],
        task: Task,
        results: list[SchemaResult | None],
        routed: RoutedStdio,
    ) -> None:
        pending: queue.SimpleQueue[int] = queue.SimpleQueue()
        for index in range(len(schemas)):
            pending.put(index)

        def worker() -> None:
            try:
                while not self._stop.is_set():
                    try:
                        index = pending.get_nowait()
                    except queue.Empty:
                        return
                    results[index] = self._run_one(schemas[index], task, routed)
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=worker, name=f"pgschemas-worker-{n}", daemon=True)
            for n in range(min(max_workers(), len(schemas)))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _streams(self, name: str) -> tuple[TaskStream, TaskStream]:
        if not self.prefix:
            return self.stdout, self.stderr
        return (
            PrefixedStream(self.stdout, name, self._bar),
            PrefixedStream(self.stderr, name, self._bar),
        )

    def _notice(self, name: str, text: str) -> None:
        """The runner's own line about a schema: on stderr, always ``[schema]``-prefixed."""
        notice = PrefixedStream(self.stderr, name, self._bar)
        notice.write(text + "\n")
        finish(notice)

    def _run_one(self, schema: SchemaLike, task: Task, routed: RoutedStdio) -> SchemaResult:
        name = schema.schema_name
        out, err = self._streams(name)
        routed.bind(out, err)
        try:
            with schema:
                task(schema, out, err)
        except (Exception, SystemExit) as exc:
            message = describe_error(exc)
            if self.show_traceback:
                err.write("".join(tb.format_exception(exc)))
            finish(err)
            self._notice(name, f"error: {message}")
            result = SchemaResult(name, Status.FAILED, message)
            if self.fail_fast:
                self._stop.set()
        else:
            result = SchemaResult(name, Status.OK)
        finally:
            finish(out)
            finish(err)
            routed.bind(None, None)
        self._bar.advance(failed=result.status is Status.FAILED)
        return result
