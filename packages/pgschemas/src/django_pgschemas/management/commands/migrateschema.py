"""``manage.py migrateschema``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.migrateschema import Command

__all__ = ["Command"]
