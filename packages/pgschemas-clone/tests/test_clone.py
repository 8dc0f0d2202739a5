"""What a clone points at, and that a failed clone leaves nothing behind."""

from __future__ import annotations

import pytest

from pgschemas.clone import CloneError, clone_schema, plan_clone
from pgschemas.core import ddl

from .helpers import one, q, run, schema_exists

pytestmark = pytest.mark.django_db


def namespace_of(regclass_sql: str, *params: object) -> str:
    return one(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.oid = ({regclass_sql})",
        list(params),
    )


def test_references_inside_the_schema_point_to_the_clone(name):
    dst = name("cloned")
    clone_schema("sample", dst)

    # nextval() defaults use the clone's sequences: inserting advances only the clone's.
    before = one(q("SELECT last_value FROM {}", ("sample", "legacy_id_seq")))
    run(q("INSERT INTO {} (note) VALUES ('x')", (dst, "legacy")))
    assert one(q("SELECT last_value FROM {}", ("sample", "legacy_id_seq"))) == before
    assert one(q("SELECT max(id) FROM {}", (dst, "legacy"))) == before + 1

    # Sequences and identity columns carry on where the reference stopped.
    run(q("INSERT INTO {} (label) VALUES ('c')", (dst, "counter")))
    assert [r[0] for r in run(q("SELECT id FROM {} ORDER BY id", (dst, "counter")))] == [
        10,
        12,
        14,
    ]
    run(q("INSERT INTO {} (taken) VALUES ('2024-07-01')", (dst, "measurement")))
    assert one(q("SELECT count(*) FROM {}", (dst, "measurement_2024"))) == 2

    # Trigger fires with the clone's function; views read the clone's tables.
    run(
        q(
            "INSERT INTO {} (code, feeling, during, room) "
            "VALUES ('zzz', 'happy', tstzrange('2030-01-01', '2030-01-02'), 9)",
            (dst, "ticket"),
        )
    )
    assert one(q("SELECT count(*) FROM {}", (dst, "happy_code"))) == 2
    assert one(q("SELECT count(*) FROM {}", ("sample", "happy_code"))) == 1
    assert one(q("SELECT code FROM {} WHERE room = 9", (dst, "ticket"))) == "ZZZ"
    trigger_function_schema = one(
        "SELECT n.nspname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
        "JOIN pg_namespace n ON n.oid = p.pronamespace "
        "WHERE t.tgname = 'ticket_shout' AND t.tgrelid = %s::regclass",
        [f'"{dst}".ticket'],
    )
    assert trigger_function_schema == dst

    # Foreign keys: inside the schema re-pointed, to public kept.
    targets = dict(
        run(
            "SELECT conname, confrelid::regclass::text FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [f'"{dst}".ticket'],
        )
    )
    assert targets == {
        "ticket_category_id_fkey": f"{dst}.tenant_app_category",
        "ticket_country_id_fkey": "shared_app_country",  # public: on the search path
    }
    assert (
        namespace_of(
            "SELECT confrelid FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
            "ticket_country_id_fkey",
            f'"{dst}".ticket',
        )
        == "public"
    )

    # Columns of the schema's own types use the clone's types.
    assert (
        one(
            "SELECT n.nspname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "JOIN pg_namespace n ON n.oid = t.typnamespace "
            "WHERE a.attrelid = %s::regclass AND a.attname = 'feeling'",
            [f'"{dst}".ticket'],
        )
        == dst
    )


def test_explicit_source_references_in_function_bodies_are_rewritten(name):
    src, dst = name("src"), name("dst")
    ddl.create_schema(src)
    run(q("CREATE TABLE {} (n int)", (src, "thing")))
    run(
        q(
            "CREATE FUNCTION {}() RETURNS bigint LANGUAGE sql "
            "AS $$ SELECT count(*) FROM " + src + ".thing $$",
            (src, "how_many"),
        )
    )
    clone_schema(src, dst)
    run(q("INSERT INTO {} VALUES (1), (2)", (dst, "thing")))
    assert one(q("SELECT {}()", (dst, "how_many"))) == 2
    assert one(q("SELECT {}()", (src, "how_many"))) == 0


def test_a_failed_clone_leaves_nothing(name):
    dst = name("dst")
    ddl.create_schema(dst)
    # The destination already has a table the clone wants to create: the script fails
    # half-way, after types, sequences and functions were created.
    run(q("CREATE TABLE {} (x int)", (dst, "ticket")))
    with pytest.raises(CloneError, match="already exists"):
        clone_schema("sample", dst, create_schema=False)
    left = run(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = %s::regnamespace "
        "UNION ALL SELECT typname FROM pg_type WHERE typnamespace = %s::regnamespace "
        "AND typtype IN ('e', 'd') UNION ALL SELECT proname FROM pg_proc "
        "WHERE pronamespace = %s::regnamespace",
        [dst, dst, dst],
    )
    assert left == [("ticket",)]
    # The session is usable and its search path intact afterwards.
    assert one("SELECT current_setting('search_path')") == "public"


