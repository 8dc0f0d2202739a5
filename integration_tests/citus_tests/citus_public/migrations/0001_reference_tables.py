"""Tenant tables point at these public tables: on Citus they must be reference tables.

``auth_permission.content_type`` (auth is a tenant app here) points at
``django_content_type`` in public. On plain PostgreSQL this migration does nothing.
"""

from django.db import migrations

from pgschemas.core.citus import CreateReferenceTable


class Migration(migrations.Migration):
    dependencies = [("contenttypes", "0002_remove_content_type_name")]

    operations = [CreateReferenceTable("contenttypes.ContentType")]
