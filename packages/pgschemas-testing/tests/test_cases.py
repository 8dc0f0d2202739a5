"""The Django TestCase classes, as a ``manage.py test`` project uses them."""

from __future__ import annotations

import threading
from typing import Any

from django.db import connections

from pgschemas.core import ddl, get_current_schema
from pgschemas.testing import TenantTestCase, TenantTransactionTestCase
from pgschemas.testing.spares import worker_id
from tests.shared_app.models import Tenant
from tests.tenant_app.models import Item


class TenantTestCaseTests(TenantTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        Item.objects.create(name="class data")  # the tenant is active here

    def test_tenant_is_active_and_has_the_class_data(self) -> None:
        assert get_current_schema() is self.tenant
        assert worker_id() in self.tenant.schema_name
        assert list(Item.objects.values_list("name", flat=True)) == ["class data"]
        Item.objects.create(name="rolled back")

    def test_each_test_starts_from_the_class_data(self) -> None:
        assert list(Item.objects.values_list("name", flat=True)) == ["class data"]

    def test_client_reaches_the_tenant(self) -> None:
        body = self.client.get("/whoami/").json()
        assert (body["schema"], body["items"]) == (self.tenant.schema_name, ["class data"])


class SecondDefaultTenantTestCaseTests(TenantTestCase):
    """Classes that do not customise their tenant share the worker's tenant, not its data."""

    def test_shared_tenant_without_the_other_class_data(self) -> None:
        assert self.tenant.schema_name == f"tenant_{worker_id()}"
        assert Item.objects.count() == 0
        assert self.client.get("/whoami/").json()["schema"] == self.tenant.schema_name


class FolderTenantTestCaseTests(TenantTestCase):
    tenant_domain = "folders.test"
    tenant_folder = "acme"
    tenant_schema_name = "acme"
    tenant_fields = {"name": "Acme"}

    def test_named_tenant_behind_a_folder(self) -> None:
        assert (self.tenant.schema_name, self.tenant.name) == ("acme", "Acme")
        body = self.client.get("/whoami/").json()
        assert (body["schema"], body["path"]) == ("acme", "/acme/whoami/")


class TenantTransactionTestCaseTests(TenantTransactionTestCase):
    def test_tenant_is_committed(self) -> None:
        Item.objects.create(name="committed")
        seen: list[Any] = []

        def other_thread() -> None:
            try:
                with Tenant.objects.get(pk=self.tenant.pk):
                    seen.extend(Item.objects.values_list("name", flat=True))
            finally:
                connections.close_all()

        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert seen == ["committed"]
        assert ddl.schema_exists(self.tenant.schema_name)

    def test_client_reaches_the_tenant(self) -> None:
        assert self.client.get("/whoami/").json()["schema"] == self.tenant.schema_name
