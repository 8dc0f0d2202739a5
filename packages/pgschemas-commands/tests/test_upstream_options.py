"""django-pgschemas 1.x's schema options, beside the spec's spelling.

``-s A B``, ``-x A B``, ``-as``/``-ss``/``-ds``/``-ts`` (also ``--include-*-schemas``),
``--parallel`` and ``--no-create-schemas`` on the command line, and their option names
(``schemas``, ``excluded_schemas``, ``all_schemas``, ``static_schemas``, ``dynamic_schemas``,
``tenant_schemas``, ``parallel``, ``skip_schema_creation``) through ``call_command``.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pgschemas.commands.management.commands.runschema import Command as RunSchema
from pgschemas.core import ddl

pytestmark = pytest.mark.django_db

STATIC = ["public", "www", "blog", "sample"]


@pytest.fixture
def tenants(make_tenant: Any) -> list[str]:
    for name in ("acme", "zeta"):
        make_tenant(name)
    return ["acme", "zeta"]


def whowill(*args: str, **options: Any) -> list[str]:
    out = StringIO()
    call_command("whowill", *args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue().split()


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["-as"], [*STATIC, "acme", "zeta"]),
        (["--all-schemas"], [*STATIC, "acme", "zeta"]),
        (["--include-all-schemas"], [*STATIC, "acme", "zeta"]),
        (["-ss"], STATIC),
        (["--include-static-schemas"], STATIC),
        (["-ds"], ["acme", "zeta"]),
        (["--dynamic-schemas"], ["acme", "zeta"]),
        (["-ts"], ["sample", "acme", "zeta"]),
        (["--include-tenant-schemas"], ["sample", "acme", "zeta"]),
        (["-s", "www", "acme"], ["www", "acme"]),
        (["-s", "www", "-s", "acme"], ["www", "acme"]),
        (["-as", "-x", "public", "sample", "acme"], ["www", "blog", "zeta"]),
        (["-ds", "-s", "www"], ["www", "acme", "zeta"]),
    ],
)
def test_flags_on_the_command_line(
    tenants: list[str], flags: list[str], expected: list[str]
) -> None:
    assert whowill(*flags) == expected


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"all_schemas": True}, [*STATIC, "acme", "zeta"]),
        ({"static_schemas": True}, STATIC),
        ({"dynamic_schemas": True}, ["acme", "zeta"]),
        ({"tenant_schemas": True}, ["sample", "acme", "zeta"]),
        ({"schemas": ["www", "acme"]}, ["www", "acme"]),
        (
            {"all_schemas": True, "excluded_schemas": ["public", "zeta"]},
            ["www", "blog", "sample", "acme"],
        ),
    ],
)
def test_option_names_through_call_command(
    tenants: list[str], options: dict[str, Any], expected: list[str]
) -> None:
    assert whowill(**options) == expected


def test_runschema_parses_several_values_after_the_command_name(tenants: list[str]) -> None:
    parser = RunSchema().create_parser("manage.py", "runschema")
    parsed = parser.parse_args(
        ["whereami", "-s", "www", "acme", "-x", "acme", "zeta", "--parallel"]
    )
    assert parsed.command_name == "whereami"
    assert parsed.schemas == ["www", "acme"]
    assert parsed.excluded_schemas == ["acme", "zeta"]
    assert parsed.parallel is True and parsed.command_args == []
    # Before the command name, -s takes one value (the spec's "runschema -s www shell").
    parsed = parser.parse_args(["-s", "www", "shell", "-c", "pass"])
    assert (parsed.schemas, parsed.command_name, parsed.command_args) == (
        ["www"],
        "shell",
        ["-c", "pass"],
    )
    parsed = parser.parse_args(["-ts", "--no-create-schemas", "flush", "--noinput"])
    assert parsed.tenant_schemas and parsed.skip_schema_creation and not parsed.interactive


def test_double_dash_ends_several_schema_values(tenants: list[str]) -> None:
    """After the command name ``-s A B`` reads up to the next option or ``--``; the ``--``
    goes on to the wrapped command, whose parser takes what follows as positionals."""
    parser = RunSchema().create_parser("manage.py", "runschema")
    parsed = parser.parse_args(["dumpdata", "-s", "www", "blog", "--", "blog_app"])
    assert parsed.schemas == ["www", "blog"]
    assert parsed.command_args == ["--", "blog_app"]
    out = StringIO()
    argv = ["dumpdata", "-s", "www", "blog", "--", "blog_app"]
    call_command("runschema", *argv, stdout=out, stderr=StringIO())
    assert out.getvalue().splitlines() == ["[www] []", "[blog] []"]
    # Without the --, the app label would be read as a third selector.
    with pytest.raises(CommandError, match="No schema matches 'blog_app'"):
        call_command("runschema", "dumpdata", "-s", "www", "blog_app", stdout=StringIO())
    # -s right before -- (or at the end) has no value: said so, not read as the command name.
    for argv in (["dbshell", "-s", "--", "-c", "SELECT 1"], ["flush", "-s"]):
        with pytest.raises(CommandError, match="-s: expected at least one schema"):
            parser.parse_args(argv)


def test_runschema_with_upstream_options(tenants: list[str]) -> None:
    out = StringIO()
    call_command("runschema", "whereami", "-s", "www", "acme", "--parallel", stdout=out)
    lines = out.getvalue().splitlines()
    assert "[www] active=www static" in lines and "[acme] active=acme dynamic" in lines
    out = StringIO()
    call_command(
        "runschema",
        "whereami",
        dynamic_schemas=True,
        excluded_schemas=["zeta"],
        parallel=True,
        stdout=out,
    )
    # -ds minus zeta is one schema: its output unprefixed ("several" counts after -x).
    assert out.getvalue().splitlines() == ["active=acme dynamic", "printed in acme"]


def test_skip_schema_creation_under_both_names(tenants: list[str]) -> None:
    ddl.drop_schema("zeta")
    for options in ({"skip_schema_creation": True}, {"no_create_schemas": True}):
        with pytest.raises(CommandError, match="failed on 1: zeta"):
            call_command(
                "runschema",
                "whereami",
                schemas=["zeta"],
                stdout=StringIO(),
                stderr=StringIO(),
                **options,
            )
        assert not ddl.schema_exists("zeta")


def test_tenant_command_takes_the_upstream_options(tenants: list[str]) -> None:
    out = StringIO()
    call_command("whereami", "-ds", "-x", "zeta", stdout=out)
    assert out.getvalue().splitlines() == ["active=acme dynamic", "printed in acme"]


def test_wildcard_flags_outside_the_scope_of_a_command_are_errors(tenants: list[str]) -> None:
    with pytest.raises(CommandError, match="':dynamic:' cannot be used here: this command runs"):
        call_command("staticonly", "-ds", stdout=StringIO())
    with pytest.raises(CommandError, match="':tenants:' cannot be used here"):
        call_command("staticonly", tenant_schemas=True, stdout=StringIO())
    out = StringIO()
    call_command("staticonly", "-as", stdout=out)
    assert "[www] static www" in out.getvalue() and "acme" not in out.getvalue()
