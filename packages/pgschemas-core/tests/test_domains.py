"""core.domains: the one definition of "the same host" every package compares by."""

from __future__ import annotations

import pytest

from pgschemas.core.domains import (
    DomainLike,
    is_valid_folder,
    normalize_domain,
    normalize_host,
    split_domain_folder,
    split_host_port,
)


@pytest.mark.parametrize(
    ("received", "host"),
    [
        ("acme.example.com", "acme.example.com"),
        (" Acme.Example.COM.:8000 ", "acme.example.com"),
        ("ACME.example.com.", "acme.example.com"),
        ("localhost:80", "localhost"),
        ("[::1]:8000", "[::1]"),
        ("[::1]", "[::1]"),
        ("acme.example.com:", "acme.example.com"),
    ],
)
def test_a_received_host_loses_case_port_and_trailing_dot(received: str, host: str) -> None:
    assert normalize_host(received) == host


def test_a_stored_domain_keeps_a_port_for_validation_to_refuse() -> None:
    assert normalize_domain(" Acme.COM. ") == "acme.com"
    assert normalize_domain("acme.com:8000") == "acme.com:8000"
    assert split_host_port("acme.com:8000") == ("acme.com", "8000")
    assert split_host_port("acme.com:http") == ("acme.com:http", "")  # not a port: untouched


def test_domain_and_folder_entries() -> None:
    assert split_domain_folder("Example.COM./Client1/") == ("example.com", "Client1")
    assert split_domain_folder("example.com") == ("example.com", "")


@pytest.mark.parametrize("folder", ["", "client1", "a.b", "x_y-z~"])
def test_valid_folders(folder: str) -> None:
    assert is_valid_folder(folder)


@pytest.mark.parametrize("folder", [".", "..", "a/b", "a b", "ü", "%20"])
def test_invalid_folders(folder: str) -> None:
    assert not is_valid_folder(folder)


def test_domain_like_is_what_packages_read_of_a_domain_row() -> None:
    class Row:
        domain = "acme.com"
        folder = ""

    assert isinstance(Row(), DomainLike)
    assert not isinstance(object(), DomainLike)
