"""Which Django app labels belong to which ``TENANTS`` entry.

``APPS`` lists app module paths (or AppConfig paths) as written in ``INSTALLED_APPS``; the
router and the migration machinery think in app labels. The mapping needs the app registry,
so it is computed lazily and cached per entry.
"""

from __future__ import annotations

import functools

from django.apps import apps

from .config import TenantConfig


@functools.cache
def app_labels_for(entry: TenantConfig) -> frozenset[str]:
    """The labels of the installed apps named in ``entry.apps``."""
    wanted = set(entry.apps)
    labels = set()
    for app_config in apps.get_app_configs():
        class_path = f"{type(app_config).__module__}.{type(app_config).__qualname__}"
        if app_config.name in wanted or class_path in wanted or app_config.label in wanted:
            labels.add(app_config.label)
    return frozenset(labels)


@functools.cache
def installed_app_labels() -> frozenset[str]:
    """Labels of every installed app."""
    return frozenset(app_config.label for app_config in apps.get_app_configs())


def clear_app_label_cache() -> None:
    app_labels_for.cache_clear()
    installed_app_labels.cache_clear()
