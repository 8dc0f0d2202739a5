"""What needs no worker: bad input of the fan-out, and eager or direct calls."""

from __future__ import annotations

from typing import Any

import pytest

from pgschemas.celery import queue_for_each_schema
from pgschemas.commands.selectors import SelectorError
from pgschemas.core.schema import get_static_schema

from .celery_app import redis_app
from .tasks import write_note


@pytest.fixture(autouse=True)
def celery_app() -> None:
    """Tasks resolve through the project's app (base class TenantTask); nothing is sent."""
    redis_app.set_current()


def test_unknown_task_name_is_refused_before_queueing() -> None:
    with pytest.raises(LookupError, match=r"No task named 'billing\.nope'"):
        queue_for_each_schema("billing.nope")


@pytest.mark.django_db
def test_unknown_selector_is_refused_before_queueing() -> None:
    with pytest.raises(SelectorError, match="No schema matches 'nope'"):
        queue_for_each_schema(write_note, "nope", args=["x"])


def test_eager_and_direct_calls_run_in_the_callers_schema(tenants: tuple[Any, Any]) -> None:
    a, _b = tenants
    with a:
        assert write_note.apply(("eager",)).get() == a.schema_name
        assert write_note("direct") == a.schema_name
    with get_static_schema("www"):
        assert write_note.apply(("eager",)).get() == "www"
