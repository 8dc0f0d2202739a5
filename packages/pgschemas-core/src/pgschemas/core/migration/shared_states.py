"""Rendering the migration project state once per ``migrate`` run, not once per schema.

Django's ``migrate`` renders the whole project state twice for every database it runs on:
the state before the plan (``pre_migrate_state.apps``, for the pre-migrate signal and as
the starting point of the executor) and the state after it (rendered again in full for the
post-migrate signal). Rendering builds a model class for every model of every app, which
is most of what migrating one schema costs when the migration itself is a single
``ALTER TABLE`` (docs/benchmarks.md). Over hundreds of schemas that is Python work
holding the GIL, so a parallel run was slower than a sequential one.

A project state depends only on the migration graph and on which migrations are applied
(and the state after a plan, on the plan too), never on the schema. :class:`StateCache`
keeps one fully rendered state per (graph, applied migrations[, plan]) and hands out clones
(``ProjectState.clone()`` copies the registry, it does not render). Clones share model
classes with the state they come from, exactly as Django's own per-operation clones do;
to keep that sharing within one thread, the cache is also keyed by thread, so every worker
of the parallel executor renders its own states (once each).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from .executor import CachedMigrationExecutor

#: ``around_migration(connection, migration)``: the context a migration is applied in.
AroundMigration = Callable[[Any, Any], AbstractContextManager[None]]


@contextmanager
def _nothing_around(connection: Any, migration: Any) -> Iterator[None]:
    yield


class StateCache:
    """Fully rendered project states of one ``migrate`` run, per thread."""

    def __init__(self) -> None:
        self._states: dict[tuple[Hashable, ...], Any] = {}
        self.renders = 0

    def get(self, key: tuple[Hashable, ...]) -> Any | None:
        """A clone of the state stored under ``key`` by this thread, or None."""
        state = self._states.get((threading.get_ident(), *key))
        return None if state is None else state.clone()

    def put(self, key: tuple[Hashable, ...], state: Any) -> Any:
        """Render ``state`` fully, keep it under ``key`` for this thread, return a clone."""
        state.clear_delayed_apps_cache()
        state.apps  # noqa: B018  (renders every model once; clones reuse the registry)
        self.renders += 1
        self._states[(threading.get_ident(), *key)] = state
        return state.clone()

    def get_or_make(self, key: tuple[Hashable, ...], make: Callable[[], Any]) -> Any:
        cached = self.get(key)
        return cached if cached is not None else self.put(key, make())


def executor_class(
    cache: StateCache, around_migration: AroundMigration | None = None
) -> type[CachedMigrationExecutor]:
    """Core's cached executor, taking its project states from ``cache``.

    ``around_migration(connection, migration)``, when given, is a context manager each
    migration is applied or unapplied in (``migrate`` gives atomic migrations of a plan
    that is not one transaction a transaction of their own there).
    """
    around = around_migration or _nothing_around

    class SharedStateMigrationExecutor(CachedMigrationExecutor):
        _state_key: tuple[Hashable, ...] | None = None

        def _create_project_state(self, with_applied_migrations: bool = False) -> Any:
            graph = self.loader.graph
            applied = (
                frozenset(key for key in self.loader.applied_migrations if key in graph.nodes)
                if with_applied_migrations
                else None
            )
            key = ("before", id(graph), applied)
            self._state_key = key
            make = super()._create_project_state
            return cache.get_or_make(key, lambda: make(with_applied_migrations))

        def apply_migration(
            self, state: Any, migration: Any, fake: bool = False, fake_initial: bool = False
        ) -> Any:
            with around(self.connection, migration):
                return super().apply_migration(
                    state, migration, fake=fake, fake_initial=fake_initial
                )

        def unapply_migration(self, state: Any, migration: Any, fake: bool = False) -> Any:
            with around(self.connection, migration):
                return super().unapply_migration(state, migration, fake=fake)

        def migrate(
            self,
            targets: Any,
            plan: Any = None,
            state: Any = None,
            fake: bool = False,
            fake_initial: bool = False,
        ) -> Any:
            # Only the call Django's migrate makes is shared: an explicit plan, from the
            # state this executor just built (the plan always runs, on the schema).
            result = super().migrate(
                targets, plan=plan, state=state, fake=fake, fake_initial=fake_initial
            )
            if plan is None or state is None or self._state_key is None:
                return result
            steps = tuple((m.app_label, m.name, backwards) for m, backwards in plan)
            key = ("after", *self._state_key, steps)
            cached = cache.get(key)
            return cached if cached is not None else cache.put(key, result)

    return SharedStateMigrationExecutor
