import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("graph_app", "0002_seed")]

    operations = [
        migrations.RenameModel("Stick", "Twig"),
        migrations.RenameField("Branch", "title", "label"),
        # Referenced by Branch.root (to_field): the schema editor alters branch.root_id too.
        migrations.AlterField("Root", "code", models.CharField(max_length=20, unique=True)),
        migrations.AddField(
            "Root",
            "favorite",
            models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="favored_by",
                to="graph_app.leaf",
            ),
        ),
        migrations.AlterField("Leaf", "name", models.CharField(db_index=True, max_length=50)),
        migrations.AddIndex(
            "Branch", models.Index(fields=["label"], name="graph_branch_label")
        ),
        migrations.AddConstraint(
            "Leaf",
            models.UniqueConstraint(fields=["twig", "name"], name="graph_leaf_twig_name"),
        ),
        migrations.DeleteModel("Scrap"),
    ]
