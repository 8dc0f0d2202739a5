"""SchemaOptions: the schema options read once, from the command line or call_command."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.management.base import CommandError

from pgschemas.commands.options import SchemaOptions
from pgschemas.commands.results import RunReport, SchemaResult, Status


def test_defaults_when_nothing_is_given() -> None:
    options = SchemaOptions.from_options({})
    assert (options.include, options.exclude, options.executor) == ((), (), "sequential")
    assert options.create_schemas and options.interactive and options.verbosity == 1
    assert not options.fail_fast and not options.traceback


def test_upstream_names_and_call_command_spellings() -> None:
    options = SchemaOptions.from_options(
        {
            "schemas": "www",  # call_command may pass one string
            "excluded_schemas": ["acme", "zen"],
            "dynamic_schemas": True,
            "tenant_schemas": True,
            "parallel": True,
            "executor": "sequential",
            "no_create_schemas": True,
            "interactive": False,
            "verbosity": 2,
            "fail_fast": True,
            "traceback": True,
        }
    )
    assert options.include == ("www", ":dynamic:", ":tenants:")
    assert options.exclude == ("acme", "zen")
    assert options.executor == "parallel"  # --parallel wins over --executor
    assert not options.create_schemas and not options.interactive
    assert (options.verbosity, options.fail_fast, options.traceback) == (2, True, True)
    assert not SchemaOptions.from_options({"skip_schema_creation": True}).create_schemas


def test_unknown_executor_is_refused_naming_it() -> None:
    with pytest.raises(CommandError, match="Unknown executor 'threads'"):
        SchemaOptions.from_options({"executor": "threads"})


def test_frozen_and_command_options_read_only() -> None:
    raw = {"plan": True}
    options = SchemaOptions.from_options(raw)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.verbosity = 0  # type: ignore[misc]
    with pytest.raises(TypeError):
        options.command["plan"] = False  # type: ignore[index]
    raw["plan"] = False  # a later change to the dict does not reach the options
    assert options.command["plan"] is True
    assert SchemaOptions.of(options) is options


def test_statuses_are_typed_and_print_as_their_value() -> None:
    report = RunReport(
        [
            SchemaResult("a", Status.OK),
            SchemaResult("b", Status.FAILED, "boom"),
            SchemaResult("c", Status.SKIPPED, "not run"),
        ]
    )
    assert (report.succeeded, report.failed, report.skipped) == (["a"], ["b"], ["c"])
    assert f"{Status.FAILED}" == "failed"
    assert report.summary("x") == "x: succeeded on 1 of 3 schemas; failed on 1: b; skipped 1: c."
    assert report.failure_lines() == ["[b] boom"]
