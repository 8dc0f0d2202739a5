"""``LeanProjectState``: migration states that render only what a new model changes."""

from __future__ import annotations

import weakref
from functools import cached_property
from typing import Any

from django.db.migrations.state import ModelState, ProjectState, StateApps


class LeanProjectState(ProjectState):
    """A ``ProjectState`` whose ``CreateModel`` re-renders only the new model's neighbours.

    Django re-renders, for every new model, every model reachable from it through
    relations (``reload_model(delay=False)``): a tenant app whose models are linked (a
    chain of foreign keys, everything pointing at one model) costs quadratic renders, the
    bulk of creating a tenant by migrations. A brand-new model has no stale class to
    replace; what changes is the reverse side of the models it points to, and re-rendering
    those and their direct neighbours (Django's own ``delay=True``) is enough for the
    schema editor. Django already renders delayed states fully where full consistency
    matters: ``RunPython`` (``clear_delayed_apps_cache()`` before calling the code) and the
    post-migrate state, so migrations see the same models as with plain ``migrate``.

    When ``RunPython`` renders a delayed clone afresh, the fresh registry is handed back to
    the state it was cloned from (if neither changed since), so a later ``RunPython`` does
    not render everything again. Nothing is rendered for a ``RunPython`` that the router
    skips in this schema, as with Django's states.
    """

    is_delayed: bool
    _generation = 0
    _give_back = False
    _source: tuple[weakref.ref[LeanProjectState], int] | None = None

    def add_model(self, model_state: ModelState) -> None:
        model_key = model_state.app_label, model_state.name_lower
        self.models[model_key] = model_state
        if self._relations is not None:
            self.resolve_model_relations(model_key)
        self._generation += 1
        if "apps" in self.__dict__:
            self.reload_model(*model_key, delay=True)

    def remove_model(self, app_label: str, model_name: str) -> None:
        self._generation += 1
        super().remove_model(app_label, model_name)

    def reload_model(self, app_label: str, model_name: str, delay: bool = False) -> None:
        self._generation += 1
        super().reload_model(app_label, model_name, delay=delay)

    def reload_models(self, models: Any, delay: bool = True) -> None:
        self._generation += 1
        super().reload_models(models, delay=delay)

    def clone(self) -> LeanProjectState:
        new_state: LeanProjectState = super().clone()
        new_state.__class__ = LeanProjectState
        new_state._generation = 0
        new_state._source = (weakref.ref(self), self._generation)
        return new_state

    def clear_delayed_apps_cache(self) -> None:
        if not (self.is_delayed and "apps" in self.__dict__):
            return
        del self.__dict__["apps"]
        self.is_delayed = False
        self._give_back = self._source is not None and not self._generation

    @cached_property
    def apps(self) -> Any:
        apps = StateApps(self.real_apps, self.models)
        source = self._source[0]() if self._give_back and self._source else None
        if (
            source is not None
            and self._source is not None
            and not self._generation
            and source._generation == self._source[1]
            and source.is_delayed
        ):
            # Neither state changed since the clone: the source has the same models, and
            # this registry was rendered from scratch.
            source.__dict__["apps"] = apps.clone()
            source.is_delayed = False
        self._give_back = False
        return apps
