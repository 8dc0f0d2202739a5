"""Every ``django_pgschemas`` path is the pgschemas object itself, never a copy."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.utils.module_loading import import_string

ALIASES = {
    # spec page
    "django_pgschemas.cache.make_key": "pgschemas.cache.make_key",
    "django_pgschemas.schema.SchemaDescriptor": "pgschemas.core.schema.Schema",
    "django_pgschemas.management.commands.TenantCommand": "pgschemas.commands.base.TenantCommand",
    "django_pgschemas.management.commands.StaticTenantCommand": (
        "pgschemas.commands.base.StaticTenantCommand"
    ),
    "django_pgschemas.management.commands.DynamicTenantCommand": (
        "pgschemas.commands.base.DynamicTenantCommand"
    ),
    "django_pgschemas.contrib.channels.router.TenantProtocolRouter": (
        "pgschemas.channels.router.TenantProtocolRouter"
    ),
    "django_pgschemas.contrib.channels.TenantProtocolRouter": (
        "pgschemas.channels.TenantProtocolRouter"
    ),
    "django_pgschemas.contrib.channels.auth.TenantAuthMiddlewareStack": (
        "pgschemas.channels.auth.TenantAuthMiddlewareStack"
    ),
    "django_pgschemas.contrib.channels.tenant_group_name": "pgschemas.channels.tenant_group_name",
    # original django-pgschemas documentation
    "django_pgschemas.Schema": "pgschemas.core.schema.Schema",
    "django_pgschemas.activate": "pgschemas.core.activation.activate",
    "django_pgschemas.activate_public": "pgschemas.core.activation.activate_public",
    "django_pgschemas.deactivate": "pgschemas.core.activation.deactivate",
    "django_pgschemas.get_current_schema": "pgschemas.core.activation.get_current_schema",
    "django_pgschemas.schema.override": "pgschemas.core.activation.override",
    "django_pgschemas.routing.info.DomainInfo": "pgschemas.core.routing_info.DomainInfo",
    "django_pgschemas.routing.info.SessionInfo": "pgschemas.core.routing_info.SessionInfo",
    "django_pgschemas.routing.info.HeadersInfo": "pgschemas.core.routing_info.HeadersInfo",
    "django_pgschemas.contrib.channels.DomainRoutingMiddleware": (
        "pgschemas.channels.middleware.DomainRoutingMiddleware"
    ),
    "django_pgschemas.contrib.channels.HeadersRoutingMiddleware": (
        "pgschemas.channels.middleware.HeadersRoutingMiddleware"
    ),
    "django_pgschemas.contrib.channels.TenantURLRouter": (
        "pgschemas.channels.middleware.TenantURLRouter"
    ),
    "django_pgschemas.postgresql.base.DatabaseWrapper": (
        "pgschemas.core.postgresql.base.DatabaseWrapper"
    ),
    "django_pgschemas.postgresql_backend.base.DatabaseWrapper": (
        "pgschemas.core.postgresql.base.DatabaseWrapper"
    ),
    "django_pgschemas.routers.TenantAppsRouter": "pgschemas.core.routers.TenantAppsRouter",
    "django_pgschemas.routers.SyncRouter": "pgschemas.core.routers.TenantAppsRouter",
    "django_pgschemas.models.TenantModel": "pgschemas.core.models.TenantModel",
    "django_pgschemas.routing.middleware.DomainRoutingMiddleware": (
        "pgschemas.routing.middleware.DomainRoutingMiddleware"
    ),
    "django_pgschemas.routing.middleware.HeadersRoutingMiddleware": (
        "pgschemas.routing.middleware.HeadersRoutingMiddleware"
    ),
    "django_pgschemas.routing.middleware.SessionRoutingMiddleware": (
        "pgschemas.routing.middleware.SessionRoutingMiddleware"
    ),
    "django_pgschemas.schema.Schema": "pgschemas.core.schema.Schema",
    "django_pgschemas.schemas.Schema": "pgschemas.core.schema.Schema",
    "django_pgschemas.schema.get_current_schema": "pgschemas.core.activation.get_current_schema",
    "django_pgschemas.contrib.cache.make_key": "pgschemas.cache.make_key",
    "django_pgschemas.contrib.storage.TenantFileSystemStorage": (
        "pgschemas.core.storage.TenantFileSystemStorage"
    ),
    "django_pgschemas.contrib.files.storage.TenantFileSystemStorage": (
        "pgschemas.core.storage.TenantFileSystemStorage"
    ),
    "django_pgschemas.management.commands.WrappedSchemaOption": (
        "pgschemas.commands.base.WrappedSchemaOption"
    ),
    "django_pgschemas.utils.get_tenant_model": "pgschemas.core.utils.get_tenant_model",
    "django_pgschemas.utils.get_domain_model": "pgschemas.core.utils.get_domain_model",
    "django_pgschemas.utils.check_schema_name": "pgschemas.core.validation.check_schema_name",
    "django_pgschemas.utils.is_valid_schema_name": "pgschemas.core.validation.is_valid_schema_name",
    "django_pgschemas.signals.schema_activate": "pgschemas.core.signals.schema_activated",
    "django_pgschemas.signals.dynamic_tenant_needs_sync": (
        "pgschemas.core.signals.dynamic_tenant_needs_sync"
    ),
    "django_pgschemas.signals.dynamic_tenant_post_sync": (
        "pgschemas.core.signals.dynamic_tenant_post_sync"
    ),
    "django_pgschemas.signals.dynamic_tenant_pre_drop": (
        "pgschemas.core.signals.dynamic_tenant_pre_drop"
    ),
    "django_pgschemas.signals.dynamic_tenant_post_rename": (
        "pgschemas.core.signals.dynamic_tenant_post_rename"
    ),
    "django_pgschemas.log.SchemaContextFilter": "pgschemas.core.log.SchemaContextFilter",
}

COMMANDS = {
    "runschema": "pgschemas.commands.management.commands.runschema",
    "migrate": "pgschemas.commands.management.commands.migrate",
    "migrateschema": "pgschemas.commands.management.commands.migrateschema",
    "whowill": "pgschemas.commands.management.commands.whowill",
    "createrefschema": "pgschemas.clone.management.commands.createrefschema",
    "cloneschema": "pgschemas.clone.management.commands.cloneschema",
    "clonespares": "pgschemas.clone.management.commands.clonespares",
    "createtenant": "pgschemas.commands.management.commands.createtenant",
    "deletetenant": "pgschemas.commands.management.commands.deletetenant",
    "renametenant": "pgschemas.commands.management.commands.renametenant",
    "listtenants": "pgschemas.commands.management.commands.listtenants",
}


@pytest.mark.parametrize(("alias", "target"), sorted(ALIASES.items()))
def test_alias_is_the_pgschemas_object(alias: str, target: str) -> None:
    assert import_string(alias) is import_string(target)


@pytest.mark.parametrize(("name", "target"), sorted(COMMANDS.items()))
def test_command_modules_reexport_the_command(name: str, target: str) -> None:
    ours = import_module(f"django_pgschemas.management.commands.{name}")
    assert ours.Command is import_module(target).Command


def test_unknown_name_in_commands_package_is_an_attribute_error() -> None:
    commands = import_module("django_pgschemas.management.commands")
    with pytest.raises(AttributeError, match="NoSuchCommand"):
        commands.NoSuchCommand  # noqa: B018


def test_both_domain_model_paths_are_the_layers_model_with_1x_fields() -> None:
    """The compatibility layer's own model (1.x's field set), built on pgschemas-routing's."""
    from django_pgschemas.models import DomainModel as by_models
    from django_pgschemas.routing.models import DomainModel as by_routing
    from pgschemas.routing.models import DomainModel as native

    assert by_models is by_routing
    assert issubclass(by_models, native) and by_models is not native
    assert by_models.__module__ == "django_pgschemas.routing.models"
