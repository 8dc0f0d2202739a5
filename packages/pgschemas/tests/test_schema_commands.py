"""The command base classes under their ``django_pgschemas`` names.

The spec page's ``TenantCommand`` family (override ``handle_tenant``) is pgschemas-commands'
own; django-pgschemas 1.x's ``SchemaCommand`` family (override ``handle_schema``) is defined
by the compatibility layer on top of it.
"""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from django_pgschemas.management.commands import (
    DynamicSchemaCommand,
    DynamicTenantCommand,
    SchemaCommand,
    StaticSchemaCommand,
    StaticTenantCommand,
    TenantCommand,
)
from django_pgschemas.schema import SchemaDescriptor


class SpecCommand(TenantCommand):
    """Written as the spec page shows: ``handle_tenant``, type check on SchemaDescriptor."""

    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        kind = "static" if isinstance(tenant, SchemaDescriptor) else "dynamic"
        self.stdout.write(f"{kind} {tenant.schema_name}")


class UpstreamCommand(SchemaCommand):
    """Written as django-pgschemas 1.x shows: ``handle_schema``."""

    def handle_schema(self, schema: Any, *args: Any, **options: Any) -> None:
        self.stdout.write(f"schema {schema.schema_name}")


class UpstreamDynamic(DynamicSchemaCommand):
    def handle_schema(self, schema: Any, *args: Any, **options: Any) -> None:
        self.stdout.write(f"dynamic {schema.schema_name}")


class UpstreamStatic(StaticSchemaCommand):
    def handle_schema(self, schema: Any, *args: Any, **options: Any) -> None:
        self.stdout.write(f"static {schema.schema_name}")


def run(command: Any, *args: str) -> list[str]:
    out = StringIO()
    call_command(command, *args, "--noinput", stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_spec_tenant_command_gets_schema_descriptors_and_tenant_rows(
    make_tenant: Callable[..., Any],
) -> None:
    make_tenant("acme")
    assert run(SpecCommand(), "-s", "www", "-s", "acme") == [
        "[www] static www",
        "[acme] dynamic acme",
    ]


@pytest.mark.django_db
def test_upstream_schema_command_runs_handle_schema(make_tenant: Callable[..., Any]) -> None:
    make_tenant("acme")
    assert run(UpstreamCommand(), "-s", "acme") == ["schema acme"]
    assert run(UpstreamDynamic(), "-s", ":dynamic:") == ["dynamic acme"]
    assert run(UpstreamStatic(), "-s", "www") == ["static www"]


@pytest.mark.django_db
def test_upstream_scopes_are_the_tenant_command_scopes(make_tenant: Callable[..., Any]) -> None:
    assert DynamicSchemaCommand.scope == DynamicTenantCommand.scope
    assert StaticSchemaCommand.scope == StaticTenantCommand.scope
    make_tenant("acme")
    with pytest.raises(CommandError, match="dynamic tenants only"):
        run(UpstreamDynamic(), "-s", "www")
    with pytest.raises(CommandError, match="static schemas only"):
        run(UpstreamStatic(), "-s", "acme")


@pytest.mark.django_db
def test_schema_command_without_handle_schema_names_the_method() -> None:
    with pytest.raises(CommandError, match=r"must override handle_schema\(self, schema"):
        run(SchemaCommand(), "-s", "www")


def test_schema_commands_are_tenant_commands() -> None:
    for upstream in (SchemaCommand, StaticSchemaCommand, DynamicSchemaCommand):
        assert issubclass(upstream, TenantCommand)
