"""createtenant, deletetenant, renametenant and listtenants as an operator runs them."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pgschemas.commands.lifecycle import Cancelled
from pgschemas.core import ddl
from tests.shared_app.models import Domain, Tenant

pytestmark = pytest.mark.django_db


def run(command: str, *args: str, stdin: Any = None, **options: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    if stdin is not None:
        options["stdin"] = stdin
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


class CtrlC(StringIO):
    """A terminal whose user presses Ctrl-C at the prompt."""

    def readline(self, *args: Any) -> str:
        raise KeyboardInterrupt


def nothing_created(name: str) -> bool:
    return not Tenant.objects.filter(schema_name=name).exists() and not ddl.schema_exists(name)


def test_createtenant_with_options() -> None:
    out, _ = run(
        "createtenant", "acme", "--domain", "acme.example.com/shop", "--name", "Acme", "--noinput"
    )
    assert out == "Created tenant acme at acme.example.com/shop\n"
    tenant = Tenant.objects.get(schema_name="acme")
    assert tenant.name == "Acme"
    assert list(Domain.objects.filter(tenant=tenant).values_list("domain", "folder")) == [
        ("acme.example.com", "shop")
    ]
    from tests.tenant_app.models import Item

    with tenant:
        Item.objects.create(name="ready")  # the schema has its tables


def test_createtenant_says_how_the_schema_was_built_at_verbosity_2_and_nothing_at_0() -> None:
    out, err = run("createtenant", "loud", "--noinput", verbosity=2)
    assert out.splitlines() == ["Created tenant loud", "Schema 'loud' provisioned by migrations"]
    assert Tenant.objects.get(schema_name="loud").provisioned_by is None  # a fresh instance
    out, err = run("createtenant", "quiet", "--noinput", verbosity=0)
    assert (out, err) == ("", "")
    assert ddl.schema_exists("quiet")


def test_createtenant_stores_the_domain_as_routing_compares_it() -> None:
    out, _ = run("createtenant", "shouty", "--domain", "Shouty.Example.COM./Shop", "--noinput")
    assert out == "Created tenant shouty at shouty.example.com/Shop\n"
    assert list(
        Domain.objects.filter(tenant__schema_name="shouty").values_list("domain", "folder")
    ) == [("shouty.example.com", "Shop")]


def test_createtenant_prompts_on_stderr_and_keeps_stdout_for_the_result() -> None:
    out, err = run("createtenant", stdin=StringIO("prompted\nprompted.example.com\n"))
    assert out == "Created tenant prompted at prompted.example.com\n"
    assert "Schema name: " in err and "Domain" in err
    assert Domain.objects.get(tenant__schema_name="prompted").domain == "prompted.example.com"


@pytest.mark.parametrize("stdin", [StringIO(""), StringIO("half\n"), CtrlC()])
def test_createtenant_interrupted_prompt_creates_nothing(stdin: Any) -> None:
    with pytest.raises(Cancelled, match="nothing was changed"):
        run("createtenant", stdin=stdin)
    assert nothing_created("half")
    assert not Tenant.objects.exists()


def test_createtenant_without_name_and_noinput_says_what_is_missing() -> None:
    with pytest.raises(CommandError, match="No schema name given and --noinput"):
        run("createtenant", "--noinput")


def test_createtenant_refuses_a_taken_name(tenant_factory: Any) -> None:
    tenant_factory("taken")
    with pytest.raises(CommandError, match="'taken' is taken by an existing tenant"):
        run("createtenant", "taken", "--noinput")
    assert Tenant.objects.filter(schema_name="taken").count() == 1


def test_createtenant_refuses_the_name_of_a_schema_that_is_not_a_tenant() -> None:
    ddl.create_schema("stray")
    with pytest.raises(CommandError, match="'stray' is taken: a schema with that name already"):
        run("createtenant", "stray", "--noinput")
    assert not Tenant.objects.filter(schema_name="stray").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [("Bad-Name", "Bad-Name"), ("pg_evil", "pg_evil"), ("www", "static tenant")],
)
def test_createtenant_refuses_invalid_names(name: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("createtenant", name, "--noinput")
    assert not Tenant.objects.filter(schema_name=name).exists()


def test_createtenant_folder_without_domain_creates_nothing() -> None:
    with pytest.raises(CommandError, match="--folder needs --domain"):
        run("createtenant", "lonely", "--folder", "x", "--noinput")
    assert nothing_created("lonely")


def test_deletetenant_noinput_drops_as_the_model_says(tenant_factory: Any) -> None:
    tenant = tenant_factory("doomed", domain="doomed.example.com")
    out, _ = run("deletetenant", "doomed", "--noinput")
    assert out == "Deleted tenant doomed and its schema\n"  # auto_drop_schema = True here
    assert nothing_created("doomed")
    assert not Domain.objects.filter(tenant_id=tenant.pk).exists()


def test_deletetenant_asks_first(tenant_factory: Any) -> None:
    tenant_factory("kept")
    with pytest.raises(CommandError, match="'kept' not deleted"):
        run("deletetenant", "kept", stdin=StringIO("no\n"))
    with pytest.raises(Cancelled, match="nothing was changed"):
        run("deletetenant", "kept", stdin=StringIO(""))
    with pytest.raises(Cancelled, match="nothing was changed"):
        run("deletetenant", "kept", stdin=CtrlC())
    assert Tenant.objects.filter(schema_name="kept").exists() and ddl.schema_exists("kept")
    _, err = run("deletetenant", "kept", stdin=StringIO("yes\n"))
    assert "DROP its schema" in err
    assert nothing_created("kept")


@pytest.mark.parametrize("command", ["deletetenant", "renametenant"])
def test_unknown_tenant_is_a_clear_error(command: str) -> None:
    args = ("ghost", "spirit") if command == "renametenant" else ("ghost", "--noinput")
    with pytest.raises(CommandError, match="Unknown tenant 'ghost'; listtenants"):
        run(command, *args)


def test_static_tenant_is_not_a_row() -> None:
    with pytest.raises(CommandError, match="'www' is a static tenant"):
        run("deletetenant", "www", "--noinput")


def test_renametenant_renames_schema_and_row(tenant_factory: Any) -> None:
    tenant = tenant_factory("before")
    out, _ = run("renametenant", "before", "after")
    assert out == "Renamed tenant before to after\n"
    assert Tenant.objects.get(pk=tenant.pk).schema_name == "after"
    assert ddl.schema_exists("after") and not ddl.schema_exists("before")


@pytest.mark.parametrize(("new", "message"), [("other", "taken"), ("Bad Name", "Bad Name")])
def test_renametenant_refuses_bad_new_names(tenant_factory: Any, new: str, message: str) -> None:
    tenant_factory("stays")
    tenant_factory("other")
    with pytest.raises(CommandError, match=message):
        run("renametenant", "stays", new)
    assert ddl.schema_exists("stays") and Tenant.objects.filter(schema_name="stays").exists()


def test_listtenants_table_and_json(tenant_factory: Any) -> None:
    tenant_factory("beta", name="Beta")
    tenant_factory("alpha", domain="alpha.example.com", name="Alpha")
    out, _ = run("listtenants")
    lines = out.splitlines()
    assert lines[0].split() == ["schema_name", "domains", "name"]
    assert lines[1].split() == ["alpha", "alpha.example.com", "Alpha"]
    assert lines[2].split() == ["beta", "Beta"]
    out, _ = run("listtenants", "--json")
    assert json.loads(out) == [
        {"schema_name": "alpha", "domains": ["alpha.example.com"], "name": "Alpha"},
        {"schema_name": "beta", "domains": [], "name": "Beta"},
    ]


def test_listtenants_without_tenants_keeps_stdout_parseable() -> None:
    out, err = run("listtenants", "--json")
    assert json.loads(out) == []
    out, err = run("listtenants")
    assert out.split() == ["schema_name", "domains", "name"]
    assert "No dynamic tenants" in err
