"""``manage.py createtenant``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.createtenant import Command

__all__ = ["Command"]
