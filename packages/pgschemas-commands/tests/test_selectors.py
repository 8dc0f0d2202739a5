"""Selectors: every form the spec lists, their order, errors and scopes."""

from __future__ import annotations

from typing import Any

import pytest

from pgschemas.commands.selectors import Scope, SelectorError, resolve_selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenants(make_tenant: Any) -> dict[str, Any]:
    from tests.shared_app.models import Domain

    made = {name: make_tenant(name) for name in ("zeta", "acme", "acorn")}
    Domain.objects.create(tenant=made["acme"], domain="acme.customers.com")
    Domain.objects.create(tenant=made["acorn"], domain="acorn.customers.com")
    Domain.objects.create(tenant=made["zeta"], domain="customers.mydomain.com", folder="client1")
    return made


def names(*include: str, exclude: tuple[str, ...] = (), scope: Scope | None = None) -> list[str]:
    return resolve_selectors(list(include), exclude, scope=scope).names


def test_static_key_reference_and_schema_name(tenants: Any) -> None:
    assert names("www") == ["www"]
    assert names("public") == ["public"]
    assert names("sample") == ["sample"]
    assert names("acme") == ["acme"]


def test_wildcards_and_order(tenants: Any) -> None:
    assert names(":all:") == ["public", "www", "blog", "sample", "acme", "acorn", "zeta"]
    assert names(":static:") == ["public", "www", "blog", "sample"]
    assert names(":dynamic:") == ["acme", "acorn", "zeta"]
    # Order does not depend on the order of the selectors; duplicates collapse.
    assert names("zeta", "www", "public", "www") == ["public", "www", "zeta"]


def test_domain_prefix_static_and_model(tenants: Any) -> None:
    assert names("www.exa") == ["www"]
    assert names("blog.example.org") == ["blog"]
    assert names("acme.cust") == ["acme"]


def test_domain_folder(tenants: Any) -> None:
    assert names("customers.mydomain.com/client1") == ["zeta"]


def test_a_domain_selector_compares_hosts_as_routing_does(tenants: Any) -> None:
    """Case, a trailing dot and a port do not matter in a host (a browser sends any)."""
    from pgschemas.commands.selectors import RULE_DOMAIN, RULE_ROUTE

    assert names("ACME.Customers.COM") == ["acme"]
    assert names("acme.customers.com.") == ["acme"]
    assert names("WWW.example.com:8000") == ["www"]
    assert names("Customers.MyDomain.com./client1") == ["zeta"]
    assert names("ACME.cust") == ["acme"]  # a prefix, lowercased
    selection = resolve_selectors(["Blog.Example.ORG", "CUSTOMERS.mydomain.com/client1"])
    assert [(m.rule, m.via) for m in selection.matches] == [
        (RULE_DOMAIN, ("blog.example.org",)),
        (RULE_ROUTE, ("customers.mydomain.com/client1",)),
    ]
    # Folders are paths: their case counts.
    with pytest.raises(SelectorError):
        names("customers.mydomain.com/CLIENT1")


def test_a_full_domain_is_exact_beside_folder_tenants_and_longer_domains(
    tenants: Any, make_tenant: Any
) -> None:
    # www answers on www.example.com; "beta" lives in a folder of the same host, "gamma" on
    # a longer domain starting with it. The full domain is www's, as routing decides.
    from pgschemas.commands.selectors import RULE_DOMAIN
    from tests.shared_app.models import Domain

    Domain.objects.create(tenant=make_tenant("beta"), domain="www.example.com", folder="beta")
    Domain.objects.create(tenant=make_tenant("gamma"), domain="www.example.com.au")
    selection = resolve_selectors(["www.example.com"])
    assert selection.names == ["www"]
    assert [m.rule for m in selection.matches] == [RULE_DOMAIN]
    assert names("www.example.com/beta") == ["beta"]
    assert names("www.example.com.au") == ["gamma"]
    with pytest.raises(SelectorError, match="ambiguous"):
        names("www.exa")  # a prefix of all three is still a question


def test_ambiguous_prefix_lists_matches(tenants: Any) -> None:
    with pytest.raises(SelectorError) as info:
        names("ac")
    message = str(info.value)
    assert "ambiguous" in message
    assert "acme" in message and "acorn" in message


def test_unknown_suggests_close_names(tenants: Any) -> None:
    with pytest.raises(SelectorError) as info:
        names("acmee")
    assert "acme" in str(info.value).split("Did you mean:")[1]
    with pytest.raises(SelectorError, match="No schema matches"):
        names("nothing-like-it")


def test_exclude(tenants: Any) -> None:
    assert names(":all:", exclude=(":dynamic:", "sample")) == ["public", "www", "blog"]
    assert names(":dynamic:", exclude=("acme.customers.com",)) == ["acorn", "zeta"]


def test_scopes(tenants: Any) -> None:
    static_only = Scope(static=True, dynamic=False)
    assert names(":all:", scope=static_only) == ["public", "www", "blog", "sample"]
    with pytest.raises(SelectorError, match="static schemas only"):
        names("acme", scope=static_only)
    dynamic_only = Scope(static=False, dynamic=True)
    assert names(":all:", scope=dynamic_only) == ["acme", "acorn", "zeta"]
    with pytest.raises(SelectorError, match="dynamic tenants only"):
        names("www", scope=dynamic_only)


def test_whowill_prints_and_creates_nothing(tenants: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    from pgschemas.core import ddl

    ddl.drop_schema("zeta")
    out = StringIO()
    call_command("whowill", "-s", ":dynamic:", "-s", "www", stdout=out)
    assert out.getvalue().split() == ["www", "acme", "acorn", "zeta"]
    assert not ddl.schema_exists("zeta")


@pytest.mark.parametrize(
    ("token", "schema", "rule", "exact"),
    [
        ("acme", "acme", "schema name", True),
        (":dynamic:", None, "wildcard", True),
        ("acme.customers.com", "acme", "domain", True),
        ("customers.mydomain.com/client1", "zeta", "domain/folder", True),
        ("acme.cust", "acme", "domain prefix", False),
        ("www.exa", "www", "domain prefix", False),
        # The host of a tenant that lives in a folder is not that tenant's full address.
        ("customers.mydomain.com", "zeta", "domain prefix", False),
        ("customers.mydomain.com/cli", "zeta", "domain/folder prefix", False),
    ],
)
def test_every_match_says_by_which_rule(
    tenants: Any, token: str, schema: str | None, rule: str, exact: bool
) -> None:
    selection = resolve_selectors([token])
    (match,) = selection.matches
    assert (match.rule, match.exact) == (rule, exact)
    if schema is not None:
        assert [s.schema_name for s in match.schemas] == [schema]
