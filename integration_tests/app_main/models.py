from django.db import models


class MainPage(models.Model):
    """Content that only the ``www`` static tenant has."""

    title = models.CharField(max_length=100)

    def __str__(self) -> str:
        return self.title
