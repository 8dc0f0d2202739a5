"""Tenants on the cluster: created by migrations, by clone and from spare clones; migrate,
runschema, routing by domain and folder, cache keys, channels, spread over the workers."""

from __future__ import annotations

import io
import json
import os
import warnings
from collections import Counter

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils.module_loading import import_string

from pgschemas.clone.provisioning import provisioner as clone_provisioner
from pgschemas.clone.spares import list_spares
from pgschemas.core import Schema
from pgschemas.core.provisioning import register_provisioner, unregister_provisioner
from pgschemas.core.signals import schema_pre_migration

from .conftest import is_distributed_schema, node_of, sql, workers


def _rows(schema: str, table: str) -> int:
    return int(sql(f'SELECT count(*) FROM "{schema}"."{table}"')[0][0])


def _same_rows_as_the_reference(schema: str) -> None:
    """The clone copied the reference's rows (they live on a worker, not the coordinator)."""
    for table in ("django_migrations", "auth_permission"):
        expected = _rows("sample", table)
        assert expected > 0
        assert _rows(schema, table) == expected, table


def _whoami(host: str, path: str = "/whoami/") -> str:
    response = Client().get(path, HTTP_HOST=host)
    assert response.status_code == 200, (host, path, response.status_code)
    return response.content.decode()


def test_a_tenant_created_by_migrations_is_a_distributed_schema(tenants):
    migrated: list[str] = []

    def seen(sender, schema, **kwargs):
        migrated.append(schema.schema_name)

    schema_pre_migration.connect(seen, dispatch_uid="citus-migrations")
    unregister_provisioner(clone_provisioner)
    try:
        tenant = tenants("cz_migrated")
    finally:
        register_provisioner(clone_provisioner)
        schema_pre_migration.disconnect(dispatch_uid="citus-migrations")
    assert migrated == ["cz_migrated"]
    assert is_distributed_schema("cz_migrated")
    assert node_of("cz_migrated") in workers()
    assert _whoami("cz-migrated.localhost") == (
        f"tenant={tenant.schema_name} schema=cz_migrated db=cz_migrated"
    )


def test_a_tenant_cloned_from_the_reference_is_a_distributed_schema(tenants):
    call_command("clonespares", "--count", "0", verbosity=0)  # no spare: a real clone
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a ReferenceNotReadyWarning would mean "migrated"
        tenants("cz_cloned")
    assert is_distributed_schema("cz_cloned")
    _same_rows_as_the_reference("cz_cloned")
    assert node_of("cz_cloned") in workers()
    from tenant_app.models import Product

    with Schema.create("cz_cloned"):
        Product.objects.create(name="only in cz_cloned")
        assert Product.objects.count() == 1


def test_a_tenant_made_from_a_spare_clone_is_a_distributed_schema(tenants):
    call_command("createrefschema", verbosity=0)
    spares = {spare.name for spare in list_spares()}
    assert len(spares) == 2 and all(is_distributed_schema(name) for name in spares)
    tenants("cz_spare")
    assert (
        len(spares - {spare.name for spare in list_spares()}) == 1
    )  # one spare was renamed into the tenant
    assert is_distributed_schema("cz_spare")
    _same_rows_as_the_reference("cz_spare")
    assert node_of("cz_spare") in workers()
    assert "db=cz_spare" in _whoami("cz-spare.localhost")


def test_migrate_applies_pending_migrations_on_every_worker(tenants):
    names = [f"cz_pending_{i}" for i in range(4)]
    for name in names:
        tenants(name)
    from tenant_app.models import Product

    call_command("migrate", "tenant_app", "zero", schemas=names, interactive=False, verbosity=0)
    for name in names:
        assert sql("SELECT to_regclass(%s)", [f"{name}.tenant_app_product"])[0][0] is None
    call_command("migrate", schemas=[":dynamic:"], interactive=False, verbosity=0)
    for name in names:
        assert sql("SELECT to_regclass(%s)", [f"{name}.tenant_app_product"])[0][0] is not None
        node_of(name)  # the new table joined its schema's worker (one node per schema)
        with Schema.create(name):
            Product.objects.create(name=f"made in {name}")
            assert list(Product.objects.values_list("name", flat=True)) == [f"made in {name}"]


def test_runschema_runs_a_tenant_command_on_each_tenant(tenants):
    for name in ("cz_run_a", "cz_run_b"):
        tenants(name)
    out = io.StringIO()
    call_command("runschema", "productcount", schemas=["cz_run_a", "cz_run_b"], stdout=out)
    assert out.getvalue().count("0 products") == 2, out.getvalue()


def test_routing_by_domain_and_folder(tenants):
    tenants("cz_domain")
    tenants("cz_folder", folder="cz-folder")
    assert _whoami("cz-domain.localhost") == "tenant=cz_domain schema=cz_domain db=cz_domain"
    assert (
        _whoami("tenants.localhost", "/cz-folder/whoami/")
        == "tenant=cz_folder schema=cz_folder db=cz_folder"
    )
    response = Client().get("/whoami/", HTTP_HOST="nobody.localhost")
    assert response.status_code == 404


def test_cache_keys_stay_per_tenant(tenants):
    cache.clear()
    tenants("cz_cache_a")
    tenants("cz_cache_b")
    assert Client().get("/visits/", HTTP_HOST="cz-cache-a.localhost").status_code == 200
    second_a = Client().get("/visits/", HTTP_HOST="cz-cache-a.localhost").content.decode()
    first_b = Client().get("/visits/", HTTP_HOST="cz-cache-b.localhost").content.decode()
    assert second_a == "visits=2 schema=cz_cache_a"
    assert first_b == "visits=1 schema=cz_cache_b"


def test_tenants_spread_over_both_workers(tenants):
    count = int(os.environ.get("PGSCHEMAS_CITUS_TENANTS", "20"))
    names = [f"cz_many_{i:04d}" for i in range(count)]
    for name in names:
        tenants(name)
    per_worker = Counter(node_of(name) for name in names)
    print(f"\n{count} tenants per worker: {dict(per_worker)}")
    assert set(per_worker) == set(workers())


def test_channels_route_a_websocket_to_its_tenant(tenants):
    tenants("cz_ws")
    application = import_string(settings.ASGI_APPLICATION)

    async def talk() -> dict[str, object]:
        communicator = WebsocketCommunicator(
            application, "/ws/echo/", headers=[(b"host", b"cz-ws.localhost")]
        )
        connected, _ = await communicator.connect()
        assert connected
        await communicator.send_to(text_data="hello")
        reply = json.loads(await communicator.receive_from())
        await communicator.disconnect()
        return reply

    assert async_to_sync(talk)() == {
        "tenant": "cz_ws",
        "schema": "cz_ws",
        "notes": 0,
        "echo": "hello",
    }
