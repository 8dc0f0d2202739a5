"""``manage.py whowill``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.whowill import Command

__all__ = ["Command"]
