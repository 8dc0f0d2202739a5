"""The sandbox's Celery app, written as docs/celery.md says: ``celery -A sandbox.celery_app worker``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")

app = Celery("sandbox", task_cls="pgschemas.celery:TenantTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
