"""``manage.py migrate``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.migrate import Command

__all__ = ["Command"]
