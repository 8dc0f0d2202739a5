from django.db import models


class Plan(models.Model):
    """A public table no tenant app points at (so it stays a plain coordinator table)."""

    name = models.CharField(max_length=50)

    class Meta:
        app_label = "citus_public"

    def __str__(self) -> str:
        return self.name
