"""Where the Citus build looks for its vendored source (a CI clone may sit anywhere)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pgschemas_devtools import citus

# The suite's autouse fixtures prepare the static schemas, which needs the test database.
pytestmark = pytest.mark.django_db


def _vendor(folder: Path) -> Path:
    vendor = folder / "shared/vendor/citus"
    vendor.mkdir(parents=True)
    (vendor / f"citus-{citus.CITUS_VERSION}.tar.gz").write_bytes(b"")
    return vendor


def test_source_beside_the_clone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PGSCHEMAS_CITUS_VENDOR", raising=False)
    repo = tmp_path / "main"
    repo.mkdir()
    vendor = _vendor(tmp_path)
    assert citus.vendor_dir(repo) == vendor


def test_source_beside_a_folder_above_the_clone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGSCHEMAS_CITUS_VENDOR", raising=False)
    repo = tmp_path / "ci" / "clone"
    repo.mkdir(parents=True)
    vendor = _vendor(tmp_path)
    assert citus.vendor_dir(repo) == vendor


def test_the_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _vendor(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("PGSCHEMAS_CITUS_VENDOR", str(elsewhere))
    assert citus.vendor_dir(tmp_path / "main") == elsewhere
    assert citus.vendor_candidates(tmp_path / "main") == [elsewhere]


def test_missing_source_names_every_place_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGSCHEMAS_CITUS_VENDOR", raising=False)
    repo = tmp_path / "main"
    repo.mkdir()
    candidates = citus.vendor_candidates(repo)
    assert candidates[0] == tmp_path / "shared/vendor/citus"
    assert Path("/work/shared/vendor/citus") in candidates
