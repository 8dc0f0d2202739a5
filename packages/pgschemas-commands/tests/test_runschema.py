"""runschema as the spec page writes it, plus argument splitting, output and failures."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pgschemas.commands.management.commands.runschema import Command as RunSchema
from pgschemas.core import ddl, get_current_schema
from pgschemas.core.schema import get_static_schema

pytestmark = pytest.mark.django_db


def run(*args: str, **options: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("runschema", *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def item_names() -> list[str]:
    from tests.tenant_app.models import Item

    return sorted(Item.objects.values_list("name", flat=True))


def test_help_shows_the_spec_usage() -> None:
    text = RunSchema().create_parser("manage.py", "runschema").format_help()
    for line in (
        "usage: manage.py runschema [-h] [--version] [-v {0,1,2,3}]",
        "Wrapper around django commands for use with an individual schema",
        "command_name          The command name you want to run",
        "--noinput, --no-input",
        "Tells Django to NOT prompt the user for input of any",
        "-s SCHEMA [SCHEMA ...], --schema SCHEMA [SCHEMA ...]",
        "Schema to execute the current command",
        "--executor {sequential,parallel}",
        "Executor to be used for running command on schemas",
        "--no-create-schemas   Skip automatic creation of non-existing schemas",
        "-x SCHEMA [SCHEMA ...], --exclude-schema SCHEMA [SCHEMA ...]",
        "-as, --all-schemas, --include-all-schemas",
        "-ts, --tenant-schemas, --include-tenant-schemas",
        "--parallel            Same as --executor parallel",
    ):
        assert line in text, line
    usage = text.split("\n\n")[0]
    for part in (
        "[--noinput]",
        "[-s SCHEMA [SCHEMA ...]]",
        "[-as]",
        "[-ts]",
        "[--executor {sequential,parallel}]",
        "[--no-create-schemas]",
        "command_name",
    ):
        assert part in usage


def test_spec_loaddata_on_the_clone_reference() -> None:
    # python manage.py runschema loaddata tenant_app.products -s sample
    out, _ = run("loaddata", "tenant_app.products", "-s", "sample")
    assert out == "Installed 2 object(s) from 1 fixture(s)\n"
    with get_static_schema("sample"):
        assert item_names() == ["chair", "table"]


def test_spec_shell_on_the_clone_reference() -> None:
    # python manage.py runschema shell -s sample
    out, _ = run(
        "shell",
        "-s",
        "sample",
        "-c",
        "from pgschemas.core import get_current_schema; print(get_current_schema().schema_name)",
    )
    assert out.endswith("\nsample\n")


def test_wrapped_arguments_keep_their_order_and_all_reach_the_command() -> None:
    out, _ = run("loaddata", "tenant_app.products", "more_products", "-s", "sample")
    assert "Installed 3 object(s) from 2 fixture(s)" in out
    with get_static_schema("sample"):
        assert item_names() == ["chair", "lamp", "table"]


def test_own_options_before_the_command_name() -> None:
    out, _ = run("-s", "sample", "--executor", "sequential", "loaddata", "more_products")
    assert out == "Installed 1 object(s) from 1 fixture(s)\n"


def test_flush_no_input_does_not_prompt(monkeypatch: Any) -> None:
    from tests.blog_app.models import Post

    with get_static_schema("www"):
        Post.objects.create(title="x")

    def no_prompt(*_: Any) -> str:
        raise AssertionError("flush prompted")

    monkeypatch.setattr("builtins.input", no_prompt)
    run("flush", "-s", "www", "--no-input")
    with get_static_schema("www"):
        assert not Post.objects.exists()


def test_double_dash_ends_runschema_options() -> None:
    # After --, "-s" belongs to the wrapped command (shell -c takes it as code here).
    out, _ = run("-s", "www", "--", "shell", "-c", "print('-s is mine')")
    assert out.endswith("\n-s is mine\n")


def test_options_of_the_wrapped_command_via_call_command() -> None:
    out, _ = run("dumpdata", "blog_app", "--indent=2", schemas=["www"])
    assert out == "[\n]\n"  # one schema: dumpdata's own output (no posts in www)


def test_unknown_command_suggests() -> None:
    with pytest.raises(CommandError, match="Did you mean: loaddata"):
        run("loaddat", "-s", "www")


def test_every_line_prefixed_and_summary(make_tenant: Any) -> None:
    make_tenant("acme")
    out, err = run("whereami", "-s", ":all:")
    lines = out.strip().splitlines()
    assert lines[:3] == [
        "[public] active=public static",
        "[public] printed in public",
        "[www] active=www static",
    ]
    assert "[acme] active=acme dynamic" in lines
    assert all(line.startswith("[") for line in lines)
    assert err == "whereami: succeeded on 5 of 5 schemas.\n"  # the summary is not data


def test_previous_schema_active_again(make_tenant: Any) -> None:
    tenant = make_tenant("acme")
    with tenant:
        run("whereami", "-s", ":all:")
        assert get_current_schema() is tenant
    assert get_current_schema().schema_name == "public"


def test_no_schema_with_noinput_fails() -> None:
    with pytest.raises(CommandError, match="No schema given and --noinput"):
        run("whereami", interactive=False)


def test_no_schema_without_terminal_fails() -> None:
    with pytest.raises(CommandError, match="stdin is not a terminal"):
        run("whereami")


def test_sequential_failure_goes_on_and_reports() -> None:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "runschema", "whereami", "-s", ":static:", "--fail-on", "www", stdout=out, stderr=err
        )
    assert str(info.value) == (
        "whereami: succeeded on 3 of 4 schemas; failed on 1: www.\n[www] refusing to run on www"
    )
    assert "[www] error: refusing to run on www" in err.getvalue()
    assert "[blog] active=blog static" in out.getvalue()  # after the failure, still run
    assert "[sample] active=sample static" in out.getvalue()


def test_sequential_fail_fast_skips_the_rest() -> None:
    out = StringIO()
    with pytest.raises(CommandError) as info:
        call_command(
            "runschema",
            "whereami",
            "-s",
            ":static:",
            "--fail-on",
            "www",
            "--fail-fast",
            stdout=out,
            stderr=StringIO(),
        )
    assert "failed on 1: www; skipped 2: blog, sample." in str(info.value)
    assert "[blog]" not in out.getvalue()


def test_missing_schema_is_created_empty(make_tenant: Any) -> None:
    make_tenant("gone")
    ddl.drop_schema("gone")
    out, err = run("whereami", "-s", "gone")
    assert "[gone] created missing schema 'gone' (empty)" in err
    assert out == "active=gone dynamic\nprinted in gone\n"
    assert ddl.schema_exists("gone")


def test_missing_schema_with_no_create_schemas_fails(make_tenant: Any) -> None:
    make_tenant("gone")
    ddl.drop_schema("gone")
    with pytest.raises(CommandError, match="failed on 1: gone"):
        run("whereami", "-s", "gone", "--no-create-schemas")
    assert not ddl.schema_exists("gone")


def test_read_only_command_creates_nothing(make_tenant: Any) -> None:
    make_tenant("gone")
    ddl.drop_schema("gone")
    with pytest.raises(CommandError, match="failed on 1: gone"):
        run("dumpdata", "-s", "gone")
    assert not ddl.schema_exists("gone")


def test_missing_clone_reference_is_never_created() -> None:
    ddl.drop_schema("sample")
    with pytest.raises(CommandError, match="failed on 1: sample"):
        run("whereami", "-s", "sample")
    assert not ddl.schema_exists("sample")
    # Through a wildcard it is skipped, not failed.
    _, err = run("whereami", "-s", ":static:")
    assert "skipped 1: sample" in err
    assert "run createrefschema first" in err
    assert not ddl.schema_exists("sample")
