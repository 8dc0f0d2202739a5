"""A half-built, half-migrated or dropped reference is never cloned.

The situation these tests reproduce: a long-running process saw the reference ready, then
another process interrupted a rebuild, interrupted a ``migrate`` of the reference, or
dropped it. The next tenant that process creates must have every table: cloned from a
complete reference, or migrated with the documented warning.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from pgschemas.clone.provisioning import ReferenceNotReadyWarning
from pgschemas.clone.rebuild import BUILD_PREFIX
from pgschemas.clone.reference import reference_status
from pgschemas.core.migration import CachedMigrationExecutor, CachedMigrationLoader
from pgschemas.core.schema import get_static_schema
from pgschemas.core.signals import schema_pre_migration

from .helpers import elsewhere, q, relations, run, schema_exists

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parent.parent


@pytest.fixture
def migrated() -> Iterator[list[str]]:
    """Names of the schemas migrations ran on (in any thread) during the test."""
    seen: list[str] = []

    def record(sender: Any, schema: Any, **kwargs: Any) -> None:
        seen.append(schema.schema_name)

    schema_pre_migration.connect(record, dispatch_uid="interrupted-reference")
    yield seen
    schema_pre_migration.disconnect(dispatch_uid="interrupted-reference")


def builds() -> list[str]:
    return [
        row[0]
        for row in run(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [BUILD_PREFIX + "%"]
        )
    ]


def create_committed_tenant(schema_name: str) -> list[str]:
    """Create (and commit) a tenant on another connection; the warnings it raised."""
    from tests.shared_app.models import Tenant

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Tenant.objects.create(schema_name=schema_name)
    return [str(w.message) for w in caught if issubclass(w.category, ReferenceNotReadyWarning)]


def drop_committed_tenant(schema_name: str) -> None:
    from tests.shared_app.models import Tenant

    Tenant.objects.filter(schema_name=schema_name).delete()
    run(q("DROP SCHEMA IF EXISTS {} CASCADE", schema_name))


def createrefschema_killed_at(point: str) -> None:
    """``createrefschema --recreate`` in a subprocess, SIGKILLed at ``point``."""
    env = {
        **os.environ,
        "PYTHONPATH": str(PACKAGE),
        "PGSCHEMAS_CLONE_TEST_DB": connection.settings_dict["NAME"],
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.interrupted", point],
        cwd=PACKAGE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr)


def migration_count() -> int:
    """How many migrations a build records (Django records every app's, even routed out).

    Read from the graph on disk only: the test's connection must not touch ``sample``, or
    its locks would hold up the swap of the killed subprocess until the test ends.
    """
    return len(CachedMigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def test_killed_recreate_never_exposes_a_partial_reference(name, migrated):
    complete = elsewhere(lambda: relations("sample"))
    last = migration_count()
    for point in ["1", str(last // 2), str(last), "swap"]:
        createrefschema_killed_at(point)
        # The old reference is untouched; the unfinished build is under another name.
        assert elsewhere(lambda: relations("sample")) == complete, point
        assert elsewhere(lambda: reference_status().ready), point
        tenant = name("after_kill")
        migrated.clear()
        try:
            assert elsewhere(lambda: create_committed_tenant(tenant)) == [], point  # noqa: B023
            assert migrated == [], point  # cloned from the complete reference
            assert elsewhere(lambda: relations(tenant)) == complete, point  # noqa: B023
        finally:
            elsewhere(lambda: drop_committed_tenant(tenant))  # noqa: B023
    # Each run dropped what the previous killed one left; the next one drops the last.
    assert len(elsewhere(builds)) == 1
    elsewhere(lambda: call_command("createrefschema", verbosity=0))
    assert elsewhere(builds) == []
    assert elsewhere(lambda: relations("sample")) == complete


def test_killed_first_build_leaves_no_reference_and_tenants_are_migrated(name, migrated):
    complete = elsewhere(lambda: relations("sample"))
    elsewhere(lambda: run(q("DROP SCHEMA {} CASCADE", "sample")))
    tenant = name("no_ref")
    try:
        createrefschema_killed_at(str(migration_count() // 2))
        assert not elsewhere(lambda: schema_exists("sample"))
        messages = elsewhere(lambda: create_committed_tenant(tenant))
        assert messages == [
            f"Tenant {tenant!r} is provisioned with migrations: the clone reference schema "
            "'sample' does not exist; run `manage.py createrefschema`."
        ]
        assert migrated == [tenant]
        assert elsewhere(lambda: relations(tenant)) == complete
    finally:
        elsewhere(lambda: drop_committed_tenant(tenant))
        elsewhere(lambda: call_command("createrefschema", verbosity=0))
    assert elsewhere(builds) == []
    assert elsewhere(lambda: reference_status().ready)


def test_reference_dropped_by_another_connection_falls_back_to_migrations(name, migrated):
    seen_ready, dropped = name("seen_ready"), name("after_drop")
    complete = elsewhere(lambda: relations("sample"))
    try:
        assert elsewhere(lambda: create_committed_tenant(seen_ready)) == []
        assert migrated == []  # this process has seen the reference ready and cloned it
        elsewhere(lambda: run(q("DROP SCHEMA {} CASCADE", "sample")))
        messages = elsewhere(lambda: create_committed_tenant(dropped))
        assert len(messages) == 1 and "'sample' does not exist" in messages[0]
        assert migrated == [dropped]
        assert elsewhere(lambda: relations(dropped)) == complete
    finally:
        for tenant in (seen_ready, dropped):
            elsewhere(lambda: drop_committed_tenant(tenant))  # noqa: B023
        elsewhere(lambda: call_command("createrefschema", verbosity=0))
    assert elsewhere(lambda: reference_status().ready)


def migrate_reference_one_step_at_a_time() -> Iterator[tuple[int, int]]:
    """Rebuild ``sample`` migration by migration: what a ``migrate`` killed after each does.

    Each step applies exactly one more migration, in its own transaction (a savepoint of
    the test's), as ``migrate`` does, then yields ``(applied, total)``.
    """
    reference = get_static_schema("sample")
    run(q("DROP SCHEMA {} CASCADE; CREATE SCHEMA {}", "sample", "sample"))
    with reference:
        executor = CachedMigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    for applied, step in enumerate(plan, start=1):
        with reference:
            executor = CachedMigrationExecutor(connection)
            executor.migrate([step[0].app_label], plan=[step])
        yield applied, len(plan)


def test_reference_migrate_interrupted_after_each_migration_is_never_cloned(
    make_tenant: Callable[..., Any], migrated: list[str]
) -> None:
    complete = relations("sample")
    make_tenant()  # this process has seen the reference ready and cloned it
    assert migrated == []
    for applied, total in migrate_reference_one_step_at_a_time():
        migrated.clear()
        if applied < total:
            with pytest.warns(ReferenceNotReadyWarning, match="is behind its migrations"):
                tenant = make_tenant()
            assert migrated == [tenant.schema_name], applied
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("error", ReferenceNotReadyWarning)
                tenant = make_tenant()
            assert migrated == []  # complete again: cloned
        assert relations(tenant.schema_name) == complete, applied
        assert reference_status(tenant.schema_name).ready, applied
