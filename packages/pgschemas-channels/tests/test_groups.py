from __future__ import annotations

import pytest

from pgschemas.channels import tenant_group_name
from pgschemas.core import Schema
from pgschemas.core.schema import get_static_schema


def test_group_names_differ_per_tenant() -> None:
    blog = get_static_schema("blog")
    acme = Schema("acme", is_dynamic=True)
    assert tenant_group_name({"tenant": blog}, "chat") == "blog.chat"
    assert tenant_group_name(acme, "chat") == "acme.chat"
    with acme:
        assert tenant_group_name(None, "chat") == "acme.chat"
    assert tenant_group_name(None, "chat") == "public.chat"


def test_names_channels_would_refuse_are_refused_with_the_name() -> None:
    acme = Schema("acme", is_dynamic=True)
    with pytest.raises(ValueError, match=r"Invalid group name 'acme\.room 1'"):
        tenant_group_name(acme, "room 1")
    with pytest.raises(ValueError, match="fewer than 100 characters"):
        tenant_group_name(acme, "x" * 95)
    with pytest.raises(ValueError, match="Invalid group name"):
        tenant_group_name(acme, "")
    assert len(tenant_group_name(acme, "x" * 94)) == 99


def test_scope_without_tenant_is_explained() -> None:
    with pytest.raises(ValueError, match=r'The scope has no "tenant"'):
        tenant_group_name({"type": "websocket"}, "chat")
    with pytest.raises(TypeError, match="needs a scope, a tenant or a Schema, got 42"):
        tenant_group_name(42, "chat")
