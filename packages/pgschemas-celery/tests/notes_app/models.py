from django.db import models


class Note(models.Model):
    """Written by the test tasks in whatever schema is active on the worker."""

    label = models.CharField(max_length=100)
    written_in = models.CharField(max_length=63)
