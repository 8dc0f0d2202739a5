"""A view queues a Celery task inside tenant A; a real worker (Redis broker) writes its row
in A's schema, not in B's nor in a static tenant's. Skips, saying why, without Redis."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from pgschemas.core.schema import get_static_schema

from .redis_support import redis_unavailable

PROJECT = Path(__file__).resolve().parent.parent
QUEUE = f"pgschemas-sandbox-{os.getpid()}-{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def celery_worker(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    reason = redis_unavailable("celery")
    if reason:
        print(f"SKIP reason: {reason}")
        pytest.skip(reason)
    from django.conf import settings

    from sandbox.celery_app import app

    app.conf.task_default_queue = QUEUE  # this process queues where the worker listens
    with django_db_blocker.unblock():
        db_name = connection.settings_dict["NAME"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sandbox.settings",
        "PYTHONPATH": str(PROJECT),
        "PGSCHEMAS_SANDBOX_DB_NAME": db_name,
        "PGSCHEMAS_SANDBOX_CELERY_QUEUE": QUEUE,
    }
    log = Path(tempfile.mkstemp(prefix="pgschemas-sandbox-celery-", suffix=".log")[1])
    command = [
        sys.executable, "-m", "celery", "-A", "sandbox.celery_app", "worker", "--pool=solo",
        "--without-heartbeat", "--without-gossip", "--without-mingle", "-Q", QUEUE,
        "-n", f"{QUEUE}@%h", "-l", "INFO",
    ]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=out, stderr=out)
    deadline = time.monotonic() + 90
    while " ready." not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the celery worker did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)
    assert settings.CELERY_BROKER_URL
    yield app
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)
    log.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def two_tenants(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[Any, Any]]:
    """Committed tenants A and B with domains (the worker reads them), dropped afterwards.

    Module-scoped, so they are committed before the test's transaction starts (and not
    transactional_db: its flush cannot truncate public tables tenant schemas reference).
    """
    from shared_public.models import Domain, Tenant

    suffix = uuid.uuid4().hex[:8]
    with django_db_blocker.unblock():
        made = []
        for name in ("a", "b"):
            tenant = Tenant.objects.create(schema_name=f"celery_{name}_{suffix}")
            Domain.objects.create(tenant=tenant, domain=f"celery-{name}-{suffix}.localhost")
            made.append(tenant)
        yield made[0], made[1]
        for tenant in made:
            tenant.delete(force_drop=True)


@pytest.mark.django_db
def test_view_queues_a_task_that_writes_in_the_requests_tenant(
    celery_worker: Any, two_tenants: tuple[Any, Any]
) -> None:
    from shared_common.models import Note

    a, b = two_tenants
    host = a.domains.get().domain
    text = f"from-a-{uuid.uuid4().hex[:8]}"

    response = Client(HTTP_HOST=host).post("/queue-note/", {"text": text})
    assert response.status_code == 200, response.content
    ran_in = celery_worker.AsyncResult(response.json()["task_id"]).get(timeout=120)

    assert ran_in == a.schema_name
    holding = []
    for schema in (a, b, get_static_schema("www"), get_static_schema("blog")):
        with schema:
            if Note.objects.filter(text=text).exists():
                holding.append(schema.schema_name)
    assert holding == [a.schema_name]
