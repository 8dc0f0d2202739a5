"""Rows written in one tenant are never read in another, whatever the concurrency."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.db import connections


@pytest.mark.django_db
def test_rows_in_one_tenant_are_invisible_in_another(make_tenant: Any) -> None:
    from tests.tenant_app.models import Item

    tenant_a, tenant_b = make_tenant("iso_a"), make_tenant("iso_b")
    with tenant_a:
        Item.objects.create(name="a-row")
    with tenant_b:
        assert Item.objects.count() == 0
        Item.objects.create(name="b-row")
    with tenant_a:
        assert list(Item.objects.values_list("name", flat=True)) == ["a-row"]


@pytest.fixture
def two_tenants(committed_tenants: Any) -> tuple[Any, Any]:
    from tests.tenant_app.models import Item

    tenant_a, tenant_b = committed_tenants("conc_a"), committed_tenants("conc_b")
    with tenant_a:
        Item.objects.create(name="conc_a")
    with tenant_b:
        Item.objects.create(name="conc_b")
    return tenant_a, tenant_b


def _read_names() -> list[str]:
    from tests.tenant_app.models import Item

    return list(Item.objects.values_list("name", flat=True))


def test_fifty_threads_alternating_tenants(two_tenants: tuple[Any, Any]) -> None:
    errors: list[str] = []
    barrier = threading.Barrier(50)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            for step in range(6):
                tenant = two_tenants[(index + step) % 2]
                with tenant:
                    names = _read_names()
                    if names != [tenant.schema_name]:
                        errors.append(f"{tenant.schema_name} read {names}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def _read_names_and_close() -> list[str]:
    # Runs in executor threads that outlive the test: leave no connection open there.
    try:
        return _read_names()
    finally:
        connections.close_all()


def test_fifty_asyncio_tasks_alternating_tenants(two_tenants: tuple[Any, Any]) -> None:
    read = sync_to_async(_read_names_and_close, thread_sensitive=False)

    async def task(index: int) -> list[str]:
        errors = []
        for step in range(4):
            tenant = two_tenants[(index + step) % 2]
            with tenant:
                await asyncio.sleep(0)
                names = await read()
                if names != [tenant.schema_name]:
                    errors.append(f"{tenant.schema_name} read {names}")
        return errors

    async def main() -> list[str]:
        results = await asyncio.gather(*(task(i) for i in range(50)))
        return [error for errors in results for error in errors]

    try:
        assert asyncio.run(main()) == []
    finally:
        connections.close_all()
