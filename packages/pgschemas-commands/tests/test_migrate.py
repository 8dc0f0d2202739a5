"""migrate over schemas: defaults, fast path, options, failure isolation, lock, timeouts."""

from __future__ import annotations

import os
import threading
import time
from io import StringIO
from typing import Any

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from pgschemas.commands.migrating import _lock_key, set_local_timeouts
from pgschemas.core.migration.planning import applied_migrations

V2 = {"tenant_app": "tests.tenant_app.migrations_v2"}


def migrate(*args: str, **options: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("migrate", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def applied(schema_name: str, app: str = "tenant_app") -> set[str]:
    rows = applied_migrations([schema_name], "default")[schema_name] or set()
    return {name for label, name in rows if label == app}


@pytest.mark.django_db
def test_noop_migrate_skips_every_schema_with_a_constant_number_of_queries(
    make_tenant: Any,
) -> None:
    for n in range(3):
        make_tenant(f"noop{n}")
    with CaptureQueriesContext(connection) as few:
        _, err = migrate()
    assert err.strip().endswith("migrate: succeeded on 7 of 7 schemas.")
    for n in range(3, 13):
        make_tenant(f"noop{n}")
    with CaptureQueriesContext(connection) as more:
        out, _ = migrate("-v", "2")
    assert "[noop12] No migrations to apply." in out
    assert len(more.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 8, [q["sql"] for q in few.captured_queries]


@pytest.mark.django_db
def test_what_an_up_to_date_migrate_prints_at_each_verbosity(make_tenant: Any) -> None:
    """docs/commands.md, "What migrate prints": scripts grep "No migrations to apply"."""
    make_tenant("quiet1")
    make_tenant("quiet2")
    assert migrate(verbosity=0) == ("", "")
    # A domain selector is announced from -v 1 only.
    assert migrate("-s", "blog.example.com", verbosity=0) == ("", "")
    out, err = migrate()
    assert out == "No migrations to apply (6 schemas up to date).\n"
    assert err == "migrate: succeeded on 6 of 6 schemas.\n"
    out, _ = migrate("-s", "quiet1")  # one schema: Django's own line, unprefixed
    assert out == "No migrations to apply.\n"
    out, _ = migrate("-v", "2")
    assert "[quiet1] No migrations to apply.\n[quiet2] No migrations to apply." in out
    assert "schemas up to date" not in out
    with override_settings(MIGRATION_MODULES=V2):
        out, _ = migrate("-s", "quiet1", "-s", "quiet2")  # something to apply: Django's output
    # One line, although Django flushes "Applying ..." before it writes " OK".
    assert "\n[quiet1]   Applying tenant_app.0002_unique_name... OK\n" in out
    assert "No migrations to apply" not in out


@pytest.mark.django_db
def test_plan_check_and_fake_on_pending_schemas(make_tenant: Any) -> None:
    make_tenant("one")
    out, _ = migrate("--plan", "-s", "one", "-s", "www")
    assert "[www] No planned migration operations." in out
    assert "[one] No planned migration operations." in out
    with override_settings(MIGRATION_MODULES=V2):
        out, _ = migrate("--plan", "-s", "one")  # one schema: Django's output, unprefixed
        assert "\ntenant_app.0002_unique_name\n" in out
        assert "\n    Create constraint item_name_unique on model item\n" in out
        with pytest.raises(CommandError, match="failed on 1: one"):
            migrate("--check", "-s", ":dynamic:")
        assert "0002_unique_name" not in applied("one")
        migrate("--fake", "-s", "one")
        assert "0002_unique_name" in applied("one")
        migrate("--check", "-s", ":dynamic:")  # nothing pending now: succeeds


@pytest.mark.django_db
def test_app_label_and_migration_name_pass_through(make_tenant: Any) -> None:
    make_tenant("one")
    with override_settings(MIGRATION_MODULES=V2):
        migrate("tenant_app", "0002", "-s", "one")
        assert applied("one") == {"0001_initial", "0002_unique_name"}
        migrate("tenant_app", "0001", "-s", "one")
        assert applied("one") == {"0001_initial"}


@pytest.mark.django_db
def test_migrateschema_is_migrate(make_tenant: Any) -> None:
    make_tenant("one")
    err = StringIO()
    call_command("migrateschema", "-s", "one", "-v", "2", stdout=StringIO(), stderr=err)
    assert "migrate: succeeded on 1 of 1 schemas (one)." in err.getvalue()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("executor", ["sequential", "parallel"])
def test_failing_migration_in_one_of_50_tenants(committed_tenants: Any, executor: str) -> None:
    from tests.tenant_app.models import Item

    tenants = [committed_tenants(f"m{n:02d}") for n in range(50)]
    bad = tenants[17]
    with bad:
        Item.objects.create(name="twin")
        Item.objects.create(name="twin")
    with override_settings(MIGRATION_MODULES=V2):
        out, err = StringIO(), StringIO()
        with pytest.raises(CommandError) as info:
            call_command(
                "migrate", "-s", ":dynamic:", "--executor", executor, stdout=out, stderr=err
            )
    summary, reason = str(info.value).split("\n", 1)
    assert summary == "migrate: succeeded on 49 of 50 schemas; failed on 1: m17."
    assert reason.startswith("[m17] IntegrityError: ")
    assert "[m17] error: IntegrityError" in err.getvalue()
    for tenant in tenants:
        expected = {"0001_initial"} if tenant is bad else {"0001_initial", "0002_unique_name"}
        assert applied(tenant.schema_name) == expected, tenant.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
            " WHERE c.conname = 'item_name_unique'"
        )
        constrained = {row[0] for row in cursor.fetchall()}
    assert constrained == {t.schema_name for t in tenants} - {"m17"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("executor", ["sequential", "parallel"])
def test_project_states_are_rendered_once_per_run_not_once_per_schema(
    committed_tenants: Any, executor: str
) -> None:
    from pgschemas.commands.management.commands.migrate import Command

    tenants = [committed_tenants(f"r{n}") for n in range(6)]
    command = Command()
    with override_settings(MIGRATION_MODULES=V2, PGSCHEMAS_PARALLEL_MAX_PROCESSES=2):
        call_command(
            command, "-s", ":dynamic:", "--executor", executor, stdout=StringIO(), stderr=StringIO()
        )
    for tenant in tenants:
        assert applied(tenant.schema_name) == {"0001_initial", "0002_unique_name"}
    # The state before the plan and the state after it, once per worker thread.
    workers = 2 if executor == "parallel" else 1
    assert 2 <= command.state_cache.renders <= 2 * workers


def _raw_connection() -> psycopg.Connection[Any]:
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )


def _wait_until_a_lock_is_awaited(observer: psycopg.Connection[Any], run: threading.Thread) -> None:
    """Poll pg_locks until some backend waits for an advisory lock (or the run ended)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.is_alive():
        row = observer.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        ).fetchone()
        if row and row[0]:
            return
        time.sleep(0.05)
    raise AssertionError("migrate never waited for the schema's advisory lock")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic", [True, False], ids=["one-transaction", "per-migration"])
def test_advisory_lock_serialises_two_migrate_runs(committed_tenants: Any, atomic: bool) -> None:
    """A migrate that finds another run migrating the schema waits for it, then finds
    nothing left to do (it does not apply 0002 a second time: that would fail, the
    constraint exists)."""
    pool = os.environ.get("PGSCHEMAS_TEST_POOLER") and os.environ.get(
        "PGSCHEMAS_TEST_POOL_SIZE", "2"
    )
    if pool and int(pool) < 4:
        pytest.skip(
            "needs 4 server connections at once (a run holding the lock, the waiting run and "
            f"its lock holder, an observer); the test pooler's pool has {pool}"
        )
    committed_tenants("locked")
    first = _raw_connection()  # plays a first migrate run, holding the lock as ours does
    observer = _raw_connection()
    observer.autocommit = True
    first.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_key("locked")])
    out, errors = StringIO(), []

    def second_run() -> None:
        try:
            with override_settings(MIGRATION_MODULES=V2, PGSCHEMAS_MIGRATION_ATOMIC=atomic):
                call_command("migrate", "-s", "locked", "-v", "2", stdout=out, stderr=StringIO())
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=second_run)
    thread.start()
    try:
        _wait_until_a_lock_is_awaited(observer, thread)
        assert applied("locked") == {"0001_initial"}
        # The first run applies 0002 and commits, which releases its lock.
        first.execute(
            'ALTER TABLE "locked"."tenant_app_item" '
            'ADD CONSTRAINT "item_name_unique" UNIQUE ("name")'
        )
        first.execute(
            'INSERT INTO "locked"."django_migrations" (app, name, applied) '
            "VALUES ('tenant_app', '0002_unique_name', now())"
        )
        first.commit()
    finally:
        first.close()
    thread.join(60)
    observer.close()
    assert not thread.is_alive() and not errors, errors
    assert "No migrations to apply." in out.getvalue(), out.getvalue()
    assert "Applying tenant_app.0002" not in out.getvalue()
    assert applied("locked") == {"0001_initial", "0002_unique_name"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("atomic", [True, False], ids=["one-transaction", "per-migration"])
def test_migrate_leaves_no_session_state(committed_tenants: Any, atomic: bool) -> None:
    """Behind a transaction pooler nothing may outlive a transaction: after migrating, the
    connection holds no advisory lock and has its own timeouts back."""
    committed_tenants("stateless")
    with override_settings(
        MIGRATION_MODULES=V2,
        PGSCHEMAS_MIGRATION_ATOMIC=atomic,
        PGSCHEMAS_MIGRATION_LOCK_TIMEOUT="3s",
        PGSCHEMAS_MIGRATION_STATEMENT_TIMEOUT=60000,
    ):
        migrate("-s", "stateless")
    assert applied("stateless") == {"0001_initial", "0002_unique_name"}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"


@pytest.mark.django_db(transaction=True)
def test_plan_with_a_non_atomic_migration(committed_tenants: Any) -> None:
    """CREATE INDEX CONCURRENTLY cannot run in a transaction: the plan runs migration by
    migration, the atomic one with the timeouts SET LOCAL, the non-atomic one without."""
    committed_tenants("concurrent")
    with override_settings(
        MIGRATION_MODULES={"tenant_app": "tests.tenant_app.migrations_v3"},
        PGSCHEMAS_MIGRATION_LOCK_TIMEOUT="3s",
    ):
        migrate("-s", "concurrent")
    assert applied("concurrent") == {
        "0001_initial",
        "0002_check_timeouts",
        "0003_outside_transaction",
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = %s AND indexname = %s",
            ["concurrent", "item_name_idx"],
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)
def test_migration_timeouts_last_one_transaction() -> None:
    def show(name: str) -> str:
        with connection.cursor() as cursor:
            cursor.execute(f"SHOW {name}")
            return str(cursor.fetchone()[0])

    with override_settings(
        PGSCHEMAS_MIGRATION_LOCK_TIMEOUT="3s", PGSCHEMAS_MIGRATION_STATEMENT_TIMEOUT=60000
    ):
        with transaction.atomic():
            set_local_timeouts(connection)
            assert show("lock_timeout") == "3s"
            assert show("statement_timeout") == "1min"
        assert show("lock_timeout") == "0"
        assert show("statement_timeout") == "0"
        with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
            set_local_timeouts(connection)


def test_check_refuses_a_migrate_that_would_win() -> None:
    from django.conf import settings

    from pgschemas.commands.checks import check_migrate_command

    assert check_migrate_command() == []
    apps = list(settings.INSTALLED_APPS)
    with override_settings(INSTALLED_APPS=["tests.othermigrate", *apps]):
        errors = check_migrate_command()
    assert [e.id for e in errors] == ["pgschemas_commands.E001"]
    assert "tests.othermigrate" in errors[0].msg and "Move 'pgschemas.commands' above" in (
        errors[0].hint
    )
    with override_settings(INSTALLED_APPS=[*apps, "tests.othermigrate"]):
        assert check_migrate_command() == []
