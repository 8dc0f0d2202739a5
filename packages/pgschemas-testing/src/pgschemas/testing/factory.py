"""Making dynamic tenants (and their domains) for tests, fast.

Inside a test's transaction (pytest's ``db``, Django's ``TestCase``) a new tenant takes a
spare schema (:mod:`.spares`): one ``ALTER SCHEMA ... RENAME`` and two INSERTs, all rolled
back with the test. Outside a transaction (``transactional_db``, ``TransactionTestCase``)
the tenant is committed, and :meth:`TenantFactory.cleanup` deletes it afterwards, giving
its schema back as a spare. With no spare left the tenant is built the normal way
(migrations or clone), which is slower but just as correct.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, transaction

from pgschemas.core import ddl
from pgschemas.core.config import get_config

from .spares import applied_migrations, ensure_spares, give_back_spare, take_spare, worker_id

_counter = itertools.count(1)


def tenant_model() -> Any:
    """The project's tenant model (``TENANTS["public"]["TENANT_MODEL"]``)."""
    label = get_config().tenant_model
    if not label:
        raise ImproperlyConfigured(
            'Dynamic test tenants need TENANTS["public"]["TENANT_MODEL"] (e.g. '
            '"customers.Client"); static tenants need no model: use static_tenant("key").'
        )
    return apps.get_model(label)


def domain_model() -> Any:
    """The project's domain model (``TENANTS["public"]["DOMAIN_MODEL"]``)."""
    label = get_config().domain_model
    if not label:
        raise ImproperlyConfigured(
            'A test tenant with a domain needs TENANTS["public"]["DOMAIN_MODEL"] (and '
            "pgschemas-routing); leave domain empty for a tenant without one."
        )
    return apps.get_model(label)


def default_domain() -> str:
    """``tenant.test`` for projects with a domain model (routing), "" for core-only ones."""
    return "tenant.test" if get_config().domain_model else ""


def shared_domain() -> str:
    """Domain of the worker's shared tenant (apart from ``tenant.test``, which fresh
    tenants use), e.g. ``gw1.tenant.test``; "" without a domain model."""
    return f"{worker_id()}.tenant.test" if get_config().domain_model else ""


def unique_schema_name(prefix: str = "tenant") -> str:
    """A schema name unique in this test process and worker, e.g. ``tenant_gw1_3``."""
    return f"{prefix}_{worker_id()}_{next(_counter)}"


def clear_routing_cache() -> None:
    """Forget routes cached in this process (rolled-back rows send no signal)."""
    try:
        from pgschemas.routing import cache
    except ImportError:  # routing is optional
        return
    cache.clear_local()


def _has_field(model: Any, name: str) -> bool:
    return any(field.name == name for field in model._meta.get_fields())


def invalidate_routing_cache() -> None:
    """Forget cached routes in every process sharing the routing cache."""
    try:
        from pgschemas.routing import cache
    except ImportError:  # routing is optional
        return
    cache.invalidate()


@dataclass
class _Taken:
    tenant: Any
    spare: str | None
    migrations: frozenset[tuple[str, str]] = frozenset()


class TenantFactory:
    """Creates dynamic tenants for one test; :meth:`cleanup` undoes what was committed."""

    def __init__(self, using: str | None = None) -> None:
        self.using = using or get_config().tenant_db_alias
        self._committed: list[_Taken] = []

    def prepare(self) -> None:
        """Build the spares if this process has not yet (call outside any transaction)."""
        ensure_spares(self.using)

    def create(
        self,
        schema_name: str | None = None,
        *,
        domain: str = "",
        folder: str = "",
        schema_exists: bool = False,
        from_spare: bool = True,
        **fields: Any,
    ) -> Any:
        """A saved tenant with its schema (and a primary domain when ``domain`` is given).

        ``schema_exists``: the schema is there already (only the rows are missing);
        ``from_spare=False``: build the schema the normal way even when a spare is free.
        """
        model = tenant_model()
        tenant = model(schema_name=schema_name or unique_schema_name(), **fields)
        in_test_transaction = connections[self.using].in_atomic_block
        with transaction.atomic(using=self.using):
            spare = None
            if model.auto_create_schema and from_spare and not schema_exists:
                spare = take_spare(tenant.schema_name, self.using)
            if spare is not None or schema_exists:
                tenant.auto_create_schema = False  # the renamed spare (or existing) schema
                tenant.save(using=self.using)
                del tenant.auto_create_schema
            else:
                tenant.save(using=self.using)
            if domain:
                model_of_domains = domain_model()
                extra = {"is_primary": True} if _has_field(model_of_domains, "is_primary") else {}
                row = model_of_domains(tenant=tenant, domain=domain, folder=folder, **extra)
                # One INSERT (bulk_create skips save()'s primary-domain bookkeeping: the
                # first and only domain of a new tenant is its primary by construction);
                # the routing cache is cleared below.
                model_of_domains.objects.using(self.using).bulk_create([row])
        if not in_test_transaction:
            migrations = (
                applied_migrations(tenant.schema_name, self.using) if spare else frozenset()
            )
            self._committed.append(_Taken(tenant, spare, migrations))
            invalidate_routing_cache()  # committed: other processes may have cached the host
        clear_routing_cache()
        return tenant

    def cleanup(self) -> None:
        """Delete the committed tenants this factory made; give their schemas back."""
        model = tenant_model()
        manager = model._base_manager.using(self.using)
        while self._committed:
            taken = self._committed.pop()
            current = manager.filter(pk=taken.tenant.pk).values_list("schema_name", flat=True)
            name = current.first() or taken.tenant.schema_name
            row = manager.filter(pk=taken.tenant.pk).first()
            if row is not None:
                # Django's delete (rows and cascades) without TenantModel's schema drop:
                # the schema is given back as a spare or dropped below.
                models.Model.delete(row, using=self.using)
            if taken.spare is not None:
                give_back_spare(name, taken.spare, self.using, taken.migrations)
            else:
                ddl.drop_schema(name, using=self.using)
        clear_routing_cache()


_shared: dict[str, Any] = {}


def shared_tenant(using: str | None = None) -> Any:
    """This worker's committed tenant ``tenant_<worker>`` on :func:`shared_domain`.

    For test classes whose every write is rolled back (``TenantTestCase``): they can all
    share one tenant, so a class pays one query for it. Call it outside any transaction:
    it (re)creates what is missing (the first time, or after a ``TransactionTestCase``
    flushed the tenant row away) committed, and brings a kept schema up to date once.
    """
    alias = using or get_config().tenant_db_alias
    model = tenant_model()
    manager = model._base_manager.using(alias)
    known = _shared.get(alias)
    if known is not None and manager.filter(pk=known.pk).exists():
        return known
    name = f"tenant_{worker_id()}"
    found = manager.filter(schema_name=name).first()
    if found is not None and ddl.schema_exists(name, using=alias):
        if known is None:  # first use in this process: a kept database may be behind
            from pgschemas.core.migration import migrate_schema

            migrate_schema(found)
        _shared[alias] = found
        return found
    if found is not None:  # a row without its schema
        models.Model.delete(found, using=alias)
    # Not from a spare: the spares stay for the tests that need fresh tenants.
    tenant = TenantFactory(alias).create(
        name,
        domain=shared_domain(),
        schema_exists=ddl.schema_exists(name, using=alias),
        from_spare=False,
    )
    _shared[alias] = tenant
    return tenant
