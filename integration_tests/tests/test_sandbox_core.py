"""The sandbox project on pgschemas-core: static and dynamic schemas stay apart."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from pgschemas.core.schema import get_static_schema


@pytest.mark.django_db
def test_system_checks_pass() -> None:
    call_command("check", fail_level="WARNING")


@pytest.mark.django_db
def test_each_schema_has_only_its_apps(make_tenant: Any) -> None:
    tenant = make_tenant()
    expectations = {
        get_static_schema("www"): ("app_main_mainpage", "app_blog_blogentry"),
        get_static_schema("blog"): ("app_blog_blogentry", "app_main_mainpage"),
        tenant: ("tenant_app_product", "app_main_mainpage"),
    }
    for schema, (present, absent) in expectations.items():
        with schema:
            tables = connection.introspection.table_names()
        assert present in tables
        assert absent not in tables
        assert "auth_user" in tables and "shared_common_note" in tables
        assert "shared_public_tenant" not in tables


@pytest.mark.django_db
def test_notes_stay_in_their_tenant(make_tenant: Any) -> None:
    from shared_common.models import Note

    first, second = make_tenant(), make_tenant()
    with first:
        Note.objects.create(text="first only")
    with second:
        assert not Note.objects.exists()
    with get_static_schema("www"):
        assert not Note.objects.exists()
    with first:
        assert list(Note.objects.values_list("text", flat=True)) == ["first only"]


@pytest.mark.django_db
def test_users_are_per_schema(make_tenant: Any) -> None:
    from django.contrib.auth.models import User

    tenant = make_tenant()
    with tenant:
        User.objects.create_user("alice", password="x")
        assert User.objects.filter(username="alice").exists()
    with get_static_schema("blog"):
        assert not User.objects.filter(username="alice").exists()
