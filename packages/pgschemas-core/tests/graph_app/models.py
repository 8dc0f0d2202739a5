"""Linked models whose migrations exercise every state change a tenant's creation renders.

A chain of foreign keys (one to a non-primary unique field), a many-to-many, a
self-reference, a one-to-one, a renamed model and field, a relation added after the fact,
an altered referenced field, a deleted model and two data migrations that read the
historical models through reverse relations (``Census`` keeps what they saw).
"""

from django.db import models


class Root(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=50)
    favorite = models.ForeignKey(
        "Leaf", null=True, on_delete=models.SET_NULL, related_name="favored_by"
    )


class Branch(models.Model):
    root = models.ForeignKey(Root, to_field="code", on_delete=models.CASCADE)
    label = models.CharField(max_length=50)

    class Meta:
        indexes = [models.Index(fields=["label"], name="graph_branch_label")]


class Twig(models.Model):
    branch = models.ForeignKey(Branch, on_delete=models.CASCADE)
    roots = models.ManyToManyField(Root, related_name="twigs")


class Leaf(models.Model):
    twig = models.ForeignKey(Twig, on_delete=models.CASCADE)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
    name = models.CharField(max_length=50, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["twig", "name"], name="graph_leaf_twig_name")
        ]


class Bud(models.Model):
    leaf = models.OneToOneField(Leaf, on_delete=models.CASCADE)


class Census(models.Model):
    step = models.CharField(max_length=20)
    value = models.TextField()
