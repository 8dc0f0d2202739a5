from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pgschemas.core import ddl
from pgschemas.core.validation import InvalidSchemaName, check_schema_name, is_valid_schema_name

BAD_NAMES = {
    "Acme": "lowercase",
    "pg_x": "'pg_' prefix is reserved",
    'a"b': "only lowercase ASCII letters, digits and underscores",
    "a;drop schema public": "only lowercase ASCII letters, digits and underscores",
    "x" * 64: "at most 63 bytes",
    "café": "non-ASCII",
    "1abc": "starting with a letter or an underscore",
    "": "cannot be empty",
    "public": "'public' holds shared data",
    "information_schema": "reserved by PostgreSQL",
}


@pytest.mark.parametrize(("name", "rule"), BAD_NAMES.items())
def test_bad_names_are_refused_with_the_rule(name: str, rule: str) -> None:
    with pytest.raises(InvalidSchemaName) as info:
        check_schema_name(name)
    assert rule in str(info.value)
    assert repr(name) in str(info.value)


@pytest.mark.parametrize("name", ["acme", "_private", "tenant_42", "a" * 63])
def test_good_names(name: str) -> None:
    assert check_schema_name(name) == name
    assert is_valid_schema_name(name)


def test_public_is_allowed_where_asked_for() -> None:
    assert check_schema_name("public", allow_public=True) == "public"


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(BAD_NAMES))
def test_bad_tenant_names_send_no_sql(name: str) -> None:
    from tests.shared_app.models import Tenant

    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
        Tenant.objects.create(schema_name=name)
    assert queries.captured_queries == []
    assert not Tenant.objects.filter(schema_name=name).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["Acme", 'x"; DROP SCHEMA public; --', "pg_temp_1"])
def test_ddl_helpers_refuse_bad_names_before_sql(name: str) -> None:
    with CaptureQueriesContext(connection) as queries:
        for helper in (ddl.create_schema, ddl.drop_schema):
            with pytest.raises(InvalidSchemaName):
                helper(name)
    assert queries.captured_queries == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["blog", "public"])
def test_static_and_public_names_are_reserved_for_tenants(name: str) -> None:
    from tests.shared_app.models import Tenant

    with pytest.raises(ValidationError) as info:
        Tenant.objects.create(schema_name=name)
    assert name in str(info.value)
    assert not Tenant.objects.filter(schema_name=name).exists()


@pytest.fixture
def reserved_prefix(monkeypatch: pytest.MonkeyPatch) -> str:
    """A prefix registered the way a package registers its own (forgotten afterwards)."""
    from pgschemas.core import validation

    monkeypatch.setattr(validation, "_reserved_prefixes", dict(validation._reserved_prefixes))
    validation.register_reserved_prefix("acme_managed_", "the acme package")
    return "acme_managed_"


@pytest.mark.django_db
def test_reserved_prefix_is_refused_through_the_orm(reserved_prefix: str) -> None:
    from tests.shared_app.models import Tenant

    name = reserved_prefix + "0123456789abcdef"
    with pytest.raises(ValidationError) as info:
        Tenant(schema_name=name).full_clean()
    assert "'acme_managed_' prefix is reserved for schemas the acme package manages" in str(
        info.value
    )
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError):
        Tenant.objects.create(schema_name=name)
    assert queries.captured_queries == []
    tenant = Tenant.objects.create(schema_name="acme_tenant")
    with pytest.raises(ValidationError):
        tenant.rename_schema(name)
    with pytest.raises(InvalidSchemaName):
        ddl.create_schema(name)


@pytest.mark.django_db
def test_owner_of_a_reserved_prefix_may_use_it(reserved_prefix: str) -> None:
    from pgschemas.core.validation import owning_reserved_prefix

    name = reserved_prefix + "own"
    with owning_reserved_prefix(reserved_prefix):
        ddl.create_schema(name)
        assert ddl.schema_exists(name)
        ddl.drop_schema(name)
    assert not is_valid_schema_name(name)


def test_pg_prefix_cannot_be_owned() -> None:
    from pgschemas.core.validation import owning_reserved_prefix

    with owning_reserved_prefix("pg_"), pytest.raises(InvalidSchemaName, match="PostgreSQL"):
        check_schema_name("pg_mine")
