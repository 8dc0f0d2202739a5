"""Signals sent through a schema's life.

Arguments (besides ``sender``):

- ``schema_activated``: ``schema`` - the schema (or tenant) just made active.
- ``dynamic_tenant_needs_sync``: ``tenant`` - a new tenant of a model with
  ``auto_create_schema = False`` was saved: its schema is the project's to build (as in
  django-pgschemas 1.x and django-tenants). Not sent when pgschemas provisions the schema.
- ``dynamic_tenant_post_sync``: ``tenant``, ``provisioned_by`` (``"migrations"``,
  ``"clone"``, ``"spare clone"``, ...) - the tenant's schema is provisioned.
- ``dynamic_tenant_pre_drop``: ``tenant`` - the tenant's schema is about to be dropped.
- ``dynamic_tenant_post_rename``: ``tenant``, ``old_name``, ``new_name`` - the schema and
  the row were renamed (sent inside the renaming transaction).
- ``schema_pre_migration`` / ``schema_post_migration``: ``schema``, ``plan`` (the list of
  ``(migration, backwards)`` pairs that runs or ran) - around migrations of one schema.

``sender`` is the concrete class (your tenant model). A receiver connected with an abstract
model as ``sender`` (``sender=TenantModel``, as django-pgschemas 1.x and django-tenants sent
it) receives the signals of every concrete subclass: see :class:`ModelSignal`.
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable
from typing import Any

from django.dispatch import Signal


def _is_abstract_model(sender: object) -> bool:
    meta = getattr(sender, "_meta", None)
    return isinstance(sender, type) and bool(getattr(meta, "abstract", False))


def _receiver_key(receiver: Callable[..., Any]) -> object:
    if inspect.ismethod(receiver):
        return (id(receiver.__self__), id(receiver.__func__))
    return id(receiver)


class ModelSignal(Signal):
    """A signal whose receivers may name an abstract base model as ``sender``.

    Django matches ``sender`` by identity, and pgschemas sends the concrete tenant model. A
    project written for django-pgschemas 1.x or django-tenants connects with the abstract
    base instead (they sent that), and would silently never hear a thing. Such a receiver
    is connected here for every sender, behind a filter that lets through subclasses of
    the base only; every other ``connect`` is Django's own.
    """

    def __init__(self) -> None:
        super().__init__()
        self._base_filters: dict[object, Callable[..., Any]] = {}

    def connect(
        self,
        receiver: Callable[..., Any],
        sender: object = None,
        weak: bool = True,
        dispatch_uid: object = None,
    ) -> None:
        if not _is_abstract_model(sender):
            super().connect(receiver, sender=sender, weak=weak, dispatch_uid=dispatch_uid)
            return
        assert isinstance(sender, type)
        uid = self._base_uid(receiver, sender, dispatch_uid)
        deliver = _filtered(receiver, sender, weak=weak)
        self._base_filters[uid] = deliver  # the signal holds it weakly otherwise
        super().connect(deliver, sender=None, weak=False, dispatch_uid=uid)

    def disconnect(
        self,
        receiver: Callable[..., Any] | None = None,
        sender: object = None,
        dispatch_uid: object = None,
    ) -> bool:
        if not _is_abstract_model(sender):
            return bool(super().disconnect(receiver, sender=sender, dispatch_uid=dispatch_uid))
        assert isinstance(sender, type)
        uid = self._base_uid(receiver, sender, dispatch_uid)
        self._base_filters.pop(uid, None)
        return bool(super().disconnect(dispatch_uid=uid))

    @staticmethod
    def _base_uid(
        receiver: Callable[..., Any] | None, base: type, dispatch_uid: object
    ) -> tuple[object, ...]:
        if dispatch_uid is None:
            if receiver is None:
                raise TypeError("disconnect() needs the receiver or its dispatch_uid")
            dispatch_uid = _receiver_key(receiver)
        return ("pgschemas.base-sender", id(base), dispatch_uid)


def _filtered(receiver: Callable[..., Any], base: type, *, weak: bool) -> Callable[..., Any]:
    """``receiver``, called only for senders that are ``base`` or subclass it."""
    target: Callable[[], Callable[..., Any] | None]
    if not weak:
        target = lambda: receiver  # noqa: E731
    elif inspect.ismethod(receiver):
        target = weakref.WeakMethod(receiver)
    else:
        target = weakref.ref(receiver)

    def wanted(sender: object) -> Callable[..., Any] | None:
        if isinstance(sender, type) and issubclass(sender, base):
            return target()
        return None

    if inspect.iscoroutinefunction(receiver):

        async def deliver_async(signal: Signal, sender: object, **named: Any) -> Any:
            found = wanted(sender)
            return None if found is None else await found(signal=signal, sender=sender, **named)

        return deliver_async

    def deliver(signal: Signal, sender: object, **named: Any) -> Any:
        found = wanted(sender)
        return None if found is None else found(signal=signal, sender=sender, **named)

    return deliver


schema_activated = Signal()
dynamic_tenant_needs_sync = ModelSignal()
dynamic_tenant_post_sync = ModelSignal()
dynamic_tenant_pre_drop = ModelSignal()
dynamic_tenant_post_rename = ModelSignal()
schema_pre_migration = Signal()
schema_post_migration = Signal()

#: Name used by django-pgschemas for :data:`schema_activated`.
schema_activate = schema_activated

__all__ = [
    "ModelSignal",
    "dynamic_tenant_needs_sync",
    "dynamic_tenant_post_rename",
    "dynamic_tenant_post_sync",
    "dynamic_tenant_pre_drop",
    "schema_activate",
    "schema_activated",
    "schema_post_migration",
    "schema_pre_migration",
]
