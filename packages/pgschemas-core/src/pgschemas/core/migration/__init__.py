"""Migrating schemas: Django's migration machinery, made cheap to run over many schemas.

Everything that leans on Django's migration internals lives in this subpackage, and
:mod:`.django_hooks` lists each private detail relied on, with a check one test runs:

- :mod:`.loader` - the migration graph read from disk once per process;
- :mod:`.recorder` - one "does ``django_migrations`` exist?" per run;
- :mod:`.state` - project states that render only what a new model changes;
- :mod:`.executor` - Django's executor on top of those;
- :mod:`.run` - :func:`migrate_schema`, ``migrate`` for one schema;
- :mod:`.planning` - which schemas have something to apply, from one bulk read;
- :mod:`.shared_states` - project states rendered once per ``migrate`` run;
- :mod:`.django_hooks` - the ``migrate`` command's executor swap, and the hook checks.

(Not named ``migrations``: Django's loader takes that name in an app for its migrations.)
"""

from .executor import CachedMigrationExecutor
from .loader import CachedMigrationLoader
from .recorder import RunRecorder
from .run import Plan, migrate_schema
from .state import LeanProjectState

__all__ = [
    "CachedMigrationExecutor",
    "CachedMigrationLoader",
    "LeanProjectState",
    "Plan",
    "RunRecorder",
    "migrate_schema",
]
