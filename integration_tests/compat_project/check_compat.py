"""Run inside the wheel-only virtualenv, after migrate/createrefschema/loaddata.

Creates a tenant the documented way and checks what the documentation promises: it is
cloned from the reference, cache keys carry its schema, requests and websockets reach it.
Prints one ``ok:`` line per promise; any failure raises.
"""

import asyncio
import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    django.setup()

    from asgiref.testing import ApplicationCommunicator
    from customers.models import Product
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client
    from django.utils.module_loading import import_string

    from django_pgschemas.cache import make_key
    from django_pgschemas.schema import SchemaDescriptor
    from django_pgschemas.utils import get_domain_model, get_tenant_model, schema_exists

    Tenant = import_string(settings.TENANTS["public"]["TENANT_MODEL"].replace(".", ".models."))
    assert Tenant is get_tenant_model(), (Tenant, get_tenant_model())
    Domain = get_domain_model()

    Tenant.objects.filter(schema_name="acme").delete()
    tenant = Tenant.objects.create(schema_name="acme", name="Acme")
    Domain.objects.create(tenant=tenant, domain="acme.example.com")
    assert schema_exists("acme")
    with tenant:
        names = sorted(Product.objects.values_list("name", flat=True))
    assert names == ["anvil", "rocket skates"], names
    print("ok: new tenant cloned from the reference, fixture data included")

    with tenant:
        key = make_key("menu", "", 1)
        cache.set("menu", "acme menu")
    assert key.startswith("acme:"), key
    assert cache.get("menu") is None
    print(f"ok: make_key gives {key!r}, and keys stay in their tenant")

    client = Client()
    assert client.get("/", HTTP_HOST="acme.example.com").content == b"acme:anvil,rocket skates"
    assert client.get("/", HTTP_HOST="www.example.com").content == b"www:"
    print("ok: DomainRoutingMiddleware routes acme.example.com and www.example.com")

    async def websocket_round_trip() -> str:
        # asgiref's communicator: channels.testing would need daphne, not a dependency here.
        application = import_string(settings.ASGI_APPLICATION)
        scope = {
            "type": "websocket",
            "path": "/ws/echo/",
            "raw_path": b"/ws/echo/",
            "query_string": b"",
            "headers": [(b"host", b"acme.example.com")],
            "subprotocols": [],
        }
        communicator = ApplicationCommunicator(application, scope)
        await communicator.send_input({"type": "websocket.connect"})
        accepted = await communicator.receive_output(timeout=10)
        assert accepted["type"] == "websocket.accept", accepted
        await communicator.send_input({"type": "websocket.receive", "text": "hello"})
        message = await communicator.receive_output(timeout=10)
        await communicator.send_input({"type": "websocket.disconnect", "code": 1000})
        await communicator.wait(timeout=10)
        return str(message.get("text"))

    answer = asyncio.run(websocket_round_trip())
    assert answer == "acme:hello", answer
    print("ok: TenantProtocolRouter routes the websocket to acme (scope['tenant'])")

    assert isinstance(SchemaDescriptor("www"), SchemaDescriptor)
    print("ok: SchemaDescriptor")


if __name__ == "__main__":
    main()
