"""Summaries of repeated samples: median, quartiles, min/max, ratio to a peer."""

from __future__ import annotations

import statistics
from typing import Any


def summarize(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return {
        "median": statistics.median(ordered),
        "q1": q1,
        "q3": q3,
        "min": ordered[0],
        "max": ordered[-1],
        "n": len(ordered),
    }


def ratio(ours: float | None, peer: float | None) -> float | None:
    """ours / peer (below 1 means ours is lower: faster, fewer queries)."""
    if ours is None or peer is None or peer == 0:
        return None
    return ours / peer
