from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from pgschemas.core import ddl, signals
from pgschemas.core.provisioning import register_provisioner, unregister_provisioner


@pytest.mark.django_db
def test_creating_a_tenant_creates_and_migrates_its_schema(make_tenant: Any) -> None:
    from tests.tenant_app.models import Item

    tenant = make_tenant("acme")
    assert ddl.schema_exists("acme")
    with tenant:
        Item.objects.create(name="widget")
        assert connection.introspection.table_names() == sorted(
            [
                "auth_group",
                "auth_group_permissions",
                "auth_permission",
                "auth_user",
                "auth_user_groups",
                "auth_user_user_permissions",
                "django_migrations",
                "graph_app_branch",
                "graph_app_bud",
                "graph_app_census",
                "graph_app_leaf",
                "graph_app_root",
                "graph_app_twig",
                "graph_app_twig_roots",
                "tenant_app_item",
            ]
        )


class Named:
    """A provisioner that creates and migrates the schema and says so in its own words."""

    def provision(self, tenant: Any, *, verbosity: int = 0) -> str:
        from pgschemas.core.migration import migrate_schema

        ddl.create_schema(tenant.schema_name, using=tenant.db_alias, if_not_exists=False)
        migrate_schema(tenant)
        return "fixture import"


@pytest.mark.django_db
def test_how_a_tenant_was_provisioned_is_logged_and_kept_on_the_instance(
    make_tenant: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from tests.shared_app.models import Tenant

    caplog.set_level("INFO", logger="pgschemas.core.provisioning")
    assert make_tenant("migrated").provisioned_by == "migrations"
    provisioner = Named()
    register_provisioner(provisioner)
    try:
        assert make_tenant("imported").provisioned_by == "fixture import"
    finally:
        unregister_provisioner(provisioner)
    records = [r for r in caplog.records if r.name == "pgschemas.core.provisioning"]
    assert [(r.provisioned_schema, r.provisioned_by) for r in records] == [  # type: ignore[attr-defined]
        ("migrated", "migrations"),
        ("imported", "fixture import"),
    ]
    assert records[0].getMessage().startswith("Provisioned schema 'migrated' by migrations in ")
    assert Tenant.objects.get(schema_name="migrated").provisioned_by is None  # not this one's doing


class Boom(Exception):
    pass


class FailingProvisioner:
    def provision(self, tenant: Any, *, verbosity: int = 0) -> str:
        from pgschemas.core.migration import migrate_schema

        ddl.create_schema(tenant.schema_name, using=tenant.db_alias, if_not_exists=False)
        migrate_schema(tenant)  # real DDL happens, then the failure
        raise Boom(tenant.schema_name)


@pytest.mark.django_db(transaction=True)
def test_failed_provisioning_leaves_neither_schema_nor_row() -> None:
    from tests.shared_app.models import Tenant

    provisioner = FailingProvisioner()
    register_provisioner(provisioner)
    try:
        with pytest.raises(Boom):
            Tenant.objects.create(schema_name="doomed")
    finally:
        unregister_provisioner(provisioner)
    assert not ddl.schema_exists("doomed")
    assert not Tenant.objects.filter(schema_name="doomed").exists()


class Observing:
    """Declines every tenant, noting whether its schema existed when it was asked."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, bool]] = []

    def provision(self, tenant: Any, *, verbosity: int = 0) -> None:
        self.seen.append((tenant.schema_name, ddl.schema_exists(tenant.schema_name)))
        return None


@pytest.mark.django_db
def test_a_provisioner_gets_a_free_name_and_declining_falls_through_to_migrations(
    make_tenant: Any,
) -> None:
    from tests.tenant_app.models import Item

    observing = Observing()
    register_provisioner(observing)
    try:
        tenant = make_tenant("fresh")
    finally:
        unregister_provisioner(observing)
    assert observing.seen == [("fresh", False)]  # asked before anything created the schema
    assert tenant.provisioned_by == "migrations"
    with tenant:
        Item.objects.create(name="migrated")


class Untyped:
    """Answers True, as provisioners of the old contract did."""

    def provision(self, tenant: Any, *, verbosity: int = 0) -> Any:
        ddl.create_schema(tenant.schema_name, using=tenant.db_alias, if_not_exists=False)
        return True


@pytest.mark.django_db(transaction=True)
def test_an_answer_outside_the_contract_is_refused_naming_the_provisioner() -> None:
    from tests.shared_app.models import Tenant

    provisioner = Untyped()
    register_provisioner(provisioner)
    try:
        with pytest.raises(TypeError, match=r"Provisioner <.*Untyped.*> returned True"):
            Tenant.objects.create(schema_name="untyped")
    finally:
        unregister_provisioner(provisioner)
    assert not ddl.schema_exists("untyped")
    assert not Tenant.objects.filter(schema_name="untyped").exists()


@pytest.mark.django_db
def test_signals_fire_in_order(make_tenant: Any) -> None:
    events: list[str] = []

    def record(name: str) -> Any:
        def receiver(sender: Any, tenant: Any, **kwargs: Any) -> None:
            exists = "exists" if ddl.schema_exists(tenant.schema_name) else "absent"
            events.append(f"{name}:{tenant.schema_name}:{exists}")

        return receiver

    receivers = {
        signals.dynamic_tenant_needs_sync: record("needs_sync"),
        signals.dynamic_tenant_post_sync: record("post_sync"),
        signals.dynamic_tenant_pre_drop: record("pre_drop"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver)
    try:
        tenant = make_tenant("signalled")
        tenant.delete()
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver)
    assert events == [
        "post_sync:signalled:exists",
        "pre_drop:signalled:exists",
    ]
    assert not ddl.schema_exists("signalled")


@pytest.mark.django_db
def test_queryset_delete_drops_schemas(make_tenant: Any) -> None:
    from tests.shared_app.models import Tenant

    make_tenant("qs_one")
    make_tenant("qs_two")
    deleted, per_model = Tenant.objects.filter(schema_name__startswith="qs_").delete()
    assert deleted == 2
    assert per_model == {"shared_app.Tenant": 2}
    assert not ddl.schema_exists("qs_one") and not ddl.schema_exists("qs_two")


@pytest.mark.django_db
def test_auto_drop_off_keeps_the_schema(make_tenant: Any, monkeypatch: Any) -> None:
    from tests.shared_app.models import Tenant

    tenant = make_tenant("kept")
    monkeypatch.setattr(Tenant, "auto_drop_schema", False)
    tenant.delete()
    assert ddl.schema_exists("kept")


@pytest.mark.django_db
def test_auto_create_off_creates_no_schema(monkeypatch: Any) -> None:
    from tests.shared_app.models import Tenant

    monkeypatch.setattr(Tenant, "auto_create_schema", False)
    told: list[str] = []

    def build_it_yourself(sender: Any, tenant: Any, **kwargs: Any) -> None:
        told.append(tenant.schema_name)

    signals.dynamic_tenant_needs_sync.connect(build_it_yourself)
    try:
        tenant = Tenant.objects.create(schema_name="rowonly")
        tenant.save()  # not new: nothing more to say
    finally:
        signals.dynamic_tenant_needs_sync.disconnect(build_it_yourself)
    assert not ddl.schema_exists("rowonly")
    assert told == ["rowonly"]  # the project's hook to build the schema (as in 1.x)


@pytest.mark.django_db
def test_saving_a_tenant_whose_schema_is_missing_creates_it(
    make_tenant: Any, monkeypatch: Any
) -> None:
    from tests.shared_app.models import Tenant
    from tests.tenant_app.models import Item

    monkeypatch.setattr(Tenant, "auto_create_schema", False)
    tenant = Tenant.objects.create(schema_name="late")
    tenant.save()  # auto_create_schema off: still no schema
    assert not ddl.schema_exists("late")
    monkeypatch.setattr(Tenant, "auto_create_schema", True)
    tenant.save()
    with tenant:
        Item.objects.create(name="migrated")
    ddl.drop_schema("late")
    tenant.save()  # dropped behind its back: saved again, created again
    with tenant:
        assert Item.objects.count() == 0


@pytest.mark.django_db
def test_schema_name_cannot_change_on_save_but_rename_works(make_tenant: Any) -> None:
    from tests.tenant_app.models import Item

    tenant = make_tenant("before")
    with tenant:
        Item.objects.create(name="survives")
    tenant.schema_name = "after"
    with pytest.raises(ValidationError, match="rename_schema"):
        tenant.save()
    tenant.schema_name = "before"
    tenant.rename_schema("after")
    assert ddl.schema_exists("after") and not ddl.schema_exists("before")
    with tenant:
        assert Item.objects.get().name == "survives"


@pytest.mark.django_db
def test_duplicate_schema_name_is_refused_without_half_state(make_tenant: Any) -> None:
    from django.db import IntegrityError, transaction

    from tests.shared_app.models import Tenant

    make_tenant("twin")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tenant.objects.create(schema_name="twin")
    assert Tenant.objects.filter(schema_name="twin").count() == 1


@pytest.mark.django_db
def test_receivers_connected_for_the_abstract_tenant_model_hear_every_tenant(
    make_tenant: Any,
) -> None:
    """Projects written for django-pgschemas 1.x connect with ``sender=TenantModel``."""
    from pgschemas.core.models import TenantModel
    from tests.shared_app.models import Tenant

    heard: list[tuple[str, str]] = []

    def by_base(sender: type, tenant: Any, **kwargs: Any) -> None:
        heard.append(("base", tenant.schema_name))

    def by_model(sender: type, tenant: Any, **kwargs: Any) -> None:
        heard.append(("model", tenant.schema_name))

    def by_anyone(sender: type, tenant: Any, **kwargs: Any) -> None:
        heard.append(("anyone", tenant.schema_name))

    signals.dynamic_tenant_post_sync.connect(by_base, sender=TenantModel)
    signals.dynamic_tenant_post_sync.connect(by_model, sender=Tenant)
    signals.dynamic_tenant_post_sync.connect(by_anyone)
    try:
        make_tenant("heard_once")
        assert sorted(heard) == [
            ("anyone", "heard_once"),
            ("base", "heard_once"),
            ("model", "heard_once"),
        ]
        assert signals.dynamic_tenant_post_sync.disconnect(by_base, sender=TenantModel)
        heard.clear()
        make_tenant("heard_twice")
        assert sorted(heard) == [("anyone", "heard_twice"), ("model", "heard_twice")]
    finally:
        signals.dynamic_tenant_post_sync.disconnect(by_base, sender=TenantModel)
        signals.dynamic_tenant_post_sync.disconnect(by_model, sender=Tenant)
        signals.dynamic_tenant_post_sync.disconnect(by_anyone)


def test_a_base_sender_receiver_ignores_other_senders() -> None:
    from django.contrib.auth.models import AbstractUser

    from pgschemas.core.models import TenantModel

    heard: list[object] = []

    def receiver(sender: object, **kwargs: Any) -> None:
        heard.append(sender)

    signals.dynamic_tenant_pre_drop.connect(receiver, sender=TenantModel, weak=False)
    try:
        signals.dynamic_tenant_pre_drop.send(sender=AbstractUser, tenant=None)
        signals.dynamic_tenant_pre_drop.send(sender=object, tenant=None)
        assert heard == []
    finally:
        signals.dynamic_tenant_pre_drop.disconnect(receiver, sender=TenantModel)
