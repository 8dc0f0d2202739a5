"""pgschemas.commands inside the sandbox: runschema, migrate and the example command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_migrate_command_is_pgschemas() -> None:
    from pgschemas.commands.checks import check_migrate_command

    assert check_migrate_command() == []


def test_example_tenant_command(make_tenant: Any) -> None:
    from tenant_app.models import Product

    acme = make_tenant("acme")
    make_tenant("zen")
    with acme:
        Product.objects.create(name="chair")
    out = StringIO()
    call_command("productcount", "-s", ":dynamic:", stdout=out)
    lines = out.getvalue().splitlines()
    assert "[acme] 1 products" in lines
    assert "[zen] 0 products" in lines


def test_runschema_on_static_and_dynamic(make_tenant: Any) -> None:
    make_tenant("acme")
    out = StringIO()
    call_command("runschema", "showmigrations", "tenant_app", "-s", "acme", "-s", "www", stdout=out)
    text = out.getvalue()
    assert "[www] tenant_app" in text and "[acme] tenant_app" in text


def test_noop_migrate_over_all_schemas(make_tenant: Any) -> None:
    make_tenant("acme")
    out, err = StringIO(), StringIO()
    call_command("migrate", stdout=out, stderr=err)
    assert "migrate: succeeded on" in err.getvalue()  # the summary is not data: stderr
    assert "succeeded" not in out.getvalue()
