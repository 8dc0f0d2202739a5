"""django-pgschemas 1.x's documented API, written as an upstream project writes it."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.test import override_settings

import django_pgschemas
from django_pgschemas import Schema, activate, deactivate, get_current_schema, utils
from django_pgschemas.routing.info import DomainInfo, HeadersInfo, SessionInfo
from django_pgschemas.schema import override


def test_top_level_names_and_schema_override() -> None:
    assert set(django_pgschemas.__all__) >= {
        "Schema",
        "activate",
        "activate_public",
        "deactivate",
        "get_current_schema",
    }
    schema = Schema.create("www", routing=DomainInfo(domain="www.example.com"))
    activate(schema)
    try:
        assert get_current_schema() is schema
        assert (schema.domain, schema.folder) == ("www.example.com", "")
        with override(Schema.create("sample", routing=HeadersInfo("sample"))):
            assert get_current_schema().routing == HeadersInfo(reference="sample")
        assert get_current_schema() is schema
    finally:
        deactivate()
    assert Schema.create("www", SessionInfo("w")).routing == SessionInfo(reference="w")


def _contenttypes_in_www() -> dict[str, Any]:
    tenants = copy.deepcopy(settings.TENANTS)
    tenants["www"]["APPS"] = [*tenants["www"]["APPS"], "django.contrib.contenttypes"]
    return tenants


@pytest.mark.django_db  # pgschemas-clone's check looks at the reference schema
def test_upstream_check_ids_silence_the_same_condition() -> None:
    with override_settings(TENANTS=_contenttypes_in_www()):
        assert "pgschemas.E009" in {m.id for m in run_checks()}
    # django-pgschemas' documented tip for the same condition.
    with override_settings(
        TENANTS=_contenttypes_in_www(), SILENCED_SYSTEM_CHECKS=["pgschemas.W002"]
    ):
        assert "pgschemas.E009" not in {m.id for m in run_checks()}


def test_utils_names_upstream_documents() -> None:
    assert utils.remove_www("www.example.com") == "example.com"
    assert utils.remove_www("example.com") == "example.com"
    assert utils.is_valid_identifier("acme") and not utils.is_valid_identifier("pg_acme")
    assert utils.quote_schema_name("acme") == '"acme"'
    with pytest.raises(Exception, match="www"):
        utils.check_schema_name_not_reserved("www")  # a static tenant's name
    utils.check_schema_name_not_reserved("acme")


def test_tenant_name_validator_is_cores_so_upstream_migrations_need_no_alter_field() -> None:
    """An upstream project's migrations name ``check_schema_name_not_reserved`` as the
    validator of ``schema_name``; Django compares validators by identity."""
    from django_pgschemas.utils import check_schema_name_not_reserved
    from pgschemas.core.models import validate_tenant_schema_name

    assert check_schema_name_not_reserved is validate_tenant_schema_name
    assert utils.check_schema_name_not_reserved is validate_tenant_schema_name


@pytest.mark.django_db
def test_dynamic_models_exist_and_create_or_clone_schema() -> None:
    from tests.customers.models import Product

    assert utils.dynamic_models_exist() is True
    assert utils.create_or_clone_schema("made_by_utils", verbosity=0) is True
    assert utils.create_or_clone_schema("made_by_utils") is False
    with Schema("made_by_utils", is_dynamic=True):
        assert Product.objects.count() == 0
    utils.drop_schema("made_by_utils")


def test_1x_parallel_setting_name_sets_the_worker_limit(settings: Any) -> None:
    """django-pgschemas 1.x documents PGSCHEMAS_PARALLEL_MAX_THREADS."""
    from pgschemas.commands.executors import max_workers

    settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = None
    settings.PGSCHEMAS_PARALLEL_MAX_THREADS = 3
    assert max_workers() == 3
    settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = 2  # the new name wins
    assert max_workers() == 2
    settings.PGSCHEMAS_PARALLEL_MAX_PROCESSES = None
    settings.PGSCHEMAS_PARALLEL_MAX_THREADS = "many"
    with pytest.raises(Exception, match="PGSCHEMAS_PARALLEL_MAX_THREADS must be a positive"):
        max_workers()
