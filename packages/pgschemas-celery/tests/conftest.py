from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from pgschemas.core.schema import SchemaLike, get_public_schema, get_static_schema

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BROKERS = {"redis": "REDIS_URL", "amqp": "AMQP_URL"}


def unreachable_reason(url: str) -> str | None:
    """Why a broker/result backend cannot be used here, or None when it answers."""
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"nothing usable answers at {url} ({exc!r})"
    return None


@dataclass
class Worker:
    """A running ``celery worker`` subprocess and the Celery app the tests queue through."""

    broker: str
    app: Any
    process: subprocess.Popen[bytes]
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def _wait_until_ready(worker: Worker, deadline: float) -> None:
    while time.monotonic() < deadline:
        if " ready." in worker.log_text():
            return
        if worker.process.poll() is not None:
            break
        time.sleep(0.2)
    worker.process.kill()
    pytest.fail(f"The celery worker ({worker.broker}) did not start:\n{worker.log_text()[-4000:]}")


@pytest.fixture(scope="session", params=sorted(BROKERS))
def celery_worker(request: Any, django_db_setup: Any, django_db_blocker: Any) -> Iterator[Worker]:
    """A real worker (solo pool) on the test database, on Redis or RabbitMQ; skips, saying
    why, when the broker (or Redis, the result backend) is not reachable."""
    from tests import celery_app

    broker = request.param
    for url in {getattr(settings, BROKERS[broker]), settings.REDIS_URL}:
        reason = unreachable_reason(url)
        if reason:
            print(f"SKIP reason: {reason}")
            pytest.skip(reason)
    app = getattr(celery_app, f"{broker}_app")
    log = Path(tempfile.mkstemp(prefix=f"pgschemas-celery-{broker}-", suffix=".log")[1])
    with django_db_blocker.unblock():
        db_name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PYTHONPATH": str(PACKAGE_DIR),
        "PGSCHEMAS_TEST_DB_NAME": db_name,
        "PGSCHEMAS_TEST_CELERY_QUEUE": celery_app.QUEUE,
    }
    command = [
        sys.executable, "-m", "celery", "-A", f"tests.celery_app:{broker}_app", "worker",
        "--pool=solo", "--without-heartbeat", "--without-gossip", "--without-mingle",
        "-n", f"pgschemas-tests-{broker}-{os.getpid()}@%h", "-Q", celery_app.QUEUE,
        "-l", "INFO",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=PACKAGE_DIR, env=env, stdout=out, stderr=out)
    worker = Worker(broker, app, process, log)
    _wait_until_ready(worker, time.monotonic() + 90)
    app.set_current()
    yield worker
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
    log.unlink(missing_ok=True)


@pytest.fixture
def tenants(transactional_db: Any, tenant_factory: Callable[..., Any]) -> tuple[Any, Any]:
    """Two committed dynamic tenants (A, B), visible to the worker; removed afterwards
    (pgschemas-testing's factory: spare schemas renamed in, no migrations)."""
    return tenant_factory(), tenant_factory()


def schemas_holding(label: str, *schemas: SchemaLike) -> list[str]:
    """Which of ``schemas`` (plus public and www) hold a note labelled ``label``."""
    from tests.notes_app.models import Note

    found = []
    for schema in (get_public_schema(), get_static_schema("www"), *schemas):
        with schema:
            if Note.objects.filter(label=label).exists():
                found.append(schema.schema_name)
    return found
