"""Tenant creation by migrations ends exactly where Django's ``migrate`` ends.

Core renders migration states more leanly than Django's executor
(``pgschemas.core.migration.LeanProjectState``); these tests compare, catalog row by
catalog row, tenants created by ``Tenant.objects.create()`` with a schema migrated by
Django's own ``migrate`` command: tables, columns, constraints, indexes, the rows of
``django_migrations``, the rows the data migrations wrote and the permissions that
``post_migrate`` created.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.state import ModelState
from psycopg import sql

from pgschemas.core import Schema, ddl
from pgschemas.core.migration import migrate_schema

DATA_TABLES = (
    "graph_app_root",
    "graph_app_branch",
    "graph_app_twig",
    "graph_app_twig_roots",
    "graph_app_leaf",
    "graph_app_bud",
    "graph_app_census",
    "auth_permission",
)


def _rows(query: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return [tuple(row) for row in cursor.fetchall()]


def snapshot(schema_name: str) -> dict[str, Any]:
    """Everything a schema's migrations decide, with the schema's own name taken out."""

    def plain(text: Any) -> Any:
        return text.replace(f"{schema_name}.", "") if isinstance(text, str) else text

    shot: dict[str, Any] = {
        "relations": _rows(
            "SELECT c.relname, c.relkind FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s ORDER BY 1",
            [schema_name],
        ),
        "columns": _rows(
            "SELECT table_name, column_name, ordinal_position, data_type, "
            "character_maximum_length, numeric_precision, numeric_scale, is_nullable, "
            "column_default, is_identity, identity_generation "
            "FROM information_schema.columns WHERE table_schema = %s ORDER BY 1, 3",
            [schema_name],
        ),
        "constraints": [
            tuple(plain(value) for value in row)
            for row in _rows(
                "SELECT cl.relname, co.conname, co.contype, pg_get_constraintdef(co.oid), "
                "co.condeferrable, co.condeferred FROM pg_constraint co "
                "JOIN pg_class cl ON cl.oid = co.conrelid "
                "JOIN pg_namespace n ON n.oid = co.connamespace "
                "WHERE n.nspname = %s ORDER BY 1, 2",
                [schema_name],
            )
        ],
        "indexes": [
            tuple(plain(value) for value in row)
            for row in _rows(
                "SELECT tablename, indexname, indexdef FROM pg_indexes "
                "WHERE schemaname = %s ORDER BY 1, 2",
                [schema_name],
            )
        ],
    }
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("SELECT id, app, name FROM {}.django_migrations ORDER BY id")
            .format(sql.Identifier(schema_name))
            .as_string(cursor.connection)
        )
        shot["django_migrations"] = [tuple(row) for row in cursor.fetchall()]
        for table in DATA_TABLES:
            cursor.execute(
                sql.SQL("SELECT * FROM {}.{} ORDER BY id")
                .format(sql.Identifier(schema_name), sql.Identifier(table))
                .as_string(cursor.connection)
            )
            shot[table] = [tuple(row) for row in cursor.fetchall()]
    return shot


def migrate_with_django(schema_name: str) -> None:
    """The reference: Django's own ``migrate`` command, run in a fresh schema."""
    ddl.create_schema(schema_name)
    with Schema(schema_name, is_dynamic=True):
        call_command("migrate", verbosity=0, interactive=False, stdout=StringIO())


@pytest.mark.django_db
def test_tenants_created_by_migrations_match_djangos_migrate(make_tenant: Any) -> None:
    first = make_tenant("lean_first")
    migrate_with_django("by_django")
    second = make_tenant("lean_second")  # a second creation reuses what the first cached

    expected = snapshot("by_django")
    assert expected["django_migrations"], "Django's migrate recorded nothing"
    assert ("graph_app", "0004_census") in [row[1:] for row in expected["django_migrations"]]
    assert ("graph_app_root", "root_id") not in expected["columns"]
    assert len(expected["graph_app_census"]) == 14
    assert {row[3] for row in expected["auth_permission"]} >= {
        "add_root",
        "view_twig",
        "delete_census",
        "change_user",
    }
    for tenant in (first, second):
        assert snapshot(tenant.schema_name) == expected


