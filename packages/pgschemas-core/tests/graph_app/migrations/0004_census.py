"""Use the reshaped models (the relation added in 0003 included) and record them."""

from django.db import migrations


def relations(model):
    return ",".join(sorted(field.name for field in model._meta.get_fields(include_hidden=True)))


def census(apps, schema_editor):
    Root = apps.get_model("graph_app", "Root")
    Leaf = apps.get_model("graph_app", "Leaf")
    Census = apps.get_model("graph_app", "Census")
    Root.objects.update(favorite=Leaf.objects.get(name="l2"))
    favored = Leaf.objects.filter(favored_by__twigs__branch__label="branch").count()
    for name in ("Root", "Branch", "Twig", "Leaf", "Bud"):
        model = apps.get_model("graph_app", name)
        Census.objects.create(step="0004", value=f"{name}:{relations(model)}")
    Census.objects.create(step="0004", value=f"favored={favored}")
    # Tenant creation is one transaction: check the deferred foreign keys now, so later
    # migrations may alter these tables ("pending trigger events" otherwise).
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [("graph_app", "0003_reshape")]

    operations = [migrations.RunPython(census, migrations.RunPython.noop)]
