"""``pip install pgschemas`` alone is enough for a project written from the docs.

Builds every package's wheel, installs only the ``pgschemas`` meta-package wheel (its siblings
come from the same folder, everything else from the package index) into a fresh
virtualenv, and runs ``integration_tests/compat_project`` - written only against the
``django_pgschemas`` paths of the spec page and the original django-pgschemas docs - on a
database of its own on the test run's server: ``migrate``, ``createrefschema``,
``runschema loaddata ... -s sample``, ``check``, a tenant command, then a script that
creates a tenant and checks cloning, cache keys, HTTP routing and a websocket.

Slow-ish (building seven wheels and a virtualenv: about a minute), so it is one test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from venvs import create_venv  # noqa: E402  (scripts/venvs.py: the one way to make a venv)

PROJECT = REPO / "integration_tests" / "compat_project"
#: Test-only requirements of the project (the driver; channels comes with the meta-package).
EXTRA = ["psycopg[binary]>=3.2"]


def _run(command: list[str], *, cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"`{' '.join(command)}` exited with {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout + result.stderr


def _server_params() -> dict[str, Any]:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
    }


@pytest.fixture
def compat_database() -> Iterator[str]:
    """A database of its own on the test run's server, dropped afterwards."""
    import psycopg
    from psycopg import sql

    name = f"compat_{uuid.uuid4().hex[:12]}"
    params = {k: v for k, v in _server_params().items() if v is not None}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def test_project_from_the_docs_runs_on_the_meta_package_alone(
    tmp_path: Path, compat_database: str
) -> None:
    # A fresh venv with pip (the test environment itself may have none: hatch uses uv).
    python = str(create_venv(tmp_path / "venv"))
    clean_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    clean_env.pop("DJANGO_SETTINGS_MODULE", None)

    wheels = tmp_path / "wheels"
    members = sorted(str(p.parent) for p in (REPO / "packages").glob("*/pyproject.toml"))
    _run(
        [python, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
         "-w", str(wheels), *members],
        cwd=REPO,
        env=clean_env,
    )  # fmt: skip
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert any(name.startswith("pgschemas-") for name in built), built
    # Pin our distributions to the wheels just built (never a same-named one on an index).
    pins = [
        f"{m.group(1).replace('_', '-')}=={m.group(2)}"
        for m in (re.match(r"([^-]+)-([^-]+)-", name) for name in built)
        if m
    ]
    constraints = tmp_path / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")

    _run(
        [
            python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "--find-links", str(wheels), "-c", str(constraints), "pgschemas", *EXTRA,
        ],
        cwd=tmp_path,
        env=clean_env,
    )  # fmt: skip
    installed = _run([python, "-m", "pip", "list", "--format=freeze"], cwd=tmp_path, env=clean_env)
    ours = sorted(
        line.split("==")[0].lower()
        for line in installed.splitlines()
        if line.lower().startswith(("pgschemas", "django-pgschemas"))
    )
    # The meta-package and its seven siblings (pgschemas-celery is the opt-in extra); never
    # upstream's django-pgschemas distribution.
    assert ours == [
        "pgschemas",
        "pgschemas-cache",
        "pgschemas-channels",
        "pgschemas-clone",
        "pgschemas-commands",
        "pgschemas-core",
        "pgschemas-routing",
        "pgschemas-testing",
    ], installed

    env = dict(clean_env, COMPAT_DB_NAME=compat_database, PYTHONDONTWRITEBYTECODE="1")
    for key, value in _server_params().items():
        if value is not None:
            env[f"PG{key.upper()}"] = str(value)

    def manage(*args: str) -> str:
        return _run([python, "manage.py", *args], cwd=PROJECT, env=env)

    manage("migrate", "--noinput")
    # Its migration was written with 1.x's domain fields: nothing to do after the switch.
    assert "No changes detected" in manage("makemigrations", "--check", "--dry-run")
    manage("createrefschema")
    manage("runschema", "loaddata", "tenant_app.products", "-s", "sample")
    manage("check", "--fail-level", "WARNING")
    assert "--executor {sequential,parallel}" in manage("runschema", "-h")

    report = _run([python, "check_compat.py"], cwd=PROJECT, env=env)
    assert report.count("ok:") == 5, report

    counted = manage("countproducts", "-s", ":dynamic:", "--executor", "parallel")
    assert "tenant acme has 2 products" in counted, counted
    chosen = manage("whowill", "-s", ":all:")
    for schema in ("public", "www", "sample", "acme"):
        assert schema in chosen, chosen
    manage("migrate", "--parallel")
