"""django-pgschemas 1.x's command base classes: ``SchemaCommand`` and ``handle_schema``.

pgschemas-commands defines ``TenantCommand`` (override ``handle_tenant``), the spelling of
the spec page. django-pgschemas 1.x named the same classes ``SchemaCommand``,
``StaticSchemaCommand`` and ``DynamicSchemaCommand`` and the method ``handle_schema``;
these subclasses keep code written for it working. They live here, next to the other
``django_pgschemas`` names, and not in pgschemas-commands, so new code has one name for
each class. (Kept outside ``management/commands/`` so Django never lists it as a command.)
"""

from __future__ import annotations

from typing import Any

from pgschemas.commands.base import DynamicTenantCommand, StaticTenantCommand, TenantCommand


class SchemaCommand(TenantCommand):
    """Override :meth:`handle_schema`; it runs once per selected schema, schema active."""

    def handle_tenant(self, tenant: Any, *args: Any, **options: Any) -> None:
        self.handle_schema(tenant, *args, **options)

    def handle_schema(self, schema: Any, *args: Any, **options: Any) -> None:
        """Runs on each selected schema (django-pgschemas 1.x's name for ``handle_tenant``)."""
        raise NotImplementedError(
            f"{type(self).__name__} must override handle_schema(self, schema, *args, **options)."
        )


class StaticSchemaCommand(SchemaCommand):
    """A :class:`SchemaCommand` for ``public``, static tenants and the clone reference."""

    scope = StaticTenantCommand.scope


class DynamicSchemaCommand(SchemaCommand):
    """A :class:`SchemaCommand` for dynamic tenants (rows of the tenant model) only."""

    scope = DynamicTenantCommand.scope


__all__ = ["DynamicSchemaCommand", "SchemaCommand", "StaticSchemaCommand"]
