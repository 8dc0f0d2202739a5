"""createrefschema and cloneschema, run as a user runs them."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command

from pgschemas.clone.reference import reference_status

from .helpers import one, q, relations, run, schema_exists

pytestmark = pytest.mark.django_db


def call(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def test_createrefschema_keeps_loaded_data_and_recreate_drops_it():
    run(q("INSERT INTO {} (name) VALUES ('loaded')", ("sample", "tenant_app_category")))
    output = call("createrefschema")
    assert "Reference schema 'sample' is ready (0 migration(s) applied" in output
    assert one(
        q("SELECT count(*) FROM {} WHERE name = 'loaded'", ("sample", "tenant_app_category"))
    )

    output = call("createrefschema", "--recreate")
    assert "Replaced schema 'sample': the previous one was dropped with its data." in output
    assert "is ready (" in output
    assert not one(
        q("SELECT count(*) FROM {} WHERE name = 'loaded'", ("sample", "tenant_app_category"))
    )
    assert reference_status().ready


def test_createrefschema_creates_a_missing_reference():
    run(q("DROP SCHEMA {} CASCADE", "sample"))
    assert not reference_status().exists
    output = call("createrefschema")
    assert "Reference schema 'sample' is ready (" in output
    assert reference_status().ready
    assert one(q("SELECT count(*) FROM {}", ("sample", "ticket"))) == 2


def test_createrefschema_without_a_reference_configured(settings):
    settings.TENANTS = {
        "public": settings.TENANTS["public"],
        "default": {k: v for k, v in settings.TENANTS["default"].items() if k != "CLONE_REFERENCE"},
    }
    with pytest.raises(CommandError, match='set TENANTS\\["default"\\]\\["CLONE_REFERENCE"\\]'):
        call("createrefschema")


def test_cloneschema_dry_run_prints_sql_and_changes_nothing(name):
    dst = name("dry")
    output = call("cloneschema", "sample", dst, "--dry-run", "--noinput")
    assert f'CREATE SCHEMA "{dst}";' in output
    assert f'CREATE TYPE "{dst}"."mood" AS ENUM' in output
    assert f'INSERT INTO "{dst}"."ticket"' in output
    assert "nothing was changed" in output
    assert not schema_exists(dst)


@pytest.mark.skipif(shutil.which("psql") is None, reason="psql (postgresql-client) is missing")
@pytest.mark.django_db(transaction=True)
def test_cloneschema_dry_run_sql_replays_in_psql_as_the_clone(name):
    # What --dry-run prints is SQL a user may feed to psql: it must build the same schema.
    from django.db import connection

    dst = name("replayed")
    output = call("cloneschema", "sample", dst, "--dry-run", "--noinput")
    args, env = connection.client.settings_to_cmd_args_env(
        connection.settings_dict, ["-X", "-q", "-v", "ON_ERROR_STOP=1"]
    )
    try:
        replay = subprocess.run(
            args,
            input=output,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert replay.returncode == 0, replay.stderr[-2000:]
        assert relations(dst) == relations("sample")
    finally:
        run(q("DROP SCHEMA IF EXISTS {} CASCADE", dst))


def test_cloneschema_noinput_only_clones(name):
    from tests.shared_app.models import Tenant

    dst = name("plain")
    output = call("cloneschema", "sample", dst, "--noinput")
    assert f"Cloned 'sample' into '{dst}'" in output
    assert schema_exists(dst)
    assert not Tenant.objects.filter(schema_name=dst).exists()


def test_cloneschema_creates_tenant_and_domain_from_flags(name):
    from tests.shared_app.models import Domain, Tenant

    dst = name("acme")
    call(
        "cloneschema",
        "sample",
        dst,
        "--noinput",
        "--tenant-field",
        "name=Acme",
        "--domain-field",
        "domain=acme.test",
    )
    tenant = Tenant.objects.get(schema_name=dst)
    assert tenant.name == "Acme"
    assert Domain.objects.get(tenant=tenant).domain == "acme.test"
    assert one(q("SELECT count(*) FROM {}", (dst, "ticket"))) == 2


class Terminal(io.StringIO):
    """Standard input as a terminal (the answers themselves come from ``input``)."""

    def isatty(self) -> bool:
        return True


def test_cloneschema_interactive(name, monkeypatch):
    from tests.shared_app.models import Domain, Tenant

    dst = name("asked")
    answers = iter(["y", "y", "asked.test"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin", Terminal())
    call("cloneschema", "sample", dst)
    tenant = Tenant.objects.get(schema_name=dst)
    assert Domain.objects.get(tenant=tenant).domain == "asked.test"


def test_cloneschema_asks_about_a_tenant_row_only_when_it_can(name, monkeypatch):
    from tests.shared_app.models import Tenant

    def no_questions(prompt=""):
        raise AssertionError(f"asked {prompt!r}")

    monkeypatch.setattr("builtins.input", no_questions)
    # Without a terminal: nothing is asked, the schema is cloned, no row is made.
    dst = name("quiet")
    err = io.StringIO()
    call_command("cloneschema", "sample", dst, stdout=io.StringIO(), stderr=err)
    assert schema_exists(dst)
    assert not Tenant.objects.filter(schema_name=dst).exists()
    assert "stdin is not a terminal (pass --create-tenant to create one)" in err.getvalue()
    # On a terminal, but a row with the destination's name exists: not asked either.
    monkeypatch.setattr("sys.stdin", Terminal())
    taken = name("taken")
    call("cloneschema", "sample", taken, "--create-tenant", "--noinput")
    run(q("DROP SCHEMA {} CASCADE", (taken,)))
    err = io.StringIO()
    call_command("cloneschema", "sample", taken, stdout=io.StringIO(), stderr=err)
    assert "a tenant row with this schema name already exists" in err.getvalue()
    # Asked for explicitly, it is refused before anything is cloned.
    run(q("DROP SCHEMA {} CASCADE", (taken,)))
    with pytest.raises(CommandError, match=f"Cannot create a tenant row for '{taken}': a tenant"):
        call("cloneschema", "sample", taken, "--create-tenant", "--noinput")
    assert not schema_exists(taken)
    with pytest.raises(CommandError, match="belongs to a static tenant or the clone reference"):
        call("cloneschema", "sample", "sample", "--create-tenant", "--noinput")


def test_cloneschema_errors_name_the_problem(name):
    existing = name("exists")
    call("cloneschema", "sample", existing, "--noinput")
    with pytest.raises(CommandError, match=f"'{existing}': it already exists"):
        call("cloneschema", "sample", existing, "--noinput")
    with pytest.raises(CommandError, match="'missing': it does not exist"):
        call("cloneschema", "missing", name("x"), "--noinput")
    with pytest.raises(CommandError, match="Invalid schema name 'Bad'"):
        call("cloneschema", "sample", "Bad", "--noinput")
    with pytest.raises(CommandError, match="use NAME=VALUE"):
        call("cloneschema", "sample", name("x"), "--tenant-field", "oops", "--noinput")
    dst = name("rows")
    with pytest.raises(CommandError, match="the destination"):
        call("cloneschema", "sample", dst, "--tenant-field", "schema_name=x", "--noinput")
    with pytest.raises(CommandError, match="Tenant has no field 'nope'"):
        call("cloneschema", "sample", dst, "--tenant-field", "nope=1", "--noinput")
    with pytest.raises(CommandError, match="Invalid tenant or domain"):
        # A domain without its required field: the clone is rolled back with the rows.
        call("cloneschema", "sample", dst, "--domain-field", "folder=x", "--noinput")
    assert not schema_exists(dst)
