#!/usr/bin/env python3
"""Time creating a tenant schema by migrations vs by cloning the reference (by hand).

    [DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres] \\
        .tools/hatch/env/virtual/hatch-test.py3.11-5.2/bin/python \\
        scripts/benchlib/clone_vs_migrate.py [--models 50] [--rounds 5] [--tests-apps]

Runs in the test environment ``scripts/test`` creates (every package and
pgschemas-devtools installed). ``--tests-apps`` uses pgschemas-clone's test apps
(``packages/pgschemas-clone/tests``) instead of a generated app.

Generates a throwaway Django app with N models (foreign keys, unique constraints, indexes,
many-to-many) and its migrations in a temporary directory, builds the reference, then
creates ``--rounds`` schemas each way and prints the median and best times. Without
DATABASE_URL an embedded PostgreSQL (18) is started for the run. The official
side-by-side comparison (with django-pgschemas and django-tenants) lives in scripts/bench.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def write_app(root: Path, models: int) -> None:
    app = root / "bench_app"
    (app / "migrations").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "migrations" / "__init__.py").write_text("")
    lines = ["from django.db import models", ""]
    for i in range(models):
        lines += [
            f"class Model{i}(models.Model):",
            "    name = models.CharField(max_length=100, db_index=True)",
            "    code = models.SlugField(unique=True)",
            "    amount = models.DecimalField(max_digits=10, decimal_places=2, default=0)",
            "    active = models.BooleanField(default=True)",
            "    created = models.DateTimeField(auto_now_add=True)",
            "    data = models.JSONField(default=dict)",
        ]
        if i:
            lines.append(
                f"    parent = models.ForeignKey('Model{i - 1}', null=True, on_delete=models.CASCADE)"
            )
        if i % 5 == 4:
            lines.append(f"    links = models.ManyToManyField('Model{i - 4}', related_name='+')")
        lines += [
            "    class Meta:",
            "        indexes = [models.Index(fields=['active', 'created'])]",
            "",
        ]
    (app / "models.py").write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--tests-apps", action="store_true", help="use the package test apps")
    args = parser.parse_args()

    import django
    from django.conf import settings

    tmp = Path(tempfile.mkdtemp(prefix="pgschemas-bench-"))
    # The generated app, and pgschemas-clone's test apps (``tests.*``) for --tests-apps.
    clone_package = Path(__file__).resolve().parents[2] / "packages" / "pgschemas-clone"
    sys.path[:0] = [str(tmp), str(clone_package)]
    from pgschemas_devtools.database import database_settings

    if args.tests_apps:
        tenant_apps = ["django.contrib.auth", "tests.tenant_app", "tests.kitchen_app"]
        installed = ["tests.shared_app", "tests.tenant_app", "tests.kitchen_app"]
        public_extra = ["tests.shared_app"]
    else:
        write_app(tmp, args.models)
        tenant_apps = ["django.contrib.auth", "bench_app"]
        installed = ["bench_app"]
        public_extra = []
    settings.configure(
        SECRET_KEY="bench",
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        INSTALLED_APPS=[
            "pgschemas.core",
            "pgschemas.clone",
            "django.contrib.contenttypes",
            "django.contrib.auth",
            *installed,
        ],
        DATABASES={"default": database_settings("pgschemas_clone_bench")},
        DATABASE_ROUTERS=["pgschemas.core.routers.TenantAppsRouter"],
        TENANTS={
            "public": {
                "APPS": [
                    "django.contrib.contenttypes",
                    "django.contrib.auth",
                    *public_extra,
                ],
                **({"TENANT_MODEL": "shared_app.Tenant"} if args.tests_apps else {}),
            },
            "default": {"APPS": tenant_apps, "CLONE_REFERENCE": "sample"},
        },
    )
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from pgschemas.clone import clone_schema
    from pgschemas.core import ddl
    from pgschemas.core.migration import migrate_schema
    from pgschemas.core.schema import Schema

    if not args.tests_apps:
        call_command("makemigrations", "bench_app", verbosity=0)
    db = settings.DATABASES["default"]["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{db}"')
        cursor.execute(f'CREATE DATABASE "{db}"')
    call_command("migrate", verbosity=0)
    call_command("createrefschema", verbosity=0)

    def by_migrations(name: str) -> None:
        ddl.create_schema(name)
        migrate_schema(Schema(name, is_dynamic=True))

    def by_clone(name: str) -> None:
        ddl.create_schema(name)
        result = clone_schema("sample", name, create_schema=False)
        if args.verbose:
            print(f"    clone {name}: {result.seconds * 1000:.1f} ms inside clone_schema")

    by_migrations("warmup")  # graph cached, as in a long-running process
    timings: dict[str, list[float]] = {"migrations": [], "clone": []}
    for i in range(args.rounds):
        for label, build in (("migrations", by_migrations), ("clone", by_clone)):
            started = time.perf_counter()
            build(f"{label[:5]}_{i}")
            timings[label].append(time.perf_counter() - started)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'sample'::regnamespace AND relkind = 'r'"
        )
        tables = cursor.fetchone()[0]
    migrate_median = statistics.median(timings["migrations"])
    clone_median = statistics.median(timings["clone"])
    label = "package test apps" if args.tests_apps else f"{args.models}-model app"
    print(f"{label}: {tables} tables in the reference, {args.rounds} rounds")
    migrate_best, clone_best = min(timings["migrations"]), min(timings["clone"])
    print(
        f"  by migrations: median {migrate_median * 1000:8.1f} ms   best {migrate_best * 1000:8.1f} ms"
    )
    print(
        f"  by clone:      median {clone_median * 1000:8.1f} ms   best {clone_best * 1000:8.1f} ms"
    )
    print(
        f"  speed-up:      median {migrate_median / clone_median:8.1f}x    "
        f"best {migrate_best / clone_best:8.1f}x"
    )
    connection.close()
    return 0


if __name__ == "__main__":
    import os

    if os.environ.get("DATABASE_URL"):
        raise SystemExit(main())
    from pgschemas_devtools.embedded import start_server

    with start_server(purpose="clone-bench", temporary=True) as server:
        os.environ["DATABASE_URL"] = server.url
        raise SystemExit(main())
