#!/usr/bin/env python3
"""The routing middleware's own cost per request, without a database or a view.

    python3 scripts/benchlib/routing_micro.py --python VENV_A/bin/python --python VENV_B/bin/python

The end-to-end routing benchmark (``scripts/bench --only routing``) times whole requests
with one query each; on a shared machine its noise (hundreds of microseconds) hides
changes of a few microseconds. This one times only what the middleware adds: a
``DomainRoutingMiddleware`` around a ``get_response`` that returns a ready response,
routing a static tenant (``TENANTS[...]["DOMAINS"]``: no database), minus the same
``get_response`` called directly; a fresh ``WSGIRequest`` each time in both. Each
``--python`` (virtualenvs with different pgschemas checkouts, e.g. the bench's ``ours``
and ``baseline``) runs in its own processes, the interpreters alternating ``--rounds``
times; printed: the median over the rounds of the per-request difference, in µs.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from typing import Any

urlpatterns: list[Any] = []


def measure(requests: int) -> dict[str, float]:
    """In this process: µs per request with and without the middleware."""
    from django.conf import settings

    apps = ["django.contrib.contenttypes", "pgschemas.core", "pgschemas.routing"]
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=[".bench.test"],
        DATABASES={"default": {"ENGINE": "pgschemas.core.postgresql", "NAME": "unused"}},
        DATABASE_ROUTERS=["pgschemas.core.routers.TenantAppsRouter"],
        INSTALLED_APPS=apps,
        TENANTS={
            "public": {"APPS": apps},
            "www": {"APPS": ["django.contrib.contenttypes"], "DOMAINS": ["www.bench.test"]},
        },
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        USE_TZ=True,
    )
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIRequest
    from django.http import HttpResponse
    from django.test import RequestFactory

    from pgschemas.routing.middleware import DomainRoutingMiddleware

    response = HttpResponse(b"ok")

    def view(request: Any) -> HttpResponse:
        return response

    environ = RequestFactory().get("/count/", HTTP_HOST="www.bench.test").environ
    middleware = DomainRoutingMiddleware(view)
    first = middleware(WSGIRequest(dict(environ)))
    assert first is response, first

    def run(handler: Any) -> float:
        started = time.perf_counter()
        for _ in range(requests):
            handler(WSGIRequest(dict(environ)))
        return (time.perf_counter() - started) / requests * 1e6

    samples = {"plain": [], "routed": []}  # type: dict[str, list[float]]
    for _ in range(5):
        samples["plain"].append(run(view))
        samples["routed"].append(run(middleware))
    plain = statistics.median(samples["plain"])
    routed = statistics.median(samples["routed"])
    return {"plain_us": plain, "routed_us": routed, "overhead_us": routed - plain}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[], help="repeatable")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return 0
    pythons = args.python or [sys.executable]
    results: dict[str, list[dict[str, float]]] = {python: [] for python in pythons}
    for _ in range(args.rounds):
        for python in pythons:
            out = subprocess.run(
                [python, __file__, "--measure", "--requests", str(args.requests)],
                check=True,
                capture_output=True,
                text=True,
            )
            results[python].append(json.loads(out.stdout))
    print("| interpreter | middleware overhead per request | range over rounds |")
    print("|---|---|---|")
    for python, rounds in results.items():
        overheads = [r["overhead_us"] for r in rounds]
        print(
            f"| {python} | {statistics.median(overheads):.1f} µs"
            f" | {min(overheads):.1f} to {max(overheads):.1f} µs |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
