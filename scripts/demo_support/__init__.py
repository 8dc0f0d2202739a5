"""The demo behind ``python3 scripts/demo`` (run inside ``.tools/demo-venv``).

The project it serves is the integration sandbox (``integration_tests/sandbox``: settings,
ASGI application and the demo data in ``sandbox.demo``); :mod:`.main` only adds the
embedded PostgreSQL, the ASGI server and a clean Ctrl-C.
"""
