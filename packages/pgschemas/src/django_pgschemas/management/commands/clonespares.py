"""``manage.py clonespares``: pgschemas-clone's command under the django_pgschemas app."""

from pgschemas.clone.management.commands.clonespares import Command

__all__ = ["Command"]
