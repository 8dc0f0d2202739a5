"""The demo behind ``python3 scripts/demo`` (run inside ``.tools/demo-venv``).

- :mod:`.settings`: the integration sandbox's settings, on the demo database.
- :mod:`.setup`: idempotent database setup (migrations, clone reference, demo tenants).
- :mod:`.main`: embedded PostgreSQL + setup + the ASGI server, stopped cleanly on Ctrl-C.
"""
