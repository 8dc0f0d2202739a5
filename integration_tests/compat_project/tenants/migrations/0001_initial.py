# The initial migration of a django-pgschemas 1.x project, written by hand from the
# fields of 1.x's documented abstract models (its import paths, its field set).

import django.db.models.deletion
import django_pgschemas.schema
import django_pgschemas.utils
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
    ]

    operations = [
        migrations.CreateModel(
            name='Tenant',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('schema_name', models.CharField(max_length=63, unique=True, validators=[django_pgschemas.utils.check_schema_name_not_reserved])),
                ('name', models.CharField(blank=True, max_length=100)),
            ],
            options={
                'abstract': False,
            },
            bases=(django_pgschemas.schema.Schema, models.Model),
        ),
        # The domain table as a django-pgschemas 1.x project has it (its abstract
        # DomainModel's fields, written by hand): makemigrations must find nothing to do.
        migrations.CreateModel(
            name='Domain',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('domain', models.CharField(db_index=True, max_length=253)),
                ('folder', models.SlugField(blank=True, max_length=253)),
                ('is_primary', models.BooleanField(default=True)),
                ('redirect_to_primary', models.BooleanField(default=False)),
                ('tenant', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='domains', to='tenants.tenant')),
            ],
            options={
                'abstract': False,
                'unique_together': {('domain', 'folder')},
            },
        ),
    ]
