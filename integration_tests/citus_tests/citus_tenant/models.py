from django.db import models


class Subscription(models.Model):
    """A tenant table pointing at public's plain ``Plan`` table: cannot work on Citus."""

    plan = models.ForeignKey("citus_public.Plan", on_delete=models.CASCADE)

    class Meta:
        app_label = "citus_tenant"

    def __str__(self) -> str:
        return f"subscription to plan {self.plan_id}"
