"""``manage.py deletetenant``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.deletetenant import Command

__all__ = ["Command"]
