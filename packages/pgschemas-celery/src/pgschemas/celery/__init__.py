"""pgschemas-celery: Celery tasks run in the schema (tenant) that queued them.

Add ``"pgschemas.celery"`` to ``INSTALLED_APPS`` (it stamps every published task with the
active schema) and create the Celery app with ``task_cls="pgschemas.celery:TenantTask"``
(the worker activates that schema around each task). See docs/celery.md.
"""

from .__about__ import __version__
from .exceptions import TaskSchemaNotFound
from .fanout import queue_for_each_schema
from .headers import ALIAS_HEADER, SCHEMA_HEADER
from .task import TenantTask

__all__ = [
    "ALIAS_HEADER",
    "SCHEMA_HEADER",
    "TaskSchemaNotFound",
    "TenantTask",
    "__version__",
    "queue_for_each_schema",
]
