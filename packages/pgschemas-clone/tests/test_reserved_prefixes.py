"""The names of spares and reference builds are reserved: no tenant can be named like them."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from pgschemas.clone.rebuild import BUILD_PREFIX
from pgschemas.clone.spares import SPARE_PREFIX, list_spares
from pgschemas.core.config import get_config

from .helpers import schema_exists
from .shared_app.models import Tenant

pytestmark = pytest.mark.django_db

SPARE_LIKE = SPARE_PREFIX + "0123456789abcdef"
BUILD_LIKE = BUILD_PREFIX + "0123456789abcdef"


def refusal(prefix: str) -> str:
    """The part of the error that names the prefix and who owns it."""
    return f"the '{prefix}' prefix is reserved for schemas pgschemas.clone manages"


@pytest.mark.parametrize(
    ("prefix", "schema_name"), [(SPARE_PREFIX, SPARE_LIKE), (BUILD_PREFIX, BUILD_LIKE)]
)
def test_a_tenant_cannot_be_named_like_a_spare_or_a_build(prefix: str, schema_name: str) -> None:
    with pytest.raises(ValidationError, match=refusal(prefix)) as raised:
        Tenant.objects.create(schema_name=schema_name)
    assert schema_name in str(raised.value)
    assert not Tenant.objects.filter(schema_name=schema_name).exists()
    assert not schema_exists(schema_name)

    with pytest.raises(ValidationError) as cleaned:
        Tenant(schema_name=schema_name).full_clean()
    assert refusal(prefix) in str(cleaned.value.message_dict["schema_name"])


def test_a_tenant_cannot_be_renamed_like_a_spare(make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    with pytest.raises(ValidationError, match=refusal(SPARE_PREFIX)):
        tenant.rename_schema(SPARE_LIKE)
    assert schema_exists(tenant.schema_name) and not schema_exists(SPARE_LIKE)


@pytest.mark.parametrize("create_tenant", [False, True])
def test_cloneschema_refuses_a_reserved_destination(create_tenant: bool) -> None:
    flags = ["--create-tenant"] if create_tenant else []
    with pytest.raises(
        CommandError, match=f"Invalid schema name '{SPARE_LIKE}': {refusal(SPARE_PREFIX)}"
    ):
        call_command("cloneschema", "sample", SPARE_LIKE, "--noinput", *flags, stdout=io.StringIO())
    assert not schema_exists(SPARE_LIKE)
    assert not Tenant.objects.filter(schema_name=SPARE_LIKE).exists()
    with pytest.raises(CommandError, match=refusal(SPARE_PREFIX)):
        call_command(
            "cloneschema", "sample", SPARE_LIKE, "--dry-run", stdout=io.StringIO()
        )  # asks nothing


def test_a_real_spare_cannot_be_claimed_by_naming_a_tenant_after_it() -> None:
    config = get_config()
    assert config.default is not None
    tenants = {
        "public": dict(config.public.raw),
        "default": {**config.default.raw, "CLONE_SPARES": 1},
    }
    with override_settings(TENANTS=tenants):
        call_command("clonespares", verbosity=0)
        (spare,) = list_spares()
        with pytest.raises(ValidationError, match=refusal(SPARE_PREFIX)):
            Tenant.objects.create(schema_name=spare.name)
        assert [s.name for s in list_spares()] == [spare.name]  # still a spare, untouched
        call_command("clonespares", "--count", "0", verbosity=0)
        assert not schema_exists(spare.name)
