"""Two tenants in a real browser: data stays apart and the websocket echo answers.

A demo-like server (the sandbox's ASGI application under uvicorn, on a free port of
127.0.0.1) serves the test database; headless Chromium - Debian's ``chromium`` driven by
Playwright's Python package through ``executable_path``, never a downloaded browser -
opens two dynamic tenants by their ``*.localhost`` names (Chromium resolves those to the
loopback address itself), adds a note in one, checks the other does not show it, and does
a websocket round trip in each.

Skipped, with the reason printed, when Playwright, uvicorn or ``/usr/bin/chromium`` is
missing (`apt-get install -y chromium`; `pip install playwright uvicorn[standard]`).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("PGSCHEMAS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
TENANTS = (("browser_one", "browser-one.localhost"), ("browser_two", "browser-two.localhost"))


def _missing() -> str | None:
    for module, install in (("playwright", "playwright"), ("uvicorn", "uvicorn[standard]")):
        if importlib.util.find_spec(module) is None:
            return f"Python package {module!r} is not installed (pip install {install})"
    if not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install -y chromium)"
    return None


needs_browser = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def tenants(pgschemas_static_schemas: None, django_db_blocker: Any) -> Iterator[list[Any]]:
    """Two committed tenants with a domain each (the server's threads must see them)."""
    from shared_public.models import Domain, Tenant

    with django_db_blocker.unblock():
        created = []
        for schema_name, host in TENANTS:
            Tenant.objects.filter(schema_name=schema_name).delete()
            tenant = Tenant.objects.create(schema_name=schema_name)
            Domain.objects.create(tenant=tenant, domain=host)
            created.append(tenant)
        try:
            yield created
        finally:
            for tenant in created:
                tenant.delete(force_drop=True)


@pytest.fixture
def server(tenants: list[Any], django_db_blocker: Any) -> Iterator[int]:
    """uvicorn serving the sandbox's ASGI application in a thread; yields its port."""
    import uvicorn
    from django.conf import settings
    from django.utils.module_loading import import_string

    port = _free_port()
    application = import_string(settings.ASGI_APPLICATION)
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    instance = uvicorn.Server(config)
    with django_db_blocker.unblock():
        thread = threading.Thread(target=instance.run, name="uvicorn", daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not instance.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                pytest.fail(f"uvicorn did not start on 127.0.0.1:{port}")
            time.sleep(0.05)
        try:
            yield port
        finally:
            instance.should_exit = True
            thread.join(timeout=10)
            from django.db import connections

            connections.close_all()


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            yield instance
        finally:
            instance.close()


# pytest-django sets up the test database only for a run holding a test that asks for it;
# this one does (and checks the markup the browser test drives), so the browser test's
# committed tenants land in the test database also when it runs alone (-k browser).
@pytest.mark.django_db
def test_every_page_carries_the_echo_box(client: Any) -> None:
    page = client.get("/", HTTP_HOST="localhost").content.decode()
    assert '<span id="tenant">www</span>' in page
    assert 'data-ws-path="/ws/echo/"' in page and 'id="echo-send"' in page


@needs_browser
def test_two_tenants_in_a_browser(server: int, browser: Any) -> None:
    from playwright.sync_api import expect

    (one_schema, one_host), (two_schema, two_host) = TENANTS
    one = browser.new_page()
    two = browser.new_page()

    one.goto(f"http://{one_host}:{server}/")
    expect(one.locator("#tenant")).to_have_text(one_schema)
    expect(one.locator("#db-schema")).to_have_text(one_schema)
    one.fill("#note-text", "only in the first tenant")
    one.click("#add-note")
    expect(one.locator("#notes")).to_contain_text("only in the first tenant")

    two.goto(f"http://{two_host}:{server}/")
    expect(two.locator("#tenant")).to_have_text(two_schema)
    expect(two.locator("#notes")).not_to_contain_text("only in the first tenant")
    two.fill("#note-text", "second tenant's note")
    two.click("#add-note")
    expect(two.locator("#notes")).to_contain_text("second tenant's note")

    one.reload()
    expect(one.locator("#notes")).to_contain_text("only in the first tenant")
    expect(one.locator("#notes")).not_to_contain_text("second tenant's note")

    for page, schema in ((one, one_schema), (two, two_schema)):
        expect(page.locator("#echo-status")).to_have_text("connected", timeout=10_000)
        page.fill("#echo-text", f"hello {schema}")
        page.click("#echo-send")
        expect(page.locator("#echo-log li").first).to_have_text(
            f"tenant {schema}, schema {schema} (1 notes): hello {schema}", timeout=10_000
        )
