"""The ``SET search_path`` travels with the next statement, and only when that is safe.

Round trips are read from libpq's protocol trace: each ``F ... Query`` line is one message
the client sent, so "one message for SET + SELECT" is observed, not inferred.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from psycopg import pq

from pgschemas.core.schema import get_public_schema, get_static_schema


@contextmanager
def sent_messages() -> Iterator[Callable[[], list[str]]]:
    """Collect the text of every simple-query message the connection sends in the block."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile() as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        messages: list[str] = []
        try:
            yield lambda: messages
        finally:
            pgconn.untrace()
            trace.seek(0)
            for line in trace.read().decode().splitlines():
                parts = line.split("\t")
                if parts[0] == "F" and parts[2] in ("Query", "Parse"):
                    messages.append(parts[3].strip()[1:-1])  # the trace quotes the text


SET_BLOG = (
    "SELECT pg_catalog.set_config('search_path', pg_catalog.quote_ident('blog') || ', ' || "
    "pg_catalog.quote_ident('public'), false), pg_catalog.quote_ident('blog')::pg_catalog.regnamespace"
)


def in_public_now() -> None:
    """Start from a connection whose server-side search path is ``public``."""
    with get_public_schema(), connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def search_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_a_tenant_switch_costs_no_extra_round_trip() -> None:
    from tests.blog_app.models import Post

    in_public_now()
    with get_static_schema("blog"):
        Post.objects.create(title="a")
    in_public_now()
    before = connection.pgschemas_search_path_sets
    with sent_messages() as messages, get_static_schema("blog"):
        assert Post.objects.count() == 1
        assert Post.objects.filter(title="a").exists()
    assert messages() == [
        f'{SET_BLOG}; SELECT COUNT(*) AS "__count" FROM "blog_app_post"',
        'SELECT 1 AS "a" FROM "blog_app_post" WHERE "blog_app_post"."title" = \'a\' LIMIT 1',
    ]
    assert connection.pgschemas_search_path_sets - before == 1


@pytest.mark.django_db
def test_query_logs_show_the_statement_as_written() -> None:
    from tests.blog_app.models import Post

    in_public_now()
    with CaptureQueriesContext(connection) as captured, get_static_schema("blog"):
        Post.objects.count()
    assert [q["sql"] for q in captured.captured_queries] == [
        'SELECT COUNT(*) AS "__count" FROM "blog_app_post"'
    ]


@pytest.mark.django_db
def test_rowcount_and_description_are_the_statements_own() -> None:
    from tests.blog_app.models import Post

    with get_static_schema("blog"):
        Post.objects.bulk_create([Post(title="x"), Post(title="y")])
    in_public_now()
    with get_static_schema("blog"), connection.cursor() as cursor:
        cursor.execute("UPDATE blog_app_post SET title = %s WHERE title <> %s", ["z", "q"])
        assert cursor.rowcount == 2
    in_public_now()
    with get_static_schema("blog"), connection.cursor() as cursor:
        cursor.execute("SELECT title FROM blog_app_post ORDER BY id")
        assert [col.name for col in cursor.description] == ["title"]
        assert cursor.fetchall() == [("z",), ("z",)]


@pytest.mark.django_db
def test_parameters_next_to_a_percent_sign_in_the_path(settings: pytest.FixtureRequest) -> None:
    from tests.blog_app.models import Post

    settings.PGSCHEMAS_EXTRA_SEARCH_PATHS = ["odd%sname"]
    in_public_now()
    with get_static_schema("blog"):
        assert Post.objects.filter(title="%s").count() == 0
        assert search_path() == 'blog, "odd%sname", public'


@pytest.mark.django_db(transaction=True)
def test_a_failed_statement_forgets_the_search_path() -> None:
    # Outside a transaction, "SET ...; <failing statement>" is rolled back as a whole.
    in_public_now()
    with get_static_schema("blog"):
        with pytest.raises(DatabaseError), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")
        assert search_path() == "blog, public"


