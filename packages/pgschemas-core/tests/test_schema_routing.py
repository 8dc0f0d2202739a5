"""``schema.routing`` can be assigned (as django-pgschemas 1.x allows); nothing else can."""

from __future__ import annotations

import pickle

import pytest

from pgschemas.core.routing_info import DomainInfo, HeadersInfo
from pgschemas.core.schema import Schema, get_public_schema, get_static_schema


def test_routing_can_be_assigned_and_is_read_back() -> None:
    schema = get_static_schema("blog")
    schema.routing = DomainInfo(domain="blog.test.com", folder="news")
    assert (schema.domain, schema.folder) == ("blog.test.com", "news")
    schema.routing = HeadersInfo(reference="blog")
    assert (schema.domain, schema.folder) == ("", "")
    assert schema.routing == HeadersInfo(reference="blog")


@pytest.mark.parametrize("name", ["schema_name", "is_dynamic", "alias"])
def test_the_other_fields_cannot_change(name: str) -> None:
    schema = Schema("blog")
    with pytest.raises(AttributeError, match=rf"Schema\.{name} cannot change \(schema 'blog'\)"):
        setattr(schema, name, "other")
    with pytest.raises(AttributeError, match="no attribute 'colour'"):
        schema.colour = "blue"  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match="cannot be deleted"):
        del schema.routing
    assert schema == Schema("blog")


def test_hash_is_stable_when_routed_and_equality_still_sees_routing() -> None:
    schema = Schema("blog")
    seen = {schema: "found"}
    schema.routing = DomainInfo(domain="blog.test.com")
    assert seen[schema] == "found"
    assert schema != Schema("blog")
    assert schema == Schema("blog").routed("blog.test.com")
    assert hash(schema) == hash(Schema("blog"))


def test_public_is_never_shared_between_callers() -> None:
    first = get_public_schema()
    first.routing = DomainInfo(domain="example.com")
    assert get_public_schema().routing is None


def test_a_routed_schema_survives_pickling() -> None:
    schema = Schema("blog").routed("blog.test.com", "x")
    assert pickle.loads(pickle.dumps(schema)) == schema
