"""``PGSCHEMAS_RECYCLE_AFTER_SCHEMAS``: a long-lived connection that served too many schemas
is replaced at the end of a request, never inside a transaction; one that did not is kept.

Against the real server: "replaced" means another backend (``pg_backend_pid()``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import request_finished, request_started
from django.db import connection
from django.test import override_settings

from pgschemas.core import Schema, ddl
from pgschemas.core.postgresql.recycle import recycle_after_schemas

_names = itertools.count()


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


def visit(schema_name: str) -> None:
    """One statement in ``schema_name``: what a request to that tenant does."""
    with Schema.create(schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        assert cursor.fetchone()[0] == schema_name


def end_of_request() -> None:
    """What Django's handler does when a response is done."""
    request_finished.send(sender=None)


@pytest.fixture
def schemas(transactional_db: Any) -> Iterator[list[str]]:
    """Five committed empty schemas (dropped afterwards)."""
    names = [f"recycle_{next(_names)}_{i}" for i in range(5)]
    for name in names:
        ddl.create_schema(name)
    yield names
    connection.close()
    for name in names:
        ddl.drop_schema(name)


@pytest.fixture
def persistent(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[int | None], Any]]:
    """A persistent default connection (``CONN_MAX_AGE = None``) under a recycling limit."""
    overrides: list[Any] = []

    def start(limit: int | None) -> Any:
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", None)
        override = override_settings(PGSCHEMAS_RECYCLE_AFTER_SCHEMAS=limit)
        override.enable()
        overrides.append(override)
        connection.ensure_connection()
        return connection

    yield start
    connection.close()
    for override in overrides:
        override.disable()


def test_a_connection_past_the_limit_is_replaced(schemas: list[str], persistent: Any) -> None:
    persistent(3)
    pid = backend_pid()
    for name in schemas[:4]:
        visit(name)
        if name != schemas[3]:
            end_of_request()
            assert backend_pid() == pid  # three schemas: still within the limit
    assert connection.pgschemas_recycle_due
    end_of_request()
    assert connection.connection is None
    assert backend_pid() != pid
    assert not connection.pgschemas_recycle_due  # the new connection counts from zero


def test_a_connection_within_the_limit_is_kept(schemas: list[str], persistent: Any) -> None:
    persistent(3)
    pid = backend_pid()
    for _ in range(3):  # the same three schemas again and again: three distinct
        for name in schemas[:3]:
            visit(name)
            request_started.send(sender=None)
            end_of_request()
    visit("public")  # public is not counted: every connection has it
    end_of_request()
    assert not connection.pgschemas_recycle_due
    assert backend_pid() == pid


def test_off_by_default_keeps_the_connection(schemas: list[str], persistent: Any) -> None:
    persistent(None)
    pid = backend_pid()
    for name in schemas:
        visit(name)
        end_of_request()
    assert not connection.pgschemas_recycle_due
    assert backend_pid() == pid


def test_an_open_transaction_defers_it(schemas: list[str], persistent: Any) -> None:
    """Never closed in a transaction. (Inside ``atomic()`` Django's own check closes the
    connection at a request's end anyway: autocommit is not what the settings say.)"""
    persistent(1)
    pid = backend_pid()
    visit(schemas[0])
    visit(schemas[1])
    raw = connection.connection
    raw.execute("BEGIN")
    end_of_request()
    assert connection.connection is raw
    raw.execute("COMMIT")
    end_of_request()
    assert backend_pid() != pid


def test_a_pooled_connection_past_the_limit_is_discarded(schemas: list[str]) -> None:
    pytest.importorskip("psycopg_pool")
    from django.db.backends.postgresql.base import DatabaseWrapper as DjangoWrapper

    if not hasattr(DjangoWrapper, "pool"):
        pytest.skip("Django has no psycopg pool support before 5.1")
    from django.db import connections

    settings_dict = {
        **connections.settings["default"],
        "NAME": connection.settings_dict["NAME"],
        "CONN_MAX_AGE": 0,
        "OPTIONS": {"pool": {"min_size": 1, "max_size": 1, "timeout": 10}},
    }
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = settings_dict
    pids: list[int] = []
    try:
        with override_settings(PGSCHEMAS_RECYCLE_AFTER_SCHEMAS=2):
            for name in schemas[:4]:
                with Schema.create(name), wrapper.cursor() as cursor:
                    cursor.execute("SELECT pg_backend_pid()")
                    pids.append(int(cursor.fetchone()[0]))
                wrapper.close_if_unusable_or_obsolete()  # back to the pool
    finally:
        wrapper.close()
        wrapper.close_pool()
    # One server connection in the pool: the first three requests share it (the third
    # makes it due), the fourth gets the pool's replacement.
    assert pids[0] == pids[1] == pids[2]
    assert pids[3] != pids[0]


@pytest.mark.parametrize("value", [0, -1, True, "10", 2.5])
def test_invalid_values_are_refused_with_the_value(value: Any) -> None:
    with (
        override_settings(PGSCHEMAS_RECYCLE_AFTER_SCHEMAS=value),
        pytest.raises(ImproperlyConfigured, match=rf"PGSCHEMAS_RECYCLE_AFTER_SCHEMAS={value!r}"),
    ):
        recycle_after_schemas()


def test_valid_values() -> None:
    with override_settings(PGSCHEMAS_RECYCLE_AFTER_SCHEMAS=None):
        assert recycle_after_schemas() is None
    with override_settings(PGSCHEMAS_RECYCLE_AFTER_SCHEMAS=500):
        assert recycle_after_schemas() == 500


def test_an_invalid_value_stops_the_connection_opening(transactional_db: Any) -> None:
    connection.close()
    try:
        with (
            override_settings(PGSCHEMAS_RECYCLE_AFTER_SCHEMAS=0),
            pytest.raises(ImproperlyConfigured, match="PGSCHEMAS_RECYCLE_AFTER_SCHEMAS=0"),
        ):
            connection.ensure_connection()
    finally:
        connection.close()
