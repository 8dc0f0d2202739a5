from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from pgschemas.core import Schema, SchemaDescriptor, activate, deactivate, get_current_schema
from pgschemas.core.activation import override
from pgschemas.core.signals import schema_activated


def test_public_is_active_by_default() -> None:
    assert get_current_schema().schema_name == "public"


def test_with_restores_previous_even_when_the_body_raises() -> None:
    outer, inner = Schema("outer"), Schema("inner")
    with outer:
        with pytest.raises(ZeroDivisionError), inner:
            assert get_current_schema() is inner
            1 / 0  # noqa: B018
        assert get_current_schema() is outer
    assert get_current_schema().schema_name == "public"


def test_override_and_activate() -> None:
    schema = Schema("blog")
    with override(schema):
        assert get_current_schema() is schema
    activate(schema)
    try:
        assert get_current_schema() is schema
    finally:
        deactivate()
    assert get_current_schema().schema_name == "public"


def test_schema_descriptor_alias_and_routed_copies() -> None:
    assert SchemaDescriptor is Schema
    base = Schema("blog")
    routed = base.routed("blog.test.com", "x")
    assert (routed.domain_url, routed.folder) == ("blog.test.com", "x")
    assert base.domain == ""
    assert Schema.create("blog", "blog.test.com").domain == "blog.test.com"


def test_activation_sends_a_signal() -> None:
    seen: list[str] = []

    def receiver(sender: object, schema: Schema, **kwargs: object) -> None:
        seen.append(schema.schema_name)

    schema_activated.connect(receiver)
    try:
        with Schema("blog"):
            pass
    finally:
        schema_activated.disconnect(receiver)
    assert seen == ["blog", "public"]


def test_override_signals_on_the_way_in_and_out_and_decorates() -> None:
    seen: list[str] = []

    def receiver(sender: object, schema: Schema, **kwargs: object) -> None:
        seen.append(schema.schema_name)

    @override(Schema("blog"))
    def inside() -> str:
        return get_current_schema().schema_name

    schema_activated.connect(receiver)
    try:
        with override(Schema("blog")) as active:
            assert active.schema_name == "blog"
        assert [inside(), inside()] == ["blog", "blog"]
    finally:
        schema_activated.disconnect(receiver)
    assert seen == ["blog", "public"] * 3
    assert get_current_schema().schema_name == "public"


def test_one_schema_object_entered_by_many_threads() -> None:
    shared = Schema("shared")
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def work(index: int) -> None:
        mine = Schema(f"own_{index}")
        with mine:
            barrier.wait()
            with shared:
                if get_current_schema() is not shared:
                    errors.append("shared")
            if get_current_schema() is not mine:
                errors.append(f"own_{index}")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert get_current_schema().schema_name == "public"


def test_asyncio_tasks_are_isolated() -> None:
    async def task(index: int) -> str:
        with Schema(f"task_{index}"):
            await asyncio.sleep(0.001 * (index % 3))
            return get_current_schema().schema_name

    async def main() -> list[str]:
        return await asyncio.gather(*(task(i) for i in range(20)))

    assert asyncio.run(main()) == [f"task_{i}" for i in range(20)]


def test_sync_to_async_and_back_carry_the_schema() -> None:
    def in_thread() -> str:
        return get_current_schema().schema_name

    async def main() -> tuple[str, str]:
        with Schema("carried"):
            sync_side = await sync_to_async(in_thread)()
            return sync_side, get_current_schema().schema_name

    with Schema("outer"):
        assert async_to_sync(main)() == ("carried", "carried")
        assert get_current_schema().schema_name == "outer"
