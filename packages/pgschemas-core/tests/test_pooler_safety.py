"""The search path is right whatever the server connection's own path is.

Behind a transaction pooler, a client's next transaction may run on a server connection
whose search path another client set. Two ways to see it here: change the server's path
behind the backend's back (what another client of the pool does), and run two Django
connections through one real PgBouncer server connection. Plus: a schema that does not
exist refuses the statement (never public), and the plain path (the SET as a statement
of its own) is as correct as the piggyback.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, connections, transaction
from psycopg import ClientCursor

from pgschemas.core import Schema
from pgschemas.core.exceptions import SchemaNotFound
from pgschemas.core.schema import get_static_schema
from pgschemas_devtools.pgbouncer import (
    PgBouncerUnavailable,
    django_connections_through,
    find_pgbouncer,
    start_pgbouncer,
)
from tests.test_search_path_piggyback import SET_BLOG, sent_messages


def another_client_sets_public() -> None:
    """What another client of a pooled server connection does between our transactions."""
    with ClientCursor(connection.connection) as cursor:
        cursor.execute("SET search_path = public")


def titles() -> list[str]:
    from tests.blog_app.models import Post

    return list(Post.objects.order_by("title").values_list("title", flat=True))


@pytest.fixture
def blog_post(transactional_db: Any) -> Iterator[None]:
    from tests.blog_app.models import Post

    with get_static_schema("blog"):
        Post.objects.create(title="blog's own")
    yield
    with get_static_schema("blog"):
        Post.objects.all().delete()


def test_every_autocommit_statement_sets_its_path(blog_post: None) -> None:
    with get_static_schema("blog"):
        assert titles() == ["blog's own"]
        another_client_sets_public()
        assert titles() == ["blog's own"]  # public has no blog_app_post: this would fail
        with connection.cursor() as cursor:
            another_client_sets_public()
            cursor.execute("SELECT current_schema()")
            assert cursor.fetchone() == ("blog",)


def test_every_transaction_sets_its_path(blog_post: None) -> None:
    with get_static_schema("blog"):
        with transaction.atomic():
            assert titles() == ["blog's own"]
        another_client_sets_public()
        with transaction.atomic():
            assert titles() == ["blog's own"]
            assert titles() == ["blog's own"]


def test_inside_a_transaction_the_path_is_sent_once_per_schema(blog_post: None) -> None:
    with get_static_schema("blog"), transaction.atomic(), sent_messages() as messages:
        titles()
        titles()
    # psycopg's own BEGIN, then the first statement carrying the SET, then one without.
    assert len(messages()) == 3
    assert messages()[0] == "BEGIN"
    assert messages()[1].startswith(f"{SET_BLOG}; SELECT")
    assert not messages()[2].startswith("SELECT pg_catalog.set_config")


def test_a_missing_schema_refuses_the_statement(transactional_db: Any) -> None:
    """PostgreSQL skips a missing schema in the search path; we refuse instead."""
    with (
        Schema("no_such_schema"),
        pytest.raises(SchemaNotFound) as raised,
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT count(*) FROM django_migrations")  # exists in public
    assert raised.value.schema_name == "no_such_schema"
    assert "no_such_schema" in str(raised.value)
    with Schema("no_such_schema"), pytest.raises(SchemaNotFound), transaction.atomic():
        list(connection.introspection.table_names())
    with connection.cursor() as cursor:  # the connection is fine afterwards
        cursor.execute("SELECT current_schema()")
        assert cursor.fetchone() == ("public",)


def test_an_invalid_schema_error_of_the_statement_itself_is_not_ours(
    transactional_db: Any,
) -> None:
    from django.db import ProgrammingError
    from psycopg.errors import InvalidSchemaName

    with (
        get_static_schema("blog"),
        pytest.raises(ProgrammingError) as raised,
        connection.cursor() as cursor,
    ):
        cursor.execute("CREATE TABLE no_such_schema.t (x int)")
    assert not isinstance(raised.value, SchemaNotFound)
    assert isinstance(raised.value.__cause__, InvalidSchemaName)


@contextmanager
def plain_path(settings: Any) -> Iterator[None]:
    settings.PGSCHEMAS_PIGGYBACK_SEARCH_PATH = False
    connection.close()
    try:
        yield
    finally:
        settings.PGSCHEMAS_PIGGYBACK_SEARCH_PATH = True
        connection.close()


def test_the_plain_path_sends_the_set_alone_inside_a_transaction(
    blog_post: None, settings: Any
) -> None:
    with plain_path(settings), get_static_schema("blog"):
        connection.ensure_connection()
        with sent_messages() as messages:
            assert titles() == ["blog's own"]
        # Autocommit: BEGIN, the SET, the statement, COMMIT - one server connection.
        assert messages()[0] == "BEGIN"
        assert messages()[1] == SET_BLOG
        assert messages()[2].startswith("SELECT")
        assert messages()[3] == "COMMIT"
        another_client_sets_public()
        with transaction.atomic(), sent_messages() as messages:
            assert titles() == ["blog's own"]
        assert messages()[:2] == ["BEGIN", SET_BLOG]


def test_executemany_in_autocommit_runs_in_one_transaction_with_its_path(
    blog_post: None,
) -> None:
    with get_static_schema("blog"):
        another_client_sets_public()
        with connection.cursor() as cursor, sent_messages() as messages:
            cursor.executemany("INSERT INTO blog_app_post (title) VALUES (%s)", [["a"], ["b"]])
        assert messages()[:2] == ["BEGIN", SET_BLOG]
        assert titles() == ["a", "b", "blog's own"]


@pytest.fixture
def two_clients_one_server(transactional_db: Any) -> Iterator[Callable[[], Any]]:
    """A second Django connection; both go through one PgBouncer server connection."""
    try:
        find_pgbouncer()
    except PgBouncerUnavailable as error:
        print(f"\n[skip] {error}")
        pytest.skip(str(error))
    with (
        start_pgbouncer(os.environ["DATABASE_URL"], pool_size=1) as bouncer,
        django_connections_through(bouncer),
    ):
        other = connections.create_connection("default")
        try:
            yield lambda: other
        finally:
            other.close()


def test_two_clients_sharing_one_pgbouncer_server_connection(
    blog_post: None, two_clients_one_server: Callable[[], Any]
) -> None:
    other = two_clients_one_server()

    def server_schema(wrapper: Any) -> str:
        with wrapper.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            return str(cursor.fetchone()[0])

    for _ in range(5):
        with get_static_schema("blog"):
            assert server_schema(connection) == "blog"
            assert titles() == ["blog's own"]
        with Schema("public"):
            assert server_schema(other) == "public"
        with get_static_schema("blog"):
            assert server_schema(connection) == "blog"
            with transaction.atomic():
                assert titles() == ["blog's own"]
