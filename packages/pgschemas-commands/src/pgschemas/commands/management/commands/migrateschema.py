"""``manage.py migrateschema``: the same command as ``migrate`` (django-pgschemas' name)."""

from __future__ import annotations

from pgschemas.commands.management.commands.migrate import Command as MigrateCommand


class Command(MigrateCommand):
    pass
