"""``manage.py runschema``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.runschema import Command

__all__ = ["Command"]
