"""Run the demo: embedded PostgreSQL, idempotent setup, ASGI server, clean Ctrl-C.

Started by ``scripts/demo`` inside ``.tools/demo-venv``. It serves the integration
sandbox (``integration_tests/sandbox``) as the tests run it, on a database of its own.
PostgreSQL's data lives in ``.demo-data/postgres`` and survives restarts, so a second run
only starts the server, finds nothing to migrate or create, and serves within seconds.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / ".demo-data"
DATABASE_NAME = "pgschemas_demo"
SANDBOX = ROOT / "integration_tests"


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python3 scripts/demo",
        description="Serve the pgschemas sandbox with a few tenants on http://localhost:PORT.",
    )
    parser.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; *.localhost names resolve there)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="delete .demo-data/ first and start from scratch"
    )
    return parser.parse_args(argv)


def ensure_database(server_url: str, name: str) -> None:
    """Create the demo database on the embedded server unless it exists."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def configure_django(server_url: str) -> None:
    """The sandbox's own settings, pointed at the demo database (never a test database)."""
    os.environ["DATABASE_URL"] = server_url
    os.environ["PGSCHEMAS_SANDBOX_DB_NAME"] = DATABASE_NAME
    os.environ["DJANGO_SETTINGS_MODULE"] = "sandbox.settings"
    if str(SANDBOX) not in sys.path:
        sys.path.insert(0, str(SANDBOX))
    import django

    django.setup()


def asgi_application() -> Any:
    """The sandbox's ``ASGI_APPLICATION`` (HTTP and websockets, routed to their tenant)."""
    from django.conf import settings
    from django.utils.module_loading import import_string

    return import_string(settings.ASGI_APPLICATION)


def print_banner(report: Any, port: int, elapsed: float) -> None:
    from pgschemas.core.config import get_config

    config = get_config()
    lines = [
        "",
        f"pgschemas demo ready in {elapsed:.1f}s"
        + ("" if report.changed else " (nothing to set up: data kept in .demo-data/)"),
        "",
        "Open these in a browser; each page says which tenant and schema served it, and the",
        "notes you add stay in that tenant. Each page also has a websocket echo.",
        "",
    ]
    for key, entry in config.static.items():
        for domain in entry.option("DOMAINS", ()):
            lines.append(f"  static   {key:<10} http://{domain}:{port}/")
    if report.routable:
        for spec in report.tenants:
            kind = "folder" if spec.folder else "dynamic"
            lines.append(f"  {kind:<8} {spec.schema_name:<10} {spec.url(port)}")
    else:
        lines.append("  (dynamic tenants exist but the sandbox has no DOMAIN_MODEL to route them)")
    if config.clone_reference:
        lines.append(
            f"  new tenants are cloned from the reference schema {config.clone_reference!r}"
        )
    lines += ["", "Ctrl-C stops the server and PostgreSQL.", ""]
    print("\n".join(lines), flush=True)


def serve(application: Any, host: str, port: int) -> None:
    import uvicorn

    config = uvicorn.Config(
        application, host=host, port=port, lifespan="off", log_level="warning", ws="auto"
    )
    server = uvicorn.Server(config)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    except SystemExit as exc:
        if not server.started:
            raise SystemExit(
                f"demo: the web server could not listen on {host}:{port} "
                "(port in use? try --port 8001)"
            ) from exc
        raise


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    if args.reset and DATA.exists():
        print(f"demo: --reset: deleting {DATA.relative_to(ROOT)}/", flush=True)
        shutil.rmtree(DATA)
    DATA.mkdir(exist_ok=True)
    from pgschemas_devtools.embedded import start_server

    print("demo: starting PostgreSQL (data in .demo-data/postgres)", flush=True)
    server = start_server(pgdata=DATA / "postgres", handle_signals=False)
    try:
        ensure_database(server.url, DATABASE_NAME)
        configure_django(server.url)
        from sandbox.demo import setup_demo

        print("demo: checking migrations, clone reference and tenants", flush=True)
        report = setup_demo()
        application = asgi_application()
        print_banner(report, args.port, time.monotonic() - started)
        serve(application, args.host, args.port)
    except KeyboardInterrupt:
        print("\ndemo: interrupted", flush=True)
    finally:
        print("demo: stopping PostgreSQL", flush=True)
        server.stop()
        print("demo: stopped", flush=True)
    return 0
