"""The proof: a clone of a freshly migrated reference is identical to a migrated schema.

Identical means equal normalised catalog snapshots (relations, columns with types,
defaults, identity and collation, constraints, indexes, sequences with their current
values, triggers, views, functions, types, comments) and equal table contents, except
``django_migrations.applied`` (when each migration ran).
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from pgschemas.clone import clone_schema
from pgschemas.clone.snapshot import diff_snapshots, schema_snapshot
from pgschemas.core import ddl
from pgschemas.core.migration import migrate_schema
from pgschemas.core.schema import Schema

from .helpers import EXCLUDE

pytestmark = pytest.mark.django_db


def migrated(schema_name: str) -> Schema:
    ddl.create_schema(schema_name)
    schema = Schema(schema_name, is_dynamic=True)
    migrate_schema(schema)
    return schema


def test_clone_of_reference_is_identical_to_migrating(name):
    # Sequences are not transactional: other tests' rolled back inserts into the reference
    # still advanced them. Rebuild it so it is freshly migrated, as the claim says.
    call_command("createrefschema", "--recreate", verbosity=0)
    built, cloned = name("migrated"), name("cloned")
    migrated(built)
    clone_schema("sample", cloned)

    expected = schema_snapshot(built, exclude_columns=EXCLUDE)
    actual = schema_snapshot(cloned, exclude_columns=EXCLUDE)

    assert diff_snapshots(expected, actual) == []
    assert expected == actual


def test_snapshot_covers_every_object_kind(name):
    """The comparison above is not vacuous: the schema holds every kind we claim to copy."""
    snapshot = schema_snapshot("sample", exclude_columns=EXCLUDE)
    relkinds = {(row[0], row[1]) for row in snapshot["relations"]}
    assert {
        ("ticket", "r"),
        ("measurement", "p"),
        ("measurement_2024", "r"),
        ("happy_ticket", "v"),
        ("happy_code", "v"),
        ("ticket_total", "m"),
        ("ticket_seq", "S"),
        ("counter_id_seq", "S"),
        ("money_pair", "c"),
        ("tenant_app_product", "r"),
        ("tenant_app_product_tags", "r"),
    } <= relkinds
    contypes = {(row[1], row[2]) for row in snapshot["constraints"]}
    assert {
        ("ticket_no_overlap", "x"),
        ("ticket_code_ok", "c"),
        ("positive_int_check", "c"),
        ("product_price_gte_0", "c"),
        ("ticket_code_key", "u"),
        ("tenant_app_product_sku_category_id_ca70a6b9_uniq", "u"),
        ("ticket_pkey", "p"),
    } <= contypes
    assert {c for c in contypes if c[1] == "f"}
    assert {row[0] for row in snapshot["functions"]} >= {
        "code_ok",
        "shout_code",
        "ticket_count",
        "happy_count",
        "first_ticket",
        "add_note",
    }
    assert ("add_note", "p") in {(row[0], row[1]) for row in snapshot["functions"]}
    assert {(row[0], row[1]) for row in snapshot["types"]} >= {
        ("mood", "e"),
        ("positive_int", "d"),
        ("money_pair", "c"),
    }
    assert {row[1] for row in snapshot["triggers"]} == {"ticket_shout"}
    index_names = {row[1] for row in snapshot["indexes"]}
    assert {
        "ticket_lower_code",
        "ticket_happy_room",
        "product_active_sku",
        "product_lower_sku",
        "product_lower_name_category",  # a unique expression index (UniqueConstraint)
        "ticket_total_feeling",
        "measurement_taken",
    } <= index_names
    identity = {(row[0], row[2]) for row in snapshot["columns"] if row[6]}
    assert ("counter", "id") in identity and ("tenant_app_product", "id") in identity
    assert any(row[-1] for row in snapshot["relations"])  # comments
    assert snapshot["data:ticket"] and snapshot["data:django_migrations"]
    assert snapshot["data:tenant_app_category"]  # RunPython seed data


def test_snapshot_sees_a_difference(name):
    """The comparison can fail: one changed default is reported."""
    from .helpers import q, run

    cloned = name("cloned")
    clone_schema("sample", cloned)
    run(q("ALTER TABLE {} ALTER COLUMN label SET DEFAULT 'x'", (cloned, "counter")))
    diff = diff_snapshots(
        schema_snapshot("sample", exclude_columns=EXCLUDE),
        schema_snapshot(cloned, exclude_columns=EXCLUDE),
    )
    assert any("counter" in line and "'x'::text" in line for line in diff)
