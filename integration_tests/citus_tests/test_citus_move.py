"""Moving a tenant to another worker while its requests keep being served."""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.db import connections
from django.test import Client

from pgschemas.core import Schema

from .conftest import node_of, sql, workers

#: Request threads per tenant; bounded in count and time (they stop with the move).
THREADS = 2
MAX_SECONDS = 120


def test_moving_a_tenant_under_load_answers_every_request_from_its_tenant(tenants):
    from shared_common.models import Note

    moved, neighbour = "cz_moving", "cz_neighbour"
    for name in (moved, neighbour):
        tenants(name)
    source = node_of(moved)
    target = next(worker for worker in workers() if worker != source)

    stop = threading.Event()
    outcomes: Counter[str] = Counter()
    wrong: list[str] = []
    lock = threading.Lock()

    def serve(schema: str, writes: bool) -> None:
        client = Client()
        host = f"{schema.replace('_', '-')}.localhost"
        expected = f"tenant={schema} schema={schema} db={schema}"
        deadline = time.monotonic() + MAX_SECONDS
        try:
            while not stop.is_set() and time.monotonic() < deadline:
                if writes:
                    response = client.post("/", {"text": f"note for {schema}"}, HTTP_HOST=host)
                    ok = response.status_code == 302
                    key = f"{schema} write"
                else:
                    response = client.get("/whoami/", HTTP_HOST=host)
                    body = response.content.decode()
                    ok = response.status_code == 200 and body == expected
                    key = f"{schema} read"
                with lock:
                    outcomes[key if ok else f"{key} FAILED"] += 1
                    if not ok:
                        wrong.append(f"{schema}: {response.status_code} {response.content[:200]!r}")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=serve, args=(schema, writes), daemon=True)
        for schema in (moved, neighbour)
        for writes in (False, True)
        for _ in range(THREADS // 2 or 1)
    ]
    for thread in threads:
        thread.start()
    time.sleep(1)  # requests are flowing before the move starts
    try:
        sql(
            "SELECT citus_schema_move(%s::regnamespace, %s, %s)",
            [moved, target[0], target[1]],
        )
        time.sleep(1)  # and keep flowing after it
    finally:
        stop.set()
        for thread in threads:
            thread.join(MAX_SECONDS)
    print(f"\nrequests during the move: {dict(outcomes)}")
    assert wrong == []
    assert node_of(moved) == target
    assert outcomes[f"{moved} read"] > 0
    assert outcomes[f"{moved} write"] > 0
    # Nothing was lost: every answered write is a row in its own tenant, none elsewhere.
    for schema in (moved, neighbour):
        with Schema.create(schema):
            notes = list(Note.objects.values_list("text", flat=True))
        assert len(notes) == outcomes[f"{schema} write"]
        assert set(notes) == {f"note for {schema}"}
