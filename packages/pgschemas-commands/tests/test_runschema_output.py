"""runschema's output contract and pass-through, as users moving a project onto it hit them:
``runschema dumpdata -s acme > acme.json`` must be loadable, ``dbshell`` must open in the
tenant, and ``call_command`` must take the wrapped command's options."""

from __future__ import annotations

import contextlib
import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from pgschemas_devtools.pgbouncer import django_connections_through

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def item_names() -> list[str]:
    from tests.tenant_app.models import Item

    return sorted(Item.objects.values_list("name", flat=True))


def add_items(tenant: Any, *names: str) -> None:
    from tests.tenant_app.models import Item

    with tenant:
        for name in names:
            Item.objects.create(name=name)


def direct(tenant: Any, *args: str, **options: Any) -> str:
    """What the command prints when run in ``tenant`` directly, without runschema."""
    out = StringIO()
    with tenant:
        call_command(*args, stdout=out, **options)
    return out.getvalue()


def runschema(*args: str, **options: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("runschema", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def env() -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(PACKAGE_DIR),
        "PGSCHEMAS_TEST_DB_NAME": connection.settings_dict["NAME"],
    }


def manage(*args: str, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "django", *args],
        cwd=PACKAGE_DIR,
        env={**env(), **(extra_env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


# -- one schema: stdout is exactly the command's ------------------------------------------


@pytest.mark.django_db
def test_dumpdata_for_one_schema_is_what_dumpdata_prints_and_loaddata_reads_it(
    make_tenant: Any, tmp_path: Path
) -> None:
    t1 = make_tenant("t1")
    add_items(t1, "chair", "table")
    out, err = runschema("dumpdata", "tenant_app", "-s", "t1")
    assert out == direct(t1, "dumpdata", "tenant_app")
    assert err == ""  # nothing else, not even a summary, for one schema
    # `runschema dumpdata -s t1 > t1.json`, then load it into another tenant.
    dump = tmp_path / "t1.json"
    dump.write_text(out)
    t2 = make_tenant("t2")
    runschema("loaddata", str(dump), "-s", "t2")
    with t2:
        assert item_names() == ["chair", "table"]


@pytest.mark.django_db
def test_sql_commands_for_one_schema_print_only_sql(make_tenant: Any) -> None:
    t1 = make_tenant("t1")
    out, err = runschema("sqlmigrate", "tenant_app", "0001", "-s", "t1")
    assert out == direct(t1, "sqlmigrate", "tenant_app", "0001")
    assert out.startswith("BEGIN;") and err == ""
    out, _ = runschema("inspectdb", "tenant_app_item", "-s", "t1")
    assert out == direct(t1, "inspectdb", "tenant_app_item")
    assert "class TenantAppItem(models.Model):" in out


@pytest.mark.django_db(transaction=True)
def test_dumpdata_redirected_to_a_file_from_the_command_line(
    committed_tenants: Any, tmp_path: Path
) -> None:
    acme = committed_tenants("acme")
    add_items(acme, "chair", "table")
    dumped = manage("runschema", "dumpdata", "tenant_app", "-s", "acme")
    assert dumped.returncode == 0, dumped.stderr
    assert dumped.stdout == direct(acme, "dumpdata", "tenant_app")
    assert dumped.stderr == ""
    (tmp_path / "acme.json").write_text(dumped.stdout)
    other = committed_tenants("other")
    loaded = manage("runschema", "loaddata", str(tmp_path / "acme.json"), "-s", "other")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout == "Installed 2 object(s) from 1 fixture(s)\n"
    with other:
        assert item_names() == ["chair", "table"]


@pytest.mark.django_db(transaction=True)
def test_schema_prompt_stays_out_of_redirected_stdout(tmp_path: Path) -> None:
    # `runschema dumpdata blog_app > www.json` typed without -s, answered on the terminal.
    primary, secondary = pty.openpty()
    with (tmp_path / "www.json").open("w") as data:
        proc = subprocess.Popen(
            [sys.executable, "-m", "django", "runschema", "dumpdata", "blog_app"],
            stdin=secondary,
            stdout=data,
            stderr=secondary,
            cwd=PACKAGE_DIR,
            env=env(),
            close_fds=True,
        )
        os.close(secondary)
        terminal = b""
        deadline = time.monotonic() + 60
        while b"Enter schema" not in terminal and time.monotonic() < deadline:
            if select.select([primary], [], [], 0.5)[0]:
                terminal += os.read(primary, 4096)
        os.write(primary, b"www\n")
        assert proc.wait(60) == 0
    os.close(primary)
    assert b"Choices: :all:, :static:, :dynamic:, :tenants:, public, www" in terminal
    assert json.loads((tmp_path / "www.json").read_text()) == []


# -- several schemas: prefixed lines, summary on stderr -----------------------------------


@pytest.mark.django_db
def test_several_schemas_prefix_every_line_and_summarise_on_stderr(make_tenant: Any) -> None:
    add_items(make_tenant("t1"), "chair")
    add_items(make_tenant("t2"), "lamp")
    out, err = runschema("dumpdata", "tenant_app", "-s", ":dynamic:")
    lines = out.splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["[t1]", "[t2]"]
    assert json.loads(lines[0].removeprefix("[t1] "))[0]["fields"] == {"name": "chair"}
    assert json.loads(lines[1].removeprefix("[t2] "))[0]["fields"] == {"name": "lamp"}
    assert err == "dumpdata: succeeded on 2 of 2 schemas.\n"
    # -v 0: no summary at all.
    _, quiet = runschema("dumpdata", "tenant_app", "-s", ":dynamic:", "-v", "0")
    assert quiet == ""


# -- call_command: the wrapped command's keyword options ----------------------------------


@pytest.mark.django_db
def test_call_command_passes_the_wrapped_commands_options(make_tenant: Any) -> None:
    t1 = make_tenant("t1")
    add_items(t1, "chair")
    expected = direct(t1, "dumpdata", "tenant_app", indent=2)
    assert expected.startswith("[\n{\n  ")
    for selector in ({"schemas": ["t1"]}, {"schema": ["t1"]}, {"schemas": "t1"}):
        out, _ = runschema("dumpdata", "tenant_app", indent=2, **selector)
        assert out == expected, selector
    # An option spelled as on the command line (--natural-foreign) or by its dest.
    out, _ = runschema("dumpdata", "tenant_app", schemas=["t1"], natural_foreign=True)
    assert out == direct(t1, "dumpdata", "tenant_app", use_natural_foreign_keys=True)


@pytest.mark.django_db
def test_call_command_still_rejects_options_nobody_has(make_tenant: Any) -> None:
    make_tenant("t1")
    with pytest.raises(TypeError, match="Unknown option\\(s\\) for runschema command: indnet"):
        runschema("dumpdata", "tenant_app", schemas=["t1"], indnet=2)


# -- dbshell: psql in the tenant's search path --------------------------------------------

PSQL = shutil.which("psql")


BEHIND_POOLER = bool(os.environ.get("PGSCHEMAS_TEST_POOLER"))


@pytest.mark.skipif(PSQL is None, reason="psql (postgresql-client) is not installed")
@pytest.mark.skipif(BEHIND_POOLER, reason="a pooler drops PGOPTIONS: see the refusal test")
@pytest.mark.django_db(transaction=True)
def test_dbshell_opens_in_the_tenants_search_path(committed_tenants: Any) -> None:
    committed_tenants("acme")
    query = "SELECT current_schema() || ' ' || current_setting('work_mem')"
    shell = manage(
        "runschema",
        "dbshell",
        "-s",
        "acme",
        "--",
        "-At",
        "-c",
        query,
        extra_env={"PGOPTIONS": "-c work_mem=7MB"},  # the user's options are kept
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout == "acme 7MB\n"
    path = manage("runschema", "dbshell", "-s", "www", "--", "-At", "-c", "SHOW search_path")
    assert path.stdout == '"www", "public"\n', path.stderr
    public = manage("runschema", "dbshell", "-s", "public", "--", "-At", "-c", query)
    assert public.stdout.startswith("public "), public.stderr


@pytest.mark.skipif(PSQL is None, reason="psql (postgresql-client) is not installed")
@pytest.mark.django_db(transaction=True)
def test_dbshell_behind_pgbouncer_refuses_instead_of_opening_in_public(
    committed_tenants: Any, request: pytest.FixtureRequest
) -> None:
    # PgBouncer drops PGOPTIONS: psql would open in public, so dbshell stops and says why.
    committed_tenants("acme")
    with contextlib.ExitStack() as stack:
        if not BEHIND_POOLER:  # the pooler run already goes through one
            stack.enter_context(django_connections_through(request.getfixturevalue("pgbouncer")))
        shell = manage("runschema", "dbshell", "-s", "acme", "--", "-At", "-c", "SELECT 1")
    assert shell.returncode != 0
    assert shell.stdout == ""  # psql never ran
    assert 'dbshell would not open in \'acme\' ("acme", "public") but in search' in shell.stderr
    assert "ignored the options passed in PGOPTIONS" in shell.stderr
    assert "Traceback" not in shell.stderr


@pytest.mark.skipif(PSQL is None, reason="psql (postgresql-client) is not installed")
@pytest.mark.skipif(BEHIND_POOLER, reason="the pooler run's PgBouncer drops PGOPTIONS")
@pytest.mark.django_db(transaction=True)
def test_dbshell_behind_a_default_pgbouncer_says_why_psql_cannot_connect(
    committed_tenants: Any,
) -> None:
    # PgBouncer's default configuration refuses the `options` startup parameter outright.
    from pgschemas_devtools.pgbouncer import PgBouncerUnavailable, find_pgbouncer, start_pgbouncer

    try:
        find_pgbouncer()
    except PgBouncerUnavailable as error:
        pytest.skip(str(error))
    committed_tenants("acme")
    with (
        start_pgbouncer(os.environ["DATABASE_URL"], ignore_startup_parameters="") as strict,
        django_connections_through(strict),
    ):
        shell = manage("runschema", "dbshell", "-s", "acme", "--", "-At", "-c", "SELECT 1")
    assert shell.returncode != 0
    assert shell.stdout == ""
    assert "dbshell cannot open in 'acme'" in shell.stderr, shell.stderr
    assert "refused the options passed in PGOPTIONS" in shell.stderr
    assert "unsupported startup parameter" in shell.stderr
    assert "Traceback" not in shell.stderr


@pytest.mark.skipif(PSQL is None, reason="psql (postgresql-client) is not installed")
@pytest.mark.skipif(BEHIND_POOLER, reason="a pooler drops PGOPTIONS: see the refusal test")
@pytest.mark.django_db(transaction=True)
def test_dbshell_drop_table_qualified_as_the_migration_guide_says(committed_tenants: Any) -> None:
    # docs/migrating-from-django-tenants.md, step 4: drop a leftover table with its schema.
    committed_tenants("acme")
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE acme.django_leftover (id int)")
        cursor.execute("CREATE TABLE public.django_leftover (id int)")
    try:
        drop = manage(
            "runschema", "dbshell", "-s", "acme", "--", "-c", "DROP TABLE acme.django_leftover"
        )
        assert drop.returncode == 0, drop.stderr
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT table_schema FROM information_schema.tables "
                "WHERE table_name = 'django_leftover'"
            )
            assert [row[0] for row in cursor.fetchall()] == ["public"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS acme.django_leftover, public.django_leftover")
