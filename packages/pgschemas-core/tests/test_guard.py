"""A guard travels with the first statement run under the object carrying it, and refuses
the whole message (the statement does not run) when its condition no longer holds."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from psycopg import sql

from pgschemas.core.exceptions import RouteChanged, SchemaNotFound
from pgschemas.core.guard import Guard, attach
from pgschemas.core.schema import Schema
from tests.test_pooler_safety import plain_path
from tests.test_search_path_piggyback import SET_BLOG, sent_messages


def titles() -> list[str]:
    from tests.blog_app.models import Post

    return list(Post.objects.order_by("title").values_list("title", flat=True))


def blog_with(condition: str, alias: str = "default") -> Any:
    """The static schema ``blog`` as a routed request would carry it: a guard, unchecked."""
    return attach(Schema("blog"), Guard.build(alias, sql.SQL(condition)))


@pytest.mark.django_db(transaction=True)
def test_a_guard_that_holds_costs_no_round_trip_and_is_checked_once() -> None:
    blog = blog_with("1 = 1")
    with sent_messages() as messages, blog:
        assert titles() == []
        assert titles() == []
    guard = blog.pgschemas_guard.guard
    sent = messages()
    assert sent[0].startswith(f"{SET_BLOG}, {guard.check}; SELECT "), sent
    assert "pg_pgschemas_route_changed" in guard.check
    # The second statement (autocommit: a new transaction) carries the path, not the guard.
    assert sent[1:] == [sent[0].replace(f", {guard.check}", "")], sent
    assert blog.pgschemas_guard.done


@pytest.mark.django_db(transaction=True)
def test_a_guard_that_fails_refuses_the_statement() -> None:
    from tests.blog_app.models import Post

    blog = blog_with("1 = 0")
    with blog:
        with pytest.raises(RouteChanged, match="The route to schema 'blog' changed"):
            Post.objects.create(title="must not be written")
        with pytest.raises(RouteChanged):  # every statement, until activated afresh
            titles()
    assert isinstance(RouteChanged("blog"), SchemaNotFound)
    with Schema("blog"):
        assert titles() == []


@pytest.mark.django_db(transaction=True)
def test_a_guard_is_checked_inside_a_transaction_and_on_the_plain_path(settings: Any) -> None:
    from django.db import transaction

    with blog_with("1 = 1"), transaction.atomic():
        assert titles() == []
    with pytest.raises(RouteChanged), blog_with("false"), transaction.atomic():
        titles()
    with plain_path(settings):
        with pytest.raises(RouteChanged), blog_with("false"):
            titles()
        with blog_with("true"):
            assert titles() == []


@pytest.mark.django_db
def test_a_guard_for_another_database_is_not_checked_here() -> None:
    with sent_messages() as messages, blog_with("1 = 0", alias="other"):
        assert titles() == []
    assert "pg_pgschemas_route_changed" not in messages()[0]


@pytest.mark.django_db
def test_a_missing_schema_is_still_reported_as_missing_with_a_guard() -> None:
    ghost = attach(Schema("ghost"), Guard.build("default", sql.SQL("true")))
    with pytest.raises(SchemaNotFound) as raised, ghost:
        titles()
    assert type(raised.value) is SchemaNotFound
    assert connection.pgschemas_search_path is None


@pytest.mark.parametrize("error", [SchemaNotFound("acme"), RouteChanged("acme")])
def test_the_errors_survive_pickle_and_copy_with_their_message(error: SchemaNotFound) -> None:
    # Celery hands task errors back through pickle: the message must not be mangled.
    import copy
    import pickle

    for again in (pickle.loads(pickle.dumps(error)), copy.copy(error)):
        assert type(again) is type(error)
        assert (again.schema_name, str(again)) == ("acme", str(error))