@pytest.mark.django_db
def test_data_migrations_saw_every_relation(make_tenant: Any) -> None:
    """The historical models given to RunPython know their reverse relations."""
    tenant = make_tenant("lean_census")
    census = dict(
        _rows(
            sql.SQL("SELECT value, step FROM {}.graph_app_census")
            .format(sql.Identifier(tenant.schema_name))
            .as_string(connection.connection),
            [],
        )
    )
    assert census["deep=1 twigs=1"] == "0002"
    assert census["favored=1"] == "0004"
    assert census["Root:Stick_roots+,branch,code,id,name,scrap,twigs"] == "0002"
    assert census["Stick:Stick_roots+,branch,id,leaf,roots"] == "0002"
    assert census["Root:Twig_roots+,branch,code,favorite,id,name,twigs"] == "0004"
    assert census["Leaf:bud,favored_by,id,leaf,name,parent,twig"] == "0004"


@pytest.mark.django_db
def test_branch_fk_follows_the_altered_referenced_field(make_tenant: Any) -> None:
    """AlterField on a field other tables point at changes their columns too."""
    tenant = make_tenant("lean_fk")
    columns = dict(
        _rows(
            "SELECT table_name || '.' || column_name, character_maximum_length "
            "FROM information_schema.columns WHERE table_schema = %s",
            [tenant.schema_name],
        )
    )
    assert columns["graph_app_root.code"] == 20
    assert columns["graph_app_branch.root_id"] == 20
    census = _rows(
        sql.SQL("SELECT value FROM {}.graph_app_census WHERE step = '0002'")
        .format(sql.Identifier(tenant.schema_name))
        .as_string(connection.connection),
        [],
    )
    assert ("Scrap:id,root",) in census
    # Altered in 0001, right after the tables pointing at it were created.
    assert ("root_id graph_app_branch:12 graph_app_scrap:12",) in census


def count_renders(monkeypatch: Any, action: Any) -> int:
    """How many model classes ``action`` renders from migration states."""
    calls = 0
    original = ModelState.render

    def render(self: ModelState, apps: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, apps)

    with monkeypatch.context() as patched:
        patched.setattr(ModelState, "render", render)
        action()
    return calls


@pytest.mark.django_db
def test_creation_renders_fewer_models_than_djangos_migrate(monkeypatch: Any) -> None:
    ours = count_renders(monkeypatch, lambda: _create_schema_and_migrate("renders_ours"))
    django = count_renders(monkeypatch, lambda: migrate_with_django("renders_django"))
    print(f"renders: ours={ours} django={django}")
    assert snapshot("renders_ours") == snapshot("renders_django")
    assert ours < django


def _create_schema_and_migrate(schema_name: str) -> None:
    ddl.create_schema(schema_name)
    migrate_schema(Schema(schema_name, is_dynamic=True))


@pytest.mark.django_db
def test_creation_asks_once_whether_django_migrations_exists(make_tenant: Any) -> None:
    statements: list[str] = []

    def record(execute: Any, sql_text: Any, params: Any, many: bool, context: Any) -> Any:
        statements.append(str(sql_text))
        return execute(sql_text, params, many, context)

    with connection.execute_wrapper(record):
        make_tenant("lean_asks")
    # One indexed lookup, never a listing of every table (which grows with the tenants).
    assert sum("to_regclass" in text for text in statements) == 1
    assert not [text for text in statements if "relispartition" in text]  # table_names()
    assert sum(text.startswith('CREATE TABLE "django_migrations"') for text in statements) == 1


@pytest.mark.django_db
def test_an_inconsistent_history_is_still_refused(make_tenant: Any) -> None:
    from django.db.migrations.exceptions import InconsistentMigrationHistory

    tenant = make_tenant("lean_history")
    with tenant, connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = 'graph_app' AND name = '0001_initial'"
        )
    with pytest.raises(InconsistentMigrationHistory, match=r"graph_app\.0002_seed"):
        migrate_schema(tenant)


@pytest.mark.django_db
def test_migrating_an_up_to_date_schema_reads_its_history_twice_not_thrice(
    make_tenant: Any,
) -> None:
    tenant = make_tenant("history_once")
    statements: list[str] = []

    def record(execute: Any, sql_text: Any, params: Any, many: bool, context: Any) -> Any:
        statements.append(str(sql_text))
        return execute(sql_text, params, many, context)

    with connection.execute_wrapper(record):
        assert migrate_schema(tenant) == []
    # The loader's read and the executor's closing check_replacements(); the history check
    # reuses the loader's rows instead of a third read.
    assert sum('FROM "django_migrations"' in text for text in statements) == 2
    assert not [text for text in statements if "relispartition" in text]
