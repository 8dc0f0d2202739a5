from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.test import override_settings

from pgschemas.core import Schema
from pgschemas.core.schema import get_static_schema
from pgschemas.core.storage import TenantFileSystemStorage, get_tenant_pathname


@pytest.fixture
def media(tmp_path: Path) -> Any:
    with override_settings(MEDIA_ROOT=str(tmp_path), MEDIA_URL="/media/"):
        yield tmp_path


def folder_tenant(schema_name: str, folder: str) -> Schema:
    """A dynamic tenant reached as ``shared.example.com/<folder>``."""
    return Schema(schema_name, is_dynamic=True).routed("shared.example.com", folder)


def by_domain(tenant: Any) -> str:
    return tenant.domain or "no-domain"


def test_each_tenant_saves_under_its_own_folder_and_url(media: Path) -> None:
    storage = TenantFileSystemStorage()
    with get_static_schema("blog"):
        name = storage.save("logo.png", ContentFile(b"blog logo"))
        assert storage.url(name) == "/media/blog/logo.png"
        assert storage.path(name) == str(media / "blog" / "logo.png")
    with Schema("acme", is_dynamic=True):
        name = storage.save("logo.png", ContentFile(b"acme logo"))
        assert name == "logo.png"  # no clash with blog's file: another folder
        assert storage.url(name) == "/media/acme/logo.png"
        assert storage.open(name).read() == b"acme logo"
        assert storage.listdir("") == ([], ["logo.png"])
    assert (media / "blog" / "logo.png").read_bytes() == b"blog logo"
    assert (media / "acme" / "logo.png").read_bytes() == b"acme logo"
    # public (nothing active) has its own folder and sees neither file.
    assert not storage.exists("logo.png")
    assert storage.url("logo.png") == "/media/public/logo.png"


def test_folder_routed_tenants_get_distinct_urls_for_distinct_files(media: Path) -> None:
    storage = TenantFileSystemStorage()
    urls = {}
    for schema_name, folder in [("client1", "c1"), ("client2", "c2")]:
        with folder_tenant(schema_name, folder):
            name = storage.save("report.pdf", ContentFile(schema_name.encode()))
            urls[schema_name] = storage.url(name)
    assert urls == {"client1": "/media/client1/report.pdf", "client2": "/media/client2/report.pdf"}
    # Each URL points at the file its tenant wrote.
    for schema_name, url in urls.items():
        relative = url.removeprefix("/media/")
        assert (media / relative).read_bytes() == schema_name.encode()


def test_explicit_location_and_base_url_are_the_shared_roots(tmp_path: Path) -> None:
    storage = TenantFileSystemStorage(
        location=str(tmp_path / "up"), base_url="https://cdn.example.com/up"
    )
    with get_static_schema("blog"):
        name = storage.save("a b.txt", ContentFile(b"x"))
        assert storage.url(name) == "https://cdn.example.com/up/blog/a%20b.txt"
    assert (tmp_path / "up" / "blog" / "a b.txt").exists()


def test_pathname_function_as_dotted_path_and_callable(media: Path) -> None:
    storage = TenantFileSystemStorage()
    tenant = Schema("acme", is_dynamic=True).routed("acme.example.com")
    with override_settings(PGSCHEMAS_PATHNAME_FUNCTION="tests.test_storage.by_domain"), tenant:
        name = storage.save("x.txt", ContentFile(b"x"))
        assert storage.url(name) == "/media/acme.example.com/x.txt"
    with (
        override_settings(PGSCHEMAS_PATHNAME_FUNCTION=lambda t: f"tenants/{t.schema_name}"),
        tenant,
    ):
        name = storage.save("x.txt", ContentFile(b"y"))
        assert storage.url(name) == "/media/tenants/acme/x.txt"
        assert get_tenant_pathname() == "tenants/acme"
    assert (media / "acme.example.com" / "x.txt").read_bytes() == b"x"
    assert (media / "tenants" / "acme" / "x.txt").read_bytes() == b"y"


def test_tenant_model_rows_are_tenants_too(media: Path) -> None:
    from tests.shared_app.models import Tenant

    with Tenant(schema_name="rowtenant"):  # unsaved: only its schema_name matters here
        assert TenantFileSystemStorage().url("f.txt") == "/media/rowtenant/f.txt"


