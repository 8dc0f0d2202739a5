"""Seed rows and record what the historical models look like (reverse relations included)."""

from django.db import migrations


def relations(model):
    return ",".join(sorted(field.name for field in model._meta.get_fields(include_hidden=True)))


def seed(apps, schema_editor):
    Root = apps.get_model("graph_app", "Root")
    Branch = apps.get_model("graph_app", "Branch")
    Stick = apps.get_model("graph_app", "Stick")
    Leaf = apps.get_model("graph_app", "Leaf")
    Bud = apps.get_model("graph_app", "Bud")
    Scrap = apps.get_model("graph_app", "Scrap")
    Census = apps.get_model("graph_app", "Census")
    root = Root.objects.create(code="r1", name="root")
    branch = Branch.objects.create(root=root, title="branch")
    stick = Stick.objects.create(branch=branch)
    stick.roots.add(root)
    leaf = Leaf.objects.create(twig=stick, name="l1")
    Leaf.objects.create(twig=stick, name="l2", parent=leaf)
    Bud.objects.create(leaf=leaf)
    Scrap.objects.create(root=root)
    deep = Root.objects.filter(branch__stick__leaf__bud__isnull=False).distinct().count()
    twigs = Root.objects.filter(twigs__leaf__name="l2").count()
    for model in (Root, Branch, Stick, Leaf, Bud, Scrap):
        Census.objects.create(step="0002", value=f"{model.__name__}:{relations(model)}")
    Census.objects.create(step="0002", value=f"deep={deep} twigs={twigs}")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, character_maximum_length FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND column_name = 'root_id' "
            "AND table_name IN ('graph_app_branch', 'graph_app_scrap') ORDER BY 1"
        )
        lengths = " ".join(f"{table}:{length}" for table, length in cursor.fetchall())
    Census.objects.create(step="0002", value=f"root_id {lengths}")
    # Tenant creation is one transaction: check the deferred foreign keys now, so later
    # migrations may alter these tables ("pending trigger events" otherwise).
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


class Migration(migrations.Migration):
    dependencies = [("graph_app", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
