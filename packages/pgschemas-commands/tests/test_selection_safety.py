"""A selector that is not a schema name never silently writes to the schema it guessed.

The user's report: tenant ``acme`` was deleted, ``runschema flush -s acme`` then matched
``acmecorp`` by domain prefix and emptied it.
"""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.test_executors_and_base import _env, _pty_run


def item_names(tenant: Any) -> list[str]:
    from tests.tenant_app.models import Item

    with tenant:
        return sorted(Item.objects.values_list("name", flat=True))


def run(command: str, *args: str, **options: Any) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def make_corp(make: Any) -> Any:
    """``acme`` and ``acmecorp`` with domains and rows; then ``acme`` is deleted."""
    from tests.shared_app.models import Domain
    from tests.tenant_app.models import Item

    acme, corp = make("acme"), make("acmecorp")
    Domain.objects.create(tenant=acme, domain="acme.example.com")
    Domain.objects.create(tenant=corp, domain="acmecorp.example.com")
    with corp:
        Item.objects.create(name="invoice")
    acme.delete(force_drop=True)
    return corp


@pytest.mark.django_db
def test_flush_of_a_deleted_tenant_with_noinput_is_refused(make_tenant: Any) -> None:
    corp = make_corp(make_tenant)
    with pytest.raises(CommandError) as info:
        run("runschema", "flush", "-s", "acme", "--noinput")
    message = str(info.value)
    assert "selector 'acme' is not the name of a schema" in message
    assert "'acmecorp' by domain prefix (acmecorp.example.com)" in message
    assert "--noinput was passed" in message
    assert "-s acmecorp" in message
    assert item_names(corp) == ["invoice"]


@pytest.mark.django_db
def test_prefix_match_without_a_terminal_is_refused(make_tenant: Any) -> None:
    corp = make_corp(make_tenant)
    with pytest.raises(CommandError, match="stdin is not a terminal"):
        run("runschema", "flush", "-s", "acme")  # interactive, but nobody to ask
    with pytest.raises(CommandError, match="Refusing to run migrate"):
        run("migrate", "-s", "acme", "--noinput")
    with pytest.raises(CommandError, match="Refusing to run whereami"):
        run("whereami", "-s", "acme", "--noinput")
    assert item_names(corp) == ["invoice"]


@pytest.mark.django_db
def test_exact_selectors_are_unchanged_and_not_announced(make_tenant: Any) -> None:
    corp = make_corp(make_tenant)
    _, err = run("runschema", "flush", "-s", "acmecorp", "--noinput")
    assert err == ""
    assert item_names(corp) == []


@pytest.mark.django_db
def test_full_domain_runs_and_names_the_schema_on_stderr(make_tenant: Any) -> None:
    corp = make_corp(make_tenant)
    out, err = run("runschema", "flush", "-s", "acmecorp.example.com", "--noinput")
    assert "Selector 'acmecorp.example.com' -> schema 'acmecorp' (domain of " in err
    assert "acmecorp.example.com" not in out
    assert item_names(corp) == []


@pytest.mark.django_db
def test_read_only_commands_only_announce_a_prefix_match(make_tenant: Any) -> None:
    make_corp(make_tenant)
    out, err = run("whowill", "-s", "acme", "--noinput")
    assert out.split() == ["acmecorp"]  # stdout stays data
    assert err.strip() == (
        "Selector 'acme' -> schema 'acmecorp' (domain prefix of acmecorp.example.com)."
    )
    out, err = run("runschema", "dumpdata", "tenant_app", "-s", "acme", "--noinput")
    assert "invoice" in out and "domain prefix" in err


@pytest.mark.django_db
def test_exclusions_by_prefix_are_announced(make_tenant: Any) -> None:
    make_corp(make_tenant)
    out, err = run("whowill", "-s", ":dynamic:", "-x", "acme")
    assert "acmecorp" not in out.split()
    assert "Exclude selector 'acme' -> schema 'acmecorp' (domain prefix" in err


@pytest.mark.django_db(transaction=True)
def test_on_a_terminal_no_answer_cancels(committed_tenants: Any) -> None:
    corp = make_corp(committed_tenants)
    output = _pty_run(["runschema", "flush", "-s", "acme"], "n", _env(), prompt=b"[y/N]")
    assert "Selector 'acme' is not a schema name; it matched acmecorp by domain prefix." in output
    assert "Run flush on acmecorp? [y/N]" in output
    assert "Cancelled: flush was not run (selector 'acme')." in output
    assert item_names(corp) == ["invoice"]


@pytest.mark.django_db(transaction=True)
def test_on_a_terminal_yes_runs_on_the_match(committed_tenants: Any) -> None:
    make_corp(committed_tenants)
    output = _pty_run(["runschema", "whereami", "-s", "acme"], "y", _env(), prompt=b"[y/N]")
    assert "Run whereami on acmecorp? [y/N]" in output
    assert "\nactive=acmecorp dynamic\n" in output  # one schema: unprefixed
