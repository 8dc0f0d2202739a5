from __future__ import annotations

import logging

import pytest
from django.db import connection, transaction

from pgschemas.core import Schema
from pgschemas.core.schema import get_static_schema


def current_search_path() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW search_path")
        return str(cursor.fetchone()[0])


def sets() -> int:
    return int(connection.pgschemas_search_path_sets)


@pytest.mark.django_db
def test_three_queries_in_one_tenant_cost_one_set(caplog: pytest.LogCaptureFixture) -> None:
    from tests.blog_app.models import Post

    assert current_search_path() == "public"  # start from a known state
    caplog.set_level(logging.DEBUG, logger="pgschemas.core.postgresql")
    with get_static_schema("blog"):
        before = sets()
        Post.objects.create(title="a")
        Post.objects.count()
        list(Post.objects.all())
        assert sets() - before == 1
    statements = [r.getMessage() for r in caplog.records if "search_path =" in r.getMessage()]
    assert statements == ["search_path = blog, public (alias=default)"]


@pytest.mark.django_db
def test_search_path_is_quoted_and_public_last() -> None:
    with get_static_schema("blog"):
        assert current_search_path() == "blog, public"
    assert current_search_path() == "public"


@pytest.mark.django_db
def test_savepoint_rollback_keeps_the_tenant() -> None:
    from tests.blog_app.models import Post

    with get_static_schema("blog"):
        Post.objects.create(title="kept")
        try:
            with transaction.atomic():
                Post.objects.create(title="gone")
                with Schema("public"):
                    # A SET inside the savepoint is undone by its rollback.
                    connection.cursor().close()
                raise RuntimeError
        except RuntimeError:
            pass
        assert list(Post.objects.values_list("title", flat=True)) == ["kept"]
        assert current_search_path() == "blog, public"


@pytest.mark.django_db(transaction=True)
def test_rollback_and_reconnect_resend_the_search_path() -> None:
    from tests.blog_app.models import Post

    with get_static_schema("blog"):
        transaction.set_autocommit(False)
        try:
            Post.objects.count()  # SET inside the transaction...
            transaction.rollback()  # ...is undone here
            assert current_search_path() == "blog, public"
            transaction.rollback()
        finally:
            transaction.set_autocommit(True)
        connection.close()
        assert current_search_path() == "blog, public"
        Post.objects.create(title="after reconnect")
        assert Post.objects.count() == 1
        Post.objects.all().delete()


@pytest.mark.django_db
def test_extra_search_paths(settings: pytest.FixtureRequest) -> None:
    settings.PGSCHEMAS_EXTRA_SEARCH_PATHS = ["extensions"]
    with get_static_schema("blog"):
        assert current_search_path() == "blog, extensions, public"
    assert current_search_path() == "public, extensions"


@pytest.mark.django_db
def test_introspection_is_scoped_to_the_active_schema() -> None:
    with get_static_schema("blog"):
        tables = connection.introspection.table_names()
    assert "blog_app_post" in tables
    assert "django_content_type" not in tables
    assert "blog_app_post" not in connection.introspection.table_names()


@pytest.mark.django_db
def test_inspectdb_inside_a_tenant() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with get_static_schema("blog"):
        call_command("inspectdb", stdout=out)
    assert "class BlogAppPost(models.Model):" in out.getvalue()
    assert "DjangoContentType" not in out.getvalue()


def test_original_backend_cannot_point_at_itself(settings: pytest.FixtureRequest) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from pgschemas.core.postgresql._original import import_original

    settings.PGSCHEMAS_ORIGINAL_BACKEND = "pgschemas.core.postgresql"
    with pytest.raises(ImproperlyConfigured, match="points back at the pgschemas backend"):
        import_original("base")
    settings.PGSCHEMAS_ORIGINAL_BACKEND = "no.such.backend"
    with pytest.raises(ImproperlyConfigured, match=r"'no\.such\.backend' cannot be imported"):
        import_original("base")
