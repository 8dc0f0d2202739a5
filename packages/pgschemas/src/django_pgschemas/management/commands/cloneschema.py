"""``manage.py cloneschema``: pgschemas-clone's command under the django_pgschemas app."""

from pgschemas.clone.management.commands.cloneschema import Command

__all__ = ["Command"]
