"""End to end: a real ``celery worker`` process on Redis and on RabbitMQ, tasks queued from
this process inside tenants, rows checked in every schema afterwards."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from celery import chain, chord, group
from celery.signals import before_task_publish

from pgschemas.celery import TaskSchemaNotFound, queue_for_each_schema
from pgschemas.celery.headers import add_schema_headers
from pgschemas.core.schema import get_static_schema

from .conftest import Worker, schemas_holding
from .tasks import touch_nothing, write_note, write_note_after_retry, write_note_plain_base

#: Upper bound for a result to arrive; a guard against hanging, never an assertion.
WAIT = 120


def label() -> str:
    return uuid.uuid4().hex[:12]


def test_task_queued_in_a_tenant_runs_in_that_tenant(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    a, b = tenants
    name = label()
    with a:
        result = write_note.delay(name)
    assert result.get(timeout=WAIT) == a.schema_name
    assert schemas_holding(name, a, b) == [a.schema_name]


def test_task_queued_in_public_runs_in_public(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    name = label()
    assert write_note.delay(name).get(timeout=WAIT) == "public"
    assert schemas_holding(name, *tenants) == ["public"]


def test_static_tenant_and_countdown(celery_worker: Worker, tenants: tuple[Any, Any]) -> None:
    name = label()
    with get_static_schema("www"):
        result = write_note.apply_async((name,), countdown=1)
    assert result.get(timeout=WAIT) == "www"
    assert schemas_holding(name, *tenants) == ["www"]


def test_retry_runs_in_the_same_tenant(celery_worker: Worker, tenants: tuple[Any, Any]) -> None:
    a, b = tenants
    name = label()
    with b:
        result = write_note_after_retry.delay(name)
    assert result.get(timeout=WAIT) == b.schema_name
    assert schemas_holding(name, a, b) == [b.schema_name]


def test_chain_group_and_chord_run_in_the_tenant(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    a, b = tenants
    first, second, g1, g2, c1, c2, callback = (label() for _ in range(7))
    with a:
        chained = chain(write_note.si(first), write_note.si(second)).delay()
        grouped = group(write_note.si(g1), write_note.si(g2)).delay()
        chorded = chord([write_note.si(c1), write_note.si(c2)], write_note.si(callback)).delay()
    assert chained.get(timeout=WAIT) == a.schema_name
    assert grouped.get(timeout=WAIT) == [a.schema_name, a.schema_name]
    assert chorded.get(timeout=WAIT) == a.schema_name
    for name in (first, second, g1, g2, c1, c2, callback):
        assert schemas_holding(name, a, b) == [a.schema_name], name


def test_task_of_a_deleted_tenant_fails_and_names_it(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    a, b = tenants
    schema_name = a.schema_name
    a.delete(force_drop=True)
    name = label()
    with a:  # the object still knows its schema name, like a message queued before delete
        result = write_note.delay(name)
    with pytest.raises(TaskSchemaNotFound, match=schema_name):
        result.get(timeout=WAIT)
    assert result.state == "FAILURE"
    assert schemas_holding(name, b) == []
    assert f"schema {schema_name!r}" in celery_worker.log_text()


def test_for_each_schema_fans_out_through_selectors(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    a, b = tenants
    name = label()
    fanned = celery_worker.app.send_task(
        "pgschemas.celery.for_each_schema",
        kwargs={"task": write_note.name, "selectors": [":dynamic:", "www"], "args": [name]},
    )
    ids = fanned.get(timeout=WAIT)
    written = sorted(celery_worker.app.AsyncResult(id).get(timeout=WAIT) for id in ids)
    assert written == sorted([a.schema_name, b.schema_name, "www"])
    assert schemas_holding(name, a, b) == ["www", a.schema_name, b.schema_name]


def test_queue_for_each_schema_helper_excludes(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    a, _b = tenants
    results = queue_for_each_schema(touch_nothing, ":dynamic:", exclude=a.schema_name, args=["x"])
    assert [result.get(timeout=WAIT) for result in results] == ["x"]


def test_plain_base_class_of_a_deleted_tenant_never_writes_to_public(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    a, b = tenants
    schema_name = a.schema_name
    a.delete(force_drop=True)
    name = label()
    with a:
        result = write_note_plain_base.delay(name)
    with pytest.raises(Exception, match=f"Schema '{schema_name}' does not exist"):
        result.get(timeout=WAIT)
    assert schemas_holding(name, b) == []


def test_message_without_schema_headers_runs_in_public(
    celery_worker: Worker, tenants: tuple[Any, Any]
) -> None:
    a, b = tenants
    name = label()
    before_task_publish.disconnect(dispatch_uid="pgschemas.celery")
    try:
        with a:
            result = write_note.delay(name)
    finally:
        before_task_publish.connect(add_schema_headers, dispatch_uid="pgschemas.celery")
    assert result.get(timeout=WAIT) == "public"
    assert schemas_holding(name, a, b) == ["public"]
