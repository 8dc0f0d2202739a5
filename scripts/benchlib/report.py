"""The Markdown table of a run (the JSON file is the source of truth)."""

from __future__ import annotations

from typing import Any

from .envs import LABELS

PEERS = ("ours", "baseline", "pgs", "tenants", "plain")


def _fmt(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def cell_text(cell: dict[str, Any]) -> str:
    status = cell.get("status")
    if status == "ok":
        text = _fmt(cell["median"])
        if cell.get("n", 1) > 1 and cell["min"] != cell["max"]:
            text += f" ({_fmt(cell['q1'])} to {_fmt(cell['q3'])})"
        return text
    if status == "not available yet":
        return "not available yet"
    if status == "n/a":
        return "—"
    return "error: " + " ".join(str(cell.get("error", "?")).split())[:60]


def _ratio_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}x" if value >= 0.1 else f"{value:.3f}x"


def _pooler_text(pooler: dict[str, Any] | None) -> str:
    if not pooler:
        return ""
    return (
        f' Rows marked "through PgBouncer": PgBouncer {pooler["version"]}, '
        f"{pooler['pool_mode']} pooling, pool size {pooler['pool_size']}."
    )


def markdown(result: dict[str, Any]) -> str:
    meta = result["meta"]
    labels = {**LABELS, **result.get("labels", {})}
    peers = [p for p in PEERS if any(p in row["cells"] for row in result["rows"])]
    versus = ["pgs", "tenants", *(["baseline"] if "baseline" in peers else [])]
    lines = [
        f"Run `{meta['command']}` — {meta['mode']} mode, {meta['started']}, "
        f"{meta['cpus']} CPUs, PostgreSQL {meta['postgres']}, Python {meta['python']}, "
        f"Django {meta['django']}; {meta['seconds']:.0f} s wall time."
        + _pooler_text(meta.get("pooler")),
        "",
        "Cells: median (interquartile range) over the samples of the run; ratio = ours ÷ peer "
        "(below 1: ours is lower, i.e. faster or fewer queries).",
        "",
    ]
    header = [
        "measurement",
        "unit",
        *(labels[p] for p in peers),
        "ours ÷ django-pgschemas",
        "ours ÷ django-tenants",
        *(["ours ÷ baseline"] if "baseline" in peers else []),
    ]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in result["rows"]:
        cells = [cell_text(row["cells"].get(p, {"status": "n/a"})) for p in peers]
        ratios = [_ratio_text(row.get("ratios", {}).get(p)) for p in versus]
        lines.append("| " + " | ".join([row["title"], row["unit"], *cells, *ratios]) + " |")
    notes = result.get("notes", [])
    if notes:
        lines += ["", *(f"- {note}" for note in notes)]
    return "\n".join(lines) + "\n"
