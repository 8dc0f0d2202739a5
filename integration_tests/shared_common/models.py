from django.db import models


class Note(models.Model):
    """Rows a visitor adds on any tenant's page; each schema has its own table."""

    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text
