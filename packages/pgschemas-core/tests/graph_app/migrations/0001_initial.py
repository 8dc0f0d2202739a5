import django.db.models.deletion
from django.db import migrations, models

ID = ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Root",
            fields=[ID, ("code", models.CharField(max_length=10, unique=True)), ("name", models.CharField(max_length=50))],
        ),
        migrations.CreateModel(
            name="Branch",
            fields=[
                ID,
                ("title", models.CharField(max_length=50)),
                (
                    "root",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="graph_app.root",
                        to_field="code",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Stick",
            fields=[
                ID,
                (
                    "branch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="graph_app.branch"
                    ),
                ),
                ("roots", models.ManyToManyField(related_name="twigs", to="graph_app.root")),
            ],
        ),
        migrations.CreateModel(
            name="Leaf",
            fields=[
                ID,
                ("name", models.CharField(max_length=50)),
                (
                    "twig",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, to="graph_app.stick"
                    ),
                ),
                (
                    "parent",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        to="graph_app.leaf",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Bud",
            fields=[
                ID,
                (
                    "leaf",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, to="graph_app.leaf"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Scrap",
            fields=[
                ID,
                (
                    "root",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        to="graph_app.root",
                        to_field="code",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Census",
            fields=[ID, ("step", models.CharField(max_length=20)), ("value", models.TextField())],
        ),
        # Before any data migration renders the state afresh: two tables point at it.
        migrations.AlterField("Root", "code", models.CharField(max_length=12, unique=True)),
    ]
