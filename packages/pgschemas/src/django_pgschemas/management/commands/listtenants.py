"""``manage.py listtenants``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.listtenants import Command

__all__ = ["Command"]
