"""Used by the failing-migration test: fails in a tenant holding duplicate item names."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenant_app", "0001_initial")]

    operations = [
        migrations.AddConstraint(
            model_name="item",
            constraint=models.UniqueConstraint(fields=["name"], name="item_name_unique"),
        ),
    ]
