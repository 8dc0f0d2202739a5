"""``LeanProjectState``: linear rendering of new models, same models in the end."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models
from django.db.migrations.state import ModelState, ProjectState

from pgschemas.core.migration import LeanProjectState

LINKS = 12


def chain() -> list[Any]:
    """CreateModel operations of a foreign-key chain: m01 -> m00, m02 -> m01, ..."""
    ops = []
    for i in range(LINKS):
        fields: list[tuple[str, Any]] = [("id", models.BigAutoField(primary_key=True))]
        if i:
            fields.append(("up", models.ForeignKey(f"chain.m{i - 1:02d}", models.CASCADE)))
        ops.append(migrations.CreateModel(f"M{i:02d}", fields))
    return ops


def apply_chain(state: ProjectState, monkeypatch: Any) -> int:
    """Apply the chain to a rendered state; return how many models were rendered."""
    calls = 0
    original = ModelState.render

    def render(self: ModelState, apps: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, apps)

    state.apps  # noqa: B018 - render the (empty) state, as the executor does
    with monkeypatch.context() as patched:
        patched.setattr(ModelState, "render", render)
        for op in chain():
            op.state_forwards("chain", state)
    return calls


def relations(state: ProjectState) -> dict[str, list[str]]:
    state.clear_delayed_apps_cache()
    return {
        model._meta.model_name: sorted(f.name for f in model._meta.get_fields())
        for model in state.apps.get_models()
    }


def test_new_models_render_linearly_not_quadratically(monkeypatch: Any) -> None:
    django_state = ProjectState()
    lean_state = LeanProjectState()
    django_renders = apply_chain(django_state, monkeypatch)
    lean_renders = apply_chain(lean_state, monkeypatch)
    assert django_renders == LINKS * (LINKS + 1) // 2  # each new model re-renders the chain
    assert lean_renders <= 3 * LINKS
    assert relations(lean_state) == relations(django_state)
    assert relations(lean_state)["m00"] == ["id", "m01"]


def test_clones_stay_lean() -> None:
    state = LeanProjectState()
    assert isinstance(state.clone(), LeanProjectState)
    assert isinstance(state.clone().clone(), LeanProjectState)


def test_a_fresh_render_goes_back_to_the_unchanged_source(monkeypatch: Any) -> None:
    """What RunPython triggers (clear_delayed_apps_cache on a clone) is rendered once."""
    source = LeanProjectState()
    apply_chain(source, monkeypatch)
    assert source.is_delayed
    clone = source.clone()
    clone.clear_delayed_apps_cache()
    assert source.is_delayed  # nothing rendered yet: RunPython may be skipped by the router
    clone.apps  # noqa: B018 - what RunPython's code gets
    assert not source.is_delayed
    assert "apps" in source.__dict__
    assert source.apps is not clone.apps
    assert relations(source) == relations(clone)
    assert relations(source)["m05"] == ["id", "m06", "up"]


def test_a_changed_source_keeps_its_own_apps(monkeypatch: Any) -> None:
    source = LeanProjectState()
    apply_chain(source, monkeypatch)
    clone = source.clone()
    source.add_model(ModelState("chain", "Extra", [("id", models.BigAutoField(primary_key=True))]))
    clone.clear_delayed_apps_cache()
    clone.apps  # noqa: B018
    assert source.is_delayed  # not replaced by a registry that lacks Extra
    assert "extra" in relations(source)
    assert "extra" not in relations(clone)


def test_a_changed_clone_gives_nothing_back(monkeypatch: Any) -> None:
    source = LeanProjectState()
    apply_chain(source, monkeypatch)
    clone = source.clone()
    clone.add_model(ModelState("chain", "Extra", [("id", models.BigAutoField(primary_key=True))]))
    clone.clear_delayed_apps_cache()
    clone.apps  # noqa: B018
    assert source.is_delayed
    assert "extra" not in relations(source)


def test_clearing_without_using_the_apps_renders_nothing(monkeypatch: Any) -> None:
    """A RunPython that the router skips in this schema costs no render."""
    source = LeanProjectState()
    apply_chain(source, monkeypatch)
    clone = source.clone()
    calls = 0
    original = ModelState.render

    def render(self: ModelState, apps: Any) -> Any:
        nonlocal calls
        calls += 1
        return original(self, apps)

    monkeypatch.setattr(ModelState, "render", render)
    clone.clear_delayed_apps_cache()
    assert calls == 0
    assert source.is_delayed