class PathnameTenant:
    """A tenant-like object with django-pgschemas' ``schema_pathname()`` method."""

    def __init__(self, schema_name: str, pathname: Any) -> None:
        self.schema_name = schema_name
        self.pathname = pathname

    def schema_pathname(self) -> Any:
        return self.pathname


def test_schema_pathname_method_wins_over_the_setting(media: Path) -> None:
    tenant = PathnameTenant("acme", "customers/7")
    with override_settings(PGSCHEMAS_PATHNAME_FUNCTION=lambda t: "from-setting"):
        assert get_tenant_pathname(tenant) == "customers/7"
        assert get_tenant_pathname(Schema("blog")) == "from-setting"
    with Schema("acme", is_dynamic=True):
        assert TenantFileSystemStorage().base_location == str(media / "acme") + "/"
    with pytest.raises(
        ImproperlyConfigured, match=r"schema_pathname\(\) returned '\.\./x' for schema 'acme'"
    ):
        get_tenant_pathname(PathnameTenant("acme", "../x"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("../escape", r"returned '\.\./escape' for schema 'acme'.*'\.\.'"),
        ("/etc", r"returned '/etc' for schema 'acme': it must be a relative path"),
        ("", "it must be a non-empty string"),
        (None, "returned None for schema 'acme': it must be a non-empty string"),
        ("a//b", "must not be empty"),
        ("a\\b", "backslashes"),
    ],
)
def test_unsafe_pathnames_are_refused(media: Path, value: Any, message: str) -> None:
    with (
        override_settings(PGSCHEMAS_PATHNAME_FUNCTION=lambda t: value),
        Schema("acme", is_dynamic=True),
        pytest.raises(ImproperlyConfigured, match=message),
    ):
        TenantFileSystemStorage().save("x.txt", ContentFile(b"x"))
    assert list(media.iterdir()) == []


def test_bad_setting_is_named(media: Path) -> None:
    with (
        override_settings(PGSCHEMAS_PATHNAME_FUNCTION="tests.nowhere.func"),
        pytest.raises(ImproperlyConfigured, match=r"'tests\.nowhere\.func' cannot be imported"),
    ):
        get_tenant_pathname()
    with (
        override_settings(PGSCHEMAS_PATHNAME_FUNCTION=42),
        pytest.raises(
            ImproperlyConfigured, match="must be a callable or the dotted path of one, got 42"
        ),
    ):
        get_tenant_pathname()


def test_configured_in_storages_and_deconstructs_to_itself(media: Path) -> None:
    backend = {"default": {"BACKEND": "pgschemas.core.storage.TenantFileSystemStorage"}}
    with override_settings(
        STORAGES={
            **backend,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ):
        storage = storages.create_storage(backend["default"])
        with get_static_schema("blog"):
            assert storage.url("a.txt") == "/media/blog/a.txt"
    path, _args, kwargs = TenantFileSystemStorage(location="/srv/media").deconstruct()
    assert path == "pgschemas.core.storage.TenantFileSystemStorage"
    assert kwargs == {"location": "/srv/media"}


@pytest.mark.parametrize(
    "name",
    ["../t2/x", "..", "a/../../t2/x", "..\\t2\\x", "a\\..\\..\\t2\\x", "/../t2/x", "a/../b"],
)
def test_url_and_path_never_leave_the_tenant_folder(media: Path, name: str) -> None:
    from django.core.exceptions import SuspiciousFileOperation

    storage = TenantFileSystemStorage()
    with Schema("t1", is_dynamic=True):
        with pytest.raises(SuspiciousFileOperation, match="path traversal"):
            storage.url(name)
        with pytest.raises(SuspiciousFileOperation, match="path traversal"):
            storage.path(name)


def test_odd_but_harmless_names_stay_in_the_tenant_folder(media: Path) -> None:
    storage = TenantFileSystemStorage()
    with Schema("t1", is_dynamic=True):
        assert storage.url("//evil.example/x") == "/media/t1/evil.example/x"
        assert storage.url("javascript:alert(1)") == "/media/t1/javascript%3Aalert(1)"
        assert storage.url("a b/%2e%2e/x") == "/media/t1/a%20b/%252e%252e/x"
        assert storage.url("./x") == "/media/t1/x"
        assert storage.path("sub/x") == str(media / "t1" / "sub" / "x")
