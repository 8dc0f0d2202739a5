"""``manage.py createrefschema``: pgschemas-clone's command under the django_pgschemas app."""

from pgschemas.clone.management.commands.createrefschema import Command

__all__ = ["Command"]
