"""Two Celery apps of the test project, one per broker; the worker fixture starts
``celery -A tests.celery_app:<name> worker`` and the tests queue through the same app.

Both keep their results in Redis (chords need a result backend). Each pytest process uses
its own queue, so parallel runs sharing the brokers never take each other's messages.
"""

from __future__ import annotations

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

from django.conf import settings

QUEUE = os.environ.setdefault("PGSCHEMAS_TEST_CELERY_QUEUE", f"pgschemas-celery-{os.getpid()}")


def make_app(name: str, broker: str) -> Celery:
    app = Celery(name, task_cls="pgschemas.celery:TenantTask", set_as_current=False)
    app.conf.update(
        broker_url=broker,
        result_backend=settings.REDIS_URL,
        result_expires=600,
        task_default_queue=QUEUE,
        # RabbitMQ drops the queue 10 minutes after its last use (Redis ignores it).
        task_queues=[Queue(QUEUE, routing_key=QUEUE, queue_arguments={"x-expires": 600_000})],
        worker_enable_remote_control=False,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        task_serializer="json",
        result_serializer="json",
    )
    app.autodiscover_tasks()  # tasks.py of every INSTALLED_APPS entry (our fan-out task)
    app.autodiscover_tasks(["tests"])
    return app


redis_app = make_app("redis", settings.REDIS_URL)
amqp_app = make_app("amqp", settings.AMQP_URL)
