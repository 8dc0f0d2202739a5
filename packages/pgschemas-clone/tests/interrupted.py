"""Run ``createrefschema --recreate`` in this process and SIGKILL it at a chosen statement.

``python -m tests.interrupted N`` kills the process at the N-th ``INSERT`` into
``django_migrations`` (inside that migration's transaction, which the kill loses);
``python -m tests.interrupted swap`` kills it at the ``ALTER SCHEMA ... RENAME`` that swaps
the new reference in (inside the swap's transaction). Exit status 3: the point was never
reached. The kill is real (``SIGKILL``: no cleanup, no rollback from Python); the
statements are watched with Django's public ``connection.execute_wrapper``.
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any


def main(point: str) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    recorded = 0

    def kill_at_point(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal recorded
        result = execute(sql, params, many, context)
        if point == "swap" and "RENAME TO" in sql:
            os.kill(os.getpid(), signal.SIGKILL)
        if point != "swap" and sql.startswith('INSERT INTO "django_migrations"'):
            recorded += 1
            if recorded == int(point):
                os.kill(os.getpid(), signal.SIGKILL)
        return result

    with connection.execute_wrapper(kill_at_point):
        call_command("createrefschema", "--recreate", verbosity=0)
    return 3


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
