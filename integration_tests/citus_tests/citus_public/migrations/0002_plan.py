from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("citus_public", "0001_reference_tables")]

    operations = [
        migrations.CreateModel(
            name="Plan",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=50)),
            ],
        )
    ]
