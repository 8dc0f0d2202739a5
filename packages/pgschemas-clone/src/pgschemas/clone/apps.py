from __future__ import annotations

from django.apps import AppConfig


class PgschemasCloneConfig(AppConfig):
    name = "pgschemas.clone"
    label = "pgschemas_clone"
    verbose_name = "pgschemas clone"
