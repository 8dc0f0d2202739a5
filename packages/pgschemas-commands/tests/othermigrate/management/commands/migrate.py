"""An app shipping its own ``migrate`` (to test pgschemas_commands.E001)."""

from django.core.management.commands.migrate import Command as DjangoMigrate


class Command(DjangoMigrate):
    pass
