"""Older django-pgschemas path of the tenant storage (``contrib.files.storage``)."""
