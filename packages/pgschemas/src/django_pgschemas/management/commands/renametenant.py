"""``manage.py renametenant``: pgschemas-commands' command under the django_pgschemas app."""

from pgschemas.commands.management.commands.renametenant import Command

__all__ = ["Command"]
