"""Finding the schema a task message names, on the worker."""

from __future__ import annotations

from pgschemas.core.activation import override
from pgschemas.core.config import PUBLIC_KEY, get_config
from pgschemas.core.schema import Schema, SchemaLike, get_public_schema
from pgschemas.core.utils import get_tenant_model

from .exceptions import TaskSchemaNotFound


def schema_by_name(schema_name: str, alias: str | None, task_name: str) -> SchemaLike:
    """``public``, a static tenant, the clone reference or the tenant row named so.

    A dynamic tenant is looked up (one indexed query in ``public``) so the task sees the
    same tenant object a request would, and so a deleted tenant is noticed before the task
    body runs: :class:`TaskSchemaNotFound`, never a fall-through to ``public``.
    """
    config = get_config()
    alias = alias or config.tenant_db_alias
    if schema_name == PUBLIC_KEY:
        public = get_public_schema()
        return public if public.db_alias == alias else Schema(PUBLIC_KEY, alias=alias)
    if schema_name in config.static or schema_name == config.clone_reference:
        return Schema(schema_name, alias=alias)
    model = get_tenant_model()
    if model is not None:
        with override(get_public_schema()):
            tenant = model._default_manager.using(alias).filter(schema_name=schema_name).first()
        if tenant is not None:
            return tenant  # type: ignore[no-any-return]
    raise TaskSchemaNotFound.for_task(schema_name, task_name, alias)
