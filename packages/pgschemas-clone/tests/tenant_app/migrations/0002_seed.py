"""Data every tenant starts with: clones must carry it (django_migrations included)."""

from django.db import migrations


def seed(apps, schema_editor):
    Category = apps.get_model("tenant_app", "Category")
    Tag = apps.get_model("tenant_app", "Tag")
    root = Category.objects.create(name="All")
    Category.objects.create(name="Books", parent=root)
    Tag.objects.bulk_create([Tag(label="new"), Tag(label="sale")])


class Migration(migrations.Migration):
    dependencies = [("tenant_app", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
