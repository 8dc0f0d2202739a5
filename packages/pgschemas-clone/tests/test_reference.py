"""CLONE_REFERENCE: tenants are cloned from a ready reference, migrated otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ValidationError
from django.test import override_settings

from pgschemas.clone.provisioning import ReferenceNotReadyWarning
from pgschemas.clone.reference import reference_status
from pgschemas.core.config import get_config
from pgschemas.core.routers import apps_allowed_in
from pgschemas.core.schema import get_static_schemas
from pgschemas.core.signals import schema_pre_migration

from .helpers import one, q, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def migrations_run():
    seen: list[str] = []

    def record(sender, schema, **kwargs):
        seen.append(schema.schema_name)

    schema_pre_migration.connect(record)
    yield seen
    schema_pre_migration.disconnect(record)


def make_reference_behind():
    run(q("DELETE FROM {} WHERE app = 'kitchen_app'", ("sample", "django_migrations")))


def test_reference_is_a_static_schema_with_default_apps_and_no_routing():
    config = get_config()
    assert config.clone_reference == "sample"
    assert "sample" in [s.schema_name for s in get_static_schemas()]
    assert "sample" in config.reserved_names()
    assert apps_allowed_in("sample", is_dynamic=False) == apps_allowed_in("x", is_dynamic=True)
    assert "sample" not in config.static  # nothing routes to it: no DOMAINS, no URLCONF


def test_a_tenant_cannot_take_the_reference_name(make_tenant):
    with pytest.raises(ValidationError, match="clone reference"):
        make_tenant("sample")


def test_new_tenant_is_cloned_and_gets_the_reference_data(make_tenant, migrations_run):
    # What `runschema loaddata ... -s sample` does: rows written into the reference.
    run(q("INSERT INTO {} (name) VALUES ('From the reference')", ("sample", "tenant_app_category")))
    last_id = one(q("SELECT max(id) FROM {}", ("sample", "tenant_app_category")))
    tenant = make_tenant()
    assert migrations_run == []  # cloned, not migrated
    from tests.tenant_app.models import Category

    with tenant:
        assert Category.objects.filter(name="From the reference").exists()
        # The tenant is a normal schema afterwards: its ids continue after the reference's.
        created = Category.objects.create(name="Mine")
    assert created.pk == last_id + 1
    assert not one(
        q("SELECT count(*) FROM {} WHERE name = 'Mine'", ("sample", "tenant_app_category"))
    )


def test_outdated_reference_falls_back_to_migrations_with_a_warning(make_tenant, migrations_run):
    make_reference_behind()
    run(q("INSERT INTO {} (name) VALUES ('Only in sample')", ("sample", "tenant_app_category")))
    with pytest.warns(ReferenceNotReadyWarning, match="is behind its migrations"):
        tenant = make_tenant()
    assert migrations_run == [tenant.schema_name]
    from tests.tenant_app.models import Category

    with tenant:
        assert not Category.objects.filter(name="Only in sample").exists()
        assert Category.objects.filter(name="Books").exists()  # migrated: seed data ran


def test_missing_reference_falls_back_to_migrations_with_a_warning(make_tenant, migrations_run):
    tenants = {**get_config().public.raw}
    settings_tenants = {
        "public": tenants,
        "default": {**get_config().default.raw, "CLONE_REFERENCE": "absent"},
    }
    with (
        override_settings(TENANTS=settings_tenants),
        pytest.warns(ReferenceNotReadyWarning, match="'absent' does not exist"),
    ):
        tenant = make_tenant()
    assert migrations_run == [tenant.schema_name]


def test_the_fallback_warning_names_the_callers_line_and_the_log_says_how(caplog):
    """The warning points at the line that saved the tenant, not into pgschemas."""
    from tests.shared_app.models import Tenant

    settings_tenants = {
        "public": {**get_config().public.raw},
        "default": {**get_config().default.raw, "CLONE_REFERENCE": "absent"},
    }
    with (
        override_settings(TENANTS=settings_tenants),
        warnings.catch_warnings(record=True) as caught,
    ):
        warnings.simplefilter("always")
        with caplog.at_level("INFO", logger="pgschemas.core.provisioning"):
            tenant = Tenant.objects.create(schema_name="warned_here")  # <- the warning's line
    (warning,) = [w for w in caught if issubclass(w.category, ReferenceNotReadyWarning)]
    assert (warning.filename, warning.lineno) == (__file__, _line_of("<- the warning's line"))
    assert tenant.provisioned_by == "migrations"
    (record,) = [r for r in caplog.records if r.name == "pgschemas.core.provisioning"]
    assert record.getMessage().startswith("Provisioned schema 'warned_here' by migrations in ")
    assert (record.provisioned_schema, record.provisioned_by) == ("warned_here", "migrations")


def _line_of(marker: str) -> int:
    lines = Path(__file__).read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if marker in line and "_line_of" not in line)


def test_readiness_is_read_from_the_database_every_time():
    """A process that saw the reference ready does not keep trusting it."""
    assert reference_status().ready
    run(q("DELETE FROM {} WHERE app = 'kitchen_app'", ("sample", "django_migrations")))
    status = reference_status()
    assert not status.ready
    assert status.missing == (("kitchen_app", "0002_inline_edges"),)


def test_system_check_warns_while_the_reference_is_behind():
    """A database check: run by `check --database default` and `migrate`, like Django's."""
    checked = ["default"]
    assert [m.id for m in run_checks(databases=checked) if m.id.startswith("pgschemas.clone")] == []
    make_reference_behind()
    assert [m for m in run_checks() if m.id == "pgschemas.clone.W001"] == []  # no database asked
    messages = [m for m in run_checks(databases=checked) if m.id == "pgschemas.clone.W001"]
    assert len(messages) == 1
    assert "kitchen_app.0002_inline_edges" in messages[0].msg
    assert "manage.py migrate" in messages[0].hint


def test_system_check_for_a_missing_reference_names_createrefschema_only():
    """`migrate` skips a missing reference, so the hint must not offer it."""
    run(q("DROP SCHEMA {} CASCADE", ("sample",)))  # rolled back with the test
    messages = [m for m in run_checks(databases=["default"]) if m.id == "pgschemas.clone.W001"]
    assert len(messages) == 1
    assert "does not exist" in messages[0].msg
    assert (
        messages[0].hint == "Run `python manage.py createrefschema`; `migrate` does not create it."
    )


def test_system_check_is_silent_without_a_database():
    """`manage.py check` must pass when PostgreSQL is unreachable."""
    env = {**os.environ, "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nowhere"}
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--settings", "tests.settings"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_clone_warning_is_not_emitted_when_ready(make_tenant):
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReferenceNotReadyWarning)
        make_tenant()