@pytest.mark.django_db(transaction=True)
def test_statements_that_refuse_a_transaction_block_get_the_set_alone() -> None:
    in_public_now()
    with sent_messages() as messages, get_static_schema("blog"), connection.cursor() as cursor:
        cursor.execute("VACUUM blog_app_post")
        cursor.execute("SHOW search_path")
        assert cursor.fetchone() == ("blog, public",)
    # VACUUM refuses a transaction block: the SET goes alone; SHOW starts a new
    # transaction (autocommit), so it carries the SET again.
    assert messages() == [SET_BLOG, "VACUUM blog_app_post", f"{SET_BLOG}; SHOW search_path"]


@pytest.mark.django_db(transaction=True)
def test_ddl_gets_the_set_in_a_message_of_its_own() -> None:
    """Citus forwards a DDL message's whole text to its workers, which refuse two statements."""
    in_public_now()
    ddl = "CREATE TABLE ddl_probe (id int)"
    try:
        with sent_messages() as messages, get_static_schema("blog"):
            with connection.cursor() as cursor:
                cursor.execute(ddl)
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass('blog.ddl_probe') IS NOT NULL")
                assert cursor.fetchone() == (True,)
        sent = messages()
        assert sent.index(SET_BLOG) == sent.index(ddl) - 1
        assert not any("set_config" in message and "CREATE" in message for message in sent)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS blog.ddl_probe")


@pytest.mark.django_db
def test_executemany_copy_and_raw_cursors_run_in_the_tenant() -> None:
    in_public_now()
    with get_static_schema("blog"), connection.cursor() as cursor:
        cursor.executemany("INSERT INTO blog_app_post (title) VALUES (%s)", [["m1"], ["m2"]])
    in_public_now()
    with (
        get_static_schema("blog"),
        connection.cursor() as cursor,
        cursor.copy("COPY blog_app_post (title) FROM STDIN") as copy,
    ):
        copy.write_row(["c1"])
    in_public_now()
    with get_static_schema("blog"):
        connection.cursor().close()  # the SET is pending: the raw connection must send it
        raw = connection.connection.execute("SELECT title FROM blog_app_post ORDER BY title")
        assert [row[0] for row in raw.fetchall()] == ["c1", "m1", "m2"]


@pytest.mark.django_db
def test_server_side_cursor_and_pipeline_run_in_the_tenant() -> None:
    from tests.blog_app.models import Post

    with get_static_schema("blog"):
        Post.objects.create(title="it")
    in_public_now()
    with get_static_schema("blog"):
        assert [p.title for p in Post.objects.iterator(chunk_size=10)] == ["it"]
    in_public_now()
    with get_static_schema("blog"), connection.cursor() as cursor:
        with connection.connection.pipeline():
            cursor.execute("SELECT count(*) FROM blog_app_post")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db(transaction=True)
def test_a_closed_connection_keeps_nothing_of_ours() -> None:
    """Pools hand a closed wrapper's connection to someone else: it must not carry our
    pending SET (its next statement would send it there, and ours would miss it)."""
    from pgschemas.core.postgresql.search_path import STATE_ATTR

    in_public_now()
    raw = connection.connection
    assert getattr(raw, STATE_ATTR) is not None
    with get_static_schema("blog"):
        connection.cursor().close()  # a SET is pending
    connection.close()
    assert getattr(raw, STATE_ATTR) is None
    with get_static_schema("blog"):
        assert search_path() == "blog, public"


@pytest.mark.django_db
def test_a_process_cycling_through_its_tenants_renders_each_statement_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker visiting its tenants round after round (the scale run: 10,000 of them)
    finds every statement rendered; past the bound, the oldest half is dropped, not all."""
    from pgschemas.core.postgresql import search_path as module

    monkeypatch.setattr(module, "_MAX_STATEMENTS", 100)
    monkeypatch.setattr(module, "_statements", {})
    connection.ensure_connection()
    paths = [(f"tenant{i:03d}", "public") for i in range(100)]
    first = [module.set_statement(path, connection.connection) for path in paths]
    for _ in range(3):
        again = [module.set_statement(path, connection.connection) for path in paths]
        assert all(a is b for a, b in zip(again, first, strict=True))
    module.set_statement(("tenant100", "public"), connection.connection)
    assert len(module._statements) == 51
    assert module.set_statement(paths[99], connection.connection) is first[99]
    assert module.set_statement(paths[0], connection.connection) is not first[0]
    assert module.set_statement(paths[0], connection.connection).text == first[0].text
