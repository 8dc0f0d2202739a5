from __future__ import annotations

from typing import Any

from pgschemas.core.activation import get_current_schema


class CacheTableRouter:
    """Let ``createcachetable`` create DatabaseCache tables in ``public`` (docs/cache.md)."""

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if app_label == "django_cache":
            return get_current_schema().schema_name == "public"
        return None