def test_cloning_into_a_new_schema_that_fails_drops_nothing_and_creates_nothing(name):
    src, dst = name("src"), name("dst")
    ddl.create_schema(src)
    run(q("CREATE FOREIGN DATA WRAPPER {}", f"fdw_{src}"))
    run(q("CREATE SERVER {} FOREIGN DATA WRAPPER {}", f"srv_{src}", f"fdw_{src}"))
    run(q("CREATE FOREIGN TABLE {} (x int) SERVER {}", (src, "remote"), f"srv_{src}"))
    with pytest.raises(CloneError, match="foreign table: remote"):
        clone_schema(src, dst)
    assert not schema_exists(dst)


def test_clear_errors_for_bad_input(name):
    with pytest.raises(CloneError, match="'nowhere': it does not exist"):
        clone_schema("nowhere", name("dst"))
    existing = name("existing")
    ddl.create_schema(existing)
    with pytest.raises(CloneError, match="already exists"):
        clone_schema("sample", existing)
    with pytest.raises(CloneError, match="into itself"):
        clone_schema("sample", "sample")
    from pgschemas.core.validation import InvalidSchemaName

    with pytest.raises(InvalidSchemaName):
        clone_schema("sample", "pg_nope")


def test_plan_is_a_dry_run(name):
    dst = name("dst")
    plan = plan_clone("sample", dst)
    assert plan.counts["tables"] >= 10 and plan.counts["views"] == 3
    assert not schema_exists(dst)


def plan_text(destination: str) -> list[str]:
    from django.db import connection

    plan = plan_clone("sample", destination)
    with connection.cursor() as cursor:
        return [s.as_string(cursor.cursor.connection) for s in plan.statements]


def created_with(statements: list[str], destination: str, table: str) -> str:
    head = f'CREATE TABLE "{destination}"."{table}" ('
    return next(s for s in statements if s.startswith(head))


def added_later(statements: list[str], destination: str, constraint: str) -> bool:
    head = f'ALTER TABLE "{destination}".'
    return any(s.startswith(head) and f'CONSTRAINT "{constraint}" ' in s for s in statements)


def test_small_tables_are_created_with_their_keys_and_empty_ones_with_their_foreign_keys(name):
    dst = name("dst")
    statements = plan_text(dst)
    leaf = created_with(statements, dst, "leaf")
    # Keys inside CREATE TABLE; a foreign key to a table created before with all its
    # unique keys (here a unique index, not a constraint) too.
    assert 'CONSTRAINT "leaf_pkey" PRIMARY KEY' in leaf
    assert 'CONSTRAINT "leaf_node_code_fkey" FOREIGN KEY' in leaf
    assert not added_later(statements, dst, "leaf_pkey")
    # Later, with ALTER TABLE: the other half of a cycle, NOT VALID constraints (CREATE
    # TABLE would validate them), a check calling a function created after the tables,
    # a self reference to a unique index, a foreign key to a table whose unique index
    # waits for that function, and every foreign key of a table that has rows.
    for constraint in (
        "partner_leaf_id_fkey",
        "leaf_partner",
        "partner_leaf_again",
        "node_code_short",
        "chain_big",
        "chain_next",
        "twig_partner_id_fkey",
        "ticket_category_id_fkey",
    ):
        assert added_later(statements, dst, constraint), constraint
    # Empty tables are not copied; tables with rows are.
    assert not any(s.startswith(f'INSERT INTO "{dst}"."node"') for s in statements)
    assert any(s.startswith(f'INSERT INTO "{dst}"."ticket"') for s in statements)


def test_schema_members_are_found_through_the_schema_dependencies():
    """The catalog read finds relations and types without scanning whole catalogs; prove
    that what it finds is everything the schema holds (sample has every object kind)."""
    from pgschemas.clone.catalog import MEMBERS

    found = run(
        "WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = 'sample'), "
        + MEMBERS
        + " SELECT oid FROM rel ORDER BY oid"
    )
    every = run(
        "SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'sample' ORDER BY c.oid"
    )
    assert len(every) > 50 and found == every
    types = run(
        "WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = 'sample'), "
        + MEMBERS
        + " SELECT t.typname FROM typ JOIN pg_type t USING (oid) ORDER BY 1"
    )
    standalone = run(
        "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
        "LEFT JOIN pg_class c ON c.oid = t.typrelid "
        "WHERE n.nspname = 'sample' AND t.typtype IN ('e', 'd', 'c', 'r', 'b', 'p') "
        "AND t.typelem = 0 AND (c.oid IS NULL OR c.relkind = 'c') ORDER BY 1"
    )
    assert ("mood",) in types and types == standalone
