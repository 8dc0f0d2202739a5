"""Django ``TestCase`` classes with a dynamic tenant, for ``manage.py test`` projects.

``TenantTestCase`` classes that do not customise their tenant share one committed tenant
per worker (made once; everything the tests write is rolled back with each class). A
class that does (name, fields, folder, domain) makes its own inside the class's
transaction, from a spare schema (see :mod:`.spares`): no migrations either way. ``TenantTransactionTestCase`` makes a committed
tenant per test and gives its schema back afterwards. In both, the tenant is active while
tests run (and in ``setUpTestData``), and ``self.client`` sends requests to its domain.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import TestCase, TransactionTestCase

from pgschemas.core import activation

from .client import TenantClient
from .factory import TenantFactory, default_domain, shared_domain, shared_tenant


class _TenantCaseMixin:
    """What both cases share: how the tenant is described and the client bound to it."""

    #: Primary domain of the tenant. None (and nothing else customised): the worker's
    #: shared tenant, at ``<worker>.tenant.test``. Set (``"tenant.test"``, or "" for none:
    #: then ``self.client`` is a plain client): the class makes its own tenant.
    tenant_domain: ClassVar[str | None] = None
    #: Folder under the domain ("" for the whole domain).
    tenant_folder: ClassVar[str] = ""
    #: Schema name; None for a unique one per class and worker.
    tenant_schema_name: ClassVar[str | None] = None
    #: Other fields of the tenant model.
    tenant_fields: ClassVar[dict[str, Any]] = {}

    tenant: Any
    _tenant_factory: TenantFactory
    _tenant_made: ClassVar[bool] = False

    @classmethod
    def make_tenant(cls, factory: TenantFactory) -> Any:
        """Create the tenant; override to add data every test of the class needs."""
        return factory.create(
            cls.tenant_schema_name,
            domain=cls._domain(),
            folder=cls.tenant_folder,
            **cls.tenant_fields,
        )

    @classmethod
    def _shares_tenant(cls) -> bool:
        return False

    @classmethod
    def _domain(cls) -> str:
        return default_domain() if cls.tenant_domain is None else cls.tenant_domain

    @classmethod
    def _bind_client(cls, case: Any) -> None:
        domain = shared_domain() if cls._shares_tenant() else cls._domain()
        if domain:  # known: no query for the tenant's domain before every test
            case.client = TenantClient(cls.tenant, domain=domain, folder=cls.tenant_folder)


class TenantTestCase(_TenantCaseMixin, TestCase):
    """``TestCase`` with ``cls.tenant``: made once per class, rolled back with the class."""

    @classmethod
    def _shares_tenant(cls) -> bool:
        """Nothing about the tenant is customised: the worker's shared tenant will do."""
        return (
            cls.tenant_schema_name is None
            and not cls.tenant_fields
            and not cls.tenant_folder
            and cls.tenant_domain is None
            and all(
                "make_tenant" not in klass.__dict__
                for klass in cls.__mro__
                if klass is not _TenantCaseMixin
            )
        )

    @classmethod
    def _enter_atomics(cls) -> Any:
        # Called for the class transaction (setUpClass) and for each test's savepoint; the
        # tenant is made once, in the class transaction, from a spare built before it.
        if cls.__dict__.get("_tenant_made"):
            return super()._enter_atomics()
        if cls._shares_tenant():
            # One committed tenant for every such class of this worker: nothing to make.
            cls.tenant = shared_tenant()
            atomics = super()._enter_atomics()
            activation.enter(cls.tenant)
            cls._tenant_made = True
            return atomics
        cls._tenant_factory = TenantFactory()
        cls._tenant_factory.prepare()
        atomics = super()._enter_atomics()
        try:
            cls.tenant = cls.make_tenant(cls._tenant_factory)
        except BaseException:
            cls._rollback_atomics(atomics)
            raise
        activation.enter(cls.tenant)
        cls._tenant_made = True
        return atomics

    @classmethod
    def tearDownClass(cls) -> None:
        if cls.__dict__.get("_tenant_made"):
            cls._tenant_made = False
            activation.leave()
        super().tearDownClass()

    @classmethod
    def _pre_setup(cls) -> None:
        super()._pre_setup()
        cls._bind_client(cls)


class TenantTransactionTestCase(_TenantCaseMixin, TransactionTestCase):
    """``TransactionTestCase`` with ``self.tenant``: committed per test, removed after it."""

    @classmethod
    def _pre_setup(cls) -> None:
        super()._pre_setup()
        cls._tenant_factory = TenantFactory()
        cls._tenant_factory.prepare()
        cls.tenant = cls.make_tenant(cls._tenant_factory)
        activation.enter(cls.tenant)
        cls._bind_client(cls)

    def _post_teardown(self) -> None:
        try:
            activation.leave()
            self._tenant_factory.cleanup()
        finally:
            super()._post_teardown()
