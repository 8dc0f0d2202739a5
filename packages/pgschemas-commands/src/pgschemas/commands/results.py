"""What happened on each schema of a run, and the run's summary.

A status is a :class:`Status` member, never a bare string, so a misspelt status is a type
error instead of a schema silently counted nowhere. ``Status`` is a ``StrEnum``: it prints
as its value (``ok``, ``failed``, ``skipped``), which is what the summary and the
``[schema] failed: ...`` lines show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Status(StrEnum):
    """The outcome of one schema's run."""

    #: The task ran and returned (or the schema needed nothing, e.g. ``migrate`` up to date).
    OK = "ok"
    #: The task raised, or the schema could not be run (missing and not to be created).
    FAILED = "failed"
    #: Not run and not an error: ``--fail-fast`` stopped the run, or a missing clone
    #: reference reached through a wildcard.
    SKIPPED = "skipped"


@dataclass(frozen=True)
class SchemaResult:
    schema_name: str
    status: Status
    message: str = ""


@dataclass
class RunReport:
    results: list[SchemaResult] = field(default_factory=list)

    def _with(self, status: Status) -> list[str]:
        return [r.schema_name for r in self.results if r.status is status]

    @property
    def succeeded(self) -> list[str]:
        return self._with(Status.OK)

    @property
    def failed(self) -> list[str]:
        return self._with(Status.FAILED)

    @property
    def skipped(self) -> list[str]:
        return self._with(Status.SKIPPED)

    def summary(self, what: str, *, verbose: bool = False) -> str:
        """``what`` succeeded on N schemas, failed on M: names; skipped K: names."""
        total = len(self.results)
        parts = [f"{what}: succeeded on {len(self.succeeded)} of {total} schemas"]
        if verbose and self.succeeded:
            parts[0] += f" ({', '.join(self.succeeded)})"
        if self.failed:
            parts.append(f"failed on {len(self.failed)}: {', '.join(self.failed)}")
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)}: {', '.join(self.skipped)}")
        return "; ".join(parts) + "."

    def failure_lines(self, limit: int = 5) -> list[str]:
        """``[schema] message`` for the first ``limit`` failures (and how many more)."""
        failed = [r for r in self.results if r.status is Status.FAILED]
        lines = [f"[{r.schema_name}] {r.message}" for r in failed[:limit] if r.message]
        if len(failed) > limit:
            lines.append(f"... and {len(failed) - limit} more failed schemas (see above)")
        return lines
