from __future__ import annotations

import asyncio
import threading

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.exceptions import ValidationError

from pgschemas.core import Schema, activate, deactivate, get_current_schema
from pgschemas.core.activation import override
from pgschemas.core.routing_info import DomainInfo, HeadersInfo, SessionInfo
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


def test_routed_copies() -> None:
    base = Schema("blog")
    routed = base.routed("blog.test.com", "x")
    assert (routed.domain_url, routed.folder) == ("blog.test.com", "x")
    assert routed.routing == DomainInfo(domain="blog.test.com", folder="x")
    assert (base.domain, base.routing) == ("", None)
    assert Schema.create("blog", "blog.test.com").domain == "blog.test.com"


def test_create_takes_routing_info_or_domain_and_folder() -> None:
    by_header = Schema.create("blog", routing=HeadersInfo(reference="blog-key"))
    assert (by_header.routing, by_header.domain, by_header.folder) == (
        HeadersInfo("blog-key"),
        "",
        "",
    )
    assert Schema.create("blog", SessionInfo("s")).routing == SessionInfo(reference="s")
    spec = Schema.create("blog", "blog.test.com", "x")
    assert spec.routing == DomainInfo("blog.test.com", "x")
    assert str(spec.routing) == "blog.test.com/x"
    assert (spec.routing.mechanism, HeadersInfo("h").mechanism) == ("domain", "header")
    with pytest.raises(ValidationError, match="Pg_x"):
        Schema.create("Pg_x")
    with pytest.raises(TypeError, match="not both"):
        Schema.create("blog", "blog.test.com", routing=HeadersInfo("h"))


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


def test_the_signal_is_sent_once_per_real_change_of_schema() -> None:
    seen: list[str] = []

    def receiver(sender: object, schema: Schema, **kwargs: object) -> None:
        seen.append(str(schema.routing or schema.schema_name))

    schema_activated.connect(receiver)
    try:
        activate(Schema("blog"))
        activate(Schema("blog"))  # the same schema again: nothing changes
        with Schema("blog"):  # entering and leaving the active schema: nothing changes
            pass
        activate(Schema("blog").routed("blog.test.com"))  # routed differently: a change
        deactivate()
        deactivate()
    finally:
        schema_activated.disconnect(receiver)
    assert seen == ["blog", "blog.test.com", "public"]


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
