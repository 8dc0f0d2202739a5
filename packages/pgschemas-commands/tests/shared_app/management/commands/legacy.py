"""django-pgschemas spelling: SchemaCommand with handle_schema."""

from typing import Any

from pgschemas.commands import SchemaCommand


class Command(SchemaCommand):
    def handle_schema(self, schema: Any, *args: Any, **options: Any) -> None:
        self.stdout.write(f"legacy {schema.schema_name}")
