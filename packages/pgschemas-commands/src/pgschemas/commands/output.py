"""Output of commands that run on many schemas.

When several schemas run, every line a schema's run writes is prefixed with
``[schema_name]`` - on a terminal, in a pipe, and in a ``stdout`` handed to ``call_command``
- so interleaved output of parallel runs stays readable. (One schema's run writes to the
caller's streams directly: its stdout is data and stays exactly as the command prints it.) Writers are line-buffered per schema and serialised by one lock, so lines of
two threads never mix. On a terminal a progress bar is drawn below the lines.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from typing import IO, Any

from django.core.management.base import OutputWrapper

_write_lock = threading.RLock()


def isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


class ProgressBar:
    """A one-line bar on a terminal (``stream``); a no-op when ``enabled`` is False."""

    width = 30

    def __init__(self, stream: IO[str], total: int, *, enabled: bool) -> None:
        self.stream = stream
        self.total = total
        self.enabled = enabled and total > 1
        self.done = 0
        self.failed = 0
        self.shown = False

    def clear(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\r\x1b[K")
            self.shown = False

    def draw(self) -> None:
        if not self.enabled:
            return
        filled = int(self.width * self.done / self.total) if self.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        failed = f", {self.failed} failed" if self.failed else ""
        self.stream.write(f"\r\x1b[K[{bar}] {self.done}/{self.total} schemas{failed}")
        self.stream.flush()
        self.shown = True

    def advance(self, *, failed: bool) -> None:
        with _write_lock:
            self.done += 1
            self.failed += int(failed)
            self.clear()
            self.draw()

    def finish(self) -> None:
        with _write_lock:
            self.clear()
            if self.enabled:
                self.stream.flush()


class PrefixedStream:
    """A text stream that writes ``[prefix] line`` for every line it receives."""

    def __init__(self, target: IO[str], prefix: str, progress: ProgressBar | None = None) -> None:
        self.target = target
        self.prefix = prefix
        self.progress = progress
        self._pending = ""

    def write(self, text: str) -> int:
        if not text:
            return 0
        data = self._pending + text
        *lines, self._pending = data.split("\n")
        if lines:
            self._emit(lines)
        return len(text)

    def _emit(self, lines: list[str]) -> None:
        out = "".join(f"[{self.prefix}] {line}\n" for line in lines)
        with _write_lock:
            if self.progress is not None:
                self.progress.clear()
            self.target.write(out)
            self.target.flush()
            if self.progress is not None:
                self.progress.draw()

    def flush(self) -> None:
        """On a terminal, show a partial line too (a prompt waiting for input must be
        visible). Elsewhere (a pipe, a file, ``call_command``'s ``StringIO``) keep it until
        its line ends: Django's migrate flushes ``  Applying app.0002_x...`` before it
        writes `` OK``, and logs and scripts should read that as one ``[schema]`` line."""
        if self._pending and isatty(self.target):
            self._emit_pending()
        else:
            with contextlib.suppress(AttributeError, ValueError):
                self.target.flush()

    def _emit_pending(self) -> None:
        pending, self._pending = self._pending, ""
        self._emit([pending])

    def isatty(self) -> bool:
        return isatty(self.target)

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:
        return getattr(self.target, "encoding", None) or "utf-8"

    def close(self) -> None:
        """Write what is left, a partial line too (the end of a schema's run)."""
        if self._pending:
            self._emit_pending()
        self.flush()


def finish(stream: Any) -> None:
    """End of a schema's output: a :class:`PrefixedStream` writes its partial line."""
    if isinstance(stream, PrefixedStream):
        stream.close()
    else:
        stream.flush()


class ThreadRoutedStream:
    """Stands in for ``sys.stdout``/``sys.stderr`` while schemas run.

    Code that prints directly (``print()``) instead of using ``self.stdout`` still gets its
    lines prefixed: each worker thread registers its schema's stream here, and threads that
    did not register write to the original stream unchanged.
    """

    def __init__(self, original: Any) -> None:
        self.original = original
        self.local = threading.local()

    def _current(self) -> Any:
        return getattr(self.local, "stream", None) or self.original

    def bind(self, stream: Any | None) -> None:
        self.local.stream = stream

    def write(self, text: str) -> int:
        result: int = self._current().write(text)
        return result

    def flush(self) -> None:
        self._current().flush()

    def isatty(self) -> bool:
        return isatty(self.original)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.original, name)


class RoutedStdio:
    """Install :class:`ThreadRoutedStream` on ``sys.stdout``/``sys.stderr`` for a block."""

    def __init__(self) -> None:
        self.stdout: ThreadRoutedStream | None = None
        self.stderr: ThreadRoutedStream | None = None

    def __enter__(self) -> RoutedStdio:
        self._saved = (sys.stdout, sys.stderr)
        self.stdout = ThreadRoutedStream(sys.stdout)
        self.stderr = ThreadRoutedStream(sys.stderr)
        sys.stdout, sys.stderr = self.stdout, self.stderr
        return self

    def __exit__(self, *exc: object) -> None:
        sys.stdout, sys.stderr = self._saved

    def bind(self, stdout: Any | None, stderr: Any | None) -> None:
        if self.stdout is not None and self.stderr is not None:
            self.stdout.bind(stdout)
            self.stderr.bind(stderr)


class ThreadBoundOutput:
    """Command mixin: ``self.stdout``/``self.stderr`` are the running schema's streams.

    While a schema's task runs, each worker thread sees the streams bound for it (see
    :meth:`bind_task_output`); any other thread, and every thread outside a run, sees the
    command's own streams (:attr:`base_stdout`/:attr:`base_stderr`, what Django set).
    """

    def _output_local(self) -> threading.local:
        local = self.__dict__.get("_pgs_thread_local")
        if local is None:
            local = self.__dict__["_pgs_thread_local"] = threading.local()
        return local

    @property
    def stdout(self) -> Any:
        return getattr(self._output_local(), "stdout", None) or self.base_stdout

    @stdout.setter
    def stdout(self, value: Any) -> None:
        self.__dict__["_pgs_stdout"] = value

    @property
    def stderr(self) -> Any:
        return getattr(self._output_local(), "stderr", None) or self.base_stderr

    @stderr.setter
    def stderr(self, value: Any) -> None:
        self.__dict__["_pgs_stderr"] = value

    @property
    def base_stdout(self) -> Any:
        """The command's own stdout (an ``OutputWrapper``), whatever thread asks."""
        return self.__dict__.get("_pgs_stdout")

    @property
    def base_stderr(self) -> Any:
        return self.__dict__.get("_pgs_stderr")

    def bind_task_output(self, out: Any | None, err: Any | None) -> None:
        """Bind this thread's ``self.stdout``/``self.stderr`` to ``out``/``err`` (styled like
        the command's own), or unbind them with ``None``."""
        local = self._output_local()
        if out is None or err is None:
            local.stdout = local.stderr = None
            return
        local.stdout = OutputWrapper(out)
        local.stdout.style_func = getattr(self.base_stdout, "_style_func", None)
        local.stderr = OutputWrapper(err)
        local.stderr.style_func = getattr(self.base_stderr, "_style_func", None)
