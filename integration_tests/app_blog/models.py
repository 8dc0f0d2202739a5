from django.db import models


class BlogEntry(models.Model):
    """Content that only the ``blog`` static tenant has."""

    title = models.CharField(max_length=100)
    body = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.title
