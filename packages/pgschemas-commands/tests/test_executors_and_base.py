"""Parallel executor, tenant command base classes, prompts and the progress bar."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

import pgschemas.commands as package
from pgschemas.commands.executors import max_workers

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0])


def backends_settle_at(expected: int) -> int:
    """The backend count once it reaches ``expected`` (or after 5 s): a server backend
    leaves pg_stat_activity a moment after its client closed the connection."""
    deadline = time.monotonic() + 5
    count = backends()
    while count != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        count = backends()
    return count


@pytest.mark.django_db(transaction=True)
def test_parallel_prefixes_every_line_and_closes_connections(committed_tenants: Any) -> None:
    for n in range(6):
        committed_tenants(f"p{n}")
    before = backends()
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "runschema",
            "whereami",
            "-s",
            ":dynamic:",
            "--executor",
            "parallel",
            "--fail-on",
            "p2",
            stdout=out,
            stderr=err,
        )
    assert str(info.value) == (
        "whereami: succeeded on 5 of 6 schemas; failed on 1: p2.\n[p2] refusing to run on p2"
    )
    lines = out.getvalue().splitlines()
    for n in (0, 1, 3, 4, 5):  # the others all ran, failure or not
        assert f"[p{n}] active=p{n} dynamic" in lines
        assert f"[p{n}] printed in p{n}" in lines
    assert all(line.startswith("[p") for line in lines)
    assert "[p2] error: refusing to run on p2" in err.getvalue()
    assert backends_settle_at(before) == before  # every worker closed its connection


@pytest.mark.django_db(transaction=True)
def test_parallel_fail_fast_starts_no_new_schema(committed_tenants: Any, settings: Any) -> None:
    settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = 1
    for n in range(4):
        committed_tenants(f"f{n}")
    with pytest.raises(CommandError) as info:
        call_command(
            "runschema",
            "whereami",
            "-s",
            ":dynamic:",
            "--parallel",
            "--fail-fast",
            "--fail-on",
            "f1",
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert "failed on 1: f1; skipped 2: f2, f3." in str(info.value)


def test_max_workers_settings(settings: Any) -> None:
    settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = None
    assert max_workers() == (os.cpu_count() or 1)
    # django-pgschemas 1.x's name is the compatibility layer's to read, not this package's.
    settings.PGSCHEMAS_PARALLEL_MAX_THREADS = 3
    assert max_workers() == (os.cpu_count() or 1)
    settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = 2
    assert max_workers() == 2
    settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = 0
    with pytest.raises(Exception, match="PGSCHEMAS_PARALLEL_MAX_PROCESSES must be a positive"):
        max_workers()


def test_base_classes_importable_from_the_package() -> None:
    from pgschemas.commands.base import TenantCommand

    assert package.TenantCommand is TenantCommand
    # django-pgschemas' names live in the compatibility layer (django_pgschemas), not here.
    assert not hasattr(package, "SchemaCommand")
    assert issubclass(package.StaticTenantCommand, TenantCommand)
    assert issubclass(package.DynamicTenantCommand, TenantCommand)
    assert issubclass(package.TenantCommand, package.WrappedSchemaOption)


@pytest.mark.django_db
def test_tenant_command_runs_on_each_schema_with_every_option(make_tenant: Any) -> None:
    from tests.tenant_app.models import Item

    acme = make_tenant("acme", name="Acme")
    make_tenant("zen")
    with acme:
        Item.objects.create(name="x")
    out, err = StringIO(), StringIO()
    call_command("countitems", "-s", ":dynamic:", "-x", "zen", stdout=out, stderr=err)
    # One schema selected: the command's own output, as it would print it in that schema.
    assert out.getvalue() == "Acme: 1 items\n"
    assert err.getvalue() == ""


@pytest.mark.django_db
def test_static_and_dynamic_commands_refuse_the_other_kind(make_tenant: Any) -> None:
    make_tenant("acme")
    out = StringIO()
    call_command("staticonly", "-s", ":all:", stdout=out)
    assert [line for line in out.getvalue().splitlines() if line.startswith("[")] == [
        "[public] static public",
        "[www] static www",
        "[blog] static blog",
        "[sample] static sample",
    ]
    with pytest.raises(CommandError, match="static schemas only"):
        call_command("staticonly", "-s", "acme", stdout=StringIO())
    with pytest.raises(CommandError, match="dynamic tenants only"):
        call_command("countitems", "-s", "www", stdout=StringIO())


@pytest.mark.django_db
def test_tenant_command_without_handle_tenant_fails_naming_the_method() -> None:
    with pytest.raises(CommandError, match=r"must override handle_tenant\(self, tenant"):
        call_command("nohandler", "-s", "www", stdout=StringIO(), stderr=StringIO())


def _pty_run(
    args: list[str], answer: str | None, env: dict[str, str], prompt: bytes = b"Enter schema"
) -> str:
    """Run manage.py-like command with stdin/stdout/stderr on a pseudo-terminal; type
    ``answer`` once ``prompt`` has been shown."""
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "django", *args],
        stdin=secondary,
        stdout=secondary,
        stderr=secondary,
        cwd=PACKAGE_DIR,
        env=env,
        close_fds=True,
    )
    os.close(secondary)
    output = b""
    deadline = time.monotonic() + 60
    answered = answer is None
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(primary, 4096)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
            if not answered and prompt in output:
                os.write(primary, answer.encode() + b"\n")  # type: ignore[union-attr]
                answered = True
        elif proc.poll() is not None:
            break
    proc.wait(10)
    os.close(primary)
    return output.decode(errors="replace").replace("\r\n", "\n")


def _env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(PACKAGE_DIR),
        "PGSCHEMAS_TEST_DB_NAME": connection.settings_dict["NAME"],
    }


@pytest.mark.django_db(transaction=True)
def test_prompt_on_a_terminal_shows_choices_and_runs_the_answer() -> None:
    output = _pty_run(["runschema", "showmigrations", "blog_app", "--no-color"], "www", _env())
    assert "Choices: :all:, :static:, :dynamic:, :tenants:, public, www, blog, sample" in output
    assert "\nblog_app\n [X] 0001_initial\n" in output


@pytest.mark.django_db(transaction=True)
def test_progress_bar_on_a_terminal_plain_lines_otherwise() -> None:
    on_tty = _pty_run(["runschema", "whereami", "-s", ":static:"], None, _env())
    assert "4/4 schemas" in on_tty and "[####" in on_tty
    piped = subprocess.run(
        [sys.executable, "-m", "django", "runschema", "whereami", "-s", ":static:"],
        cwd=PACKAGE_DIR,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "schemas\x1b" not in piped.stderr and "[####" not in piped.stderr
    assert "[www] active=www static" in piped.stdout


def test_a_flushed_partial_line_waits_for_its_end_unless_on_a_terminal() -> None:
    """Django's migrate flushes "Applying x..." before " OK": one line in logs."""
    from io import StringIO

    from pgschemas.commands.output import PrefixedStream

    class Terminal(StringIO):
        def isatty(self) -> bool:
            return True

    for target, expected in (
        (StringIO(), "[acme]   Applying x... OK\n[acme] tail\n"),
        (Terminal(), "[acme]   Applying x...\n[acme]  OK\n[acme] tail\n"),
    ):
        stream = PrefixedStream(target, "acme")
        stream.write("  Applying x...")
        stream.flush()
        stream.write(" OK\n")
        stream.write("tail")
        stream.close()  # the end of a schema's run writes its last partial line
        assert target.getvalue() == expected
