"""The sandbox's demo data, set up idempotently: safe (and fast) to run on every start.

``python3 scripts/demo`` calls :func:`setup_demo` on its own database at every start, and
the integration tests call it on theirs, so both exercise the same project and data.
It brings any database of the sandbox project to the demo's state and only
does what is missing: ``migrate`` (every schema; up-to-date schemas are skipped from one
bulk read), ``createrefschema`` when the clone reference does not exist yet, then the demo
tenants and their domains. A second call creates nothing and reports so.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.management import call_command, get_commands
from django.db import transaction

from pgschemas.core.config import get_config
from pgschemas.core.ddl import schema_exists
from pgschemas.core.utils import get_domain_model, get_tenant_model


@dataclass(frozen=True)
class DemoTenant:
    """A dynamic tenant of the demo and where it is served (host, and folder if any)."""

    schema_name: str
    name: str
    host: str
    folder: str = ""
    welcome: str = ""

    def url(self, port: int) -> str:
        path = f"/{self.folder}/" if self.folder else "/"
        return f"http://{self.host}:{port}{path}"


#: Subdomains of ``localhost`` resolve to the loopback address in every current browser.
DEMO_TENANTS: tuple[DemoTenant, ...] = (
    DemoTenant("acme", "Acme Corporation", "acme.localhost", welcome="Road runner traps"),
    DemoTenant("globex", "Globex", "globex.localhost", welcome="Quarterly plans"),
    DemoTenant("initech", "Initech", "initech.localhost", welcome="TPS reports"),
    DemoTenant(
        "umbrella",
        "Umbrella (folder tenant)",
        "tenants.localhost",
        folder="umbrella",
        welcome="Served from a folder of a shared domain",
    ),
)


@dataclass
class SetupReport:
    """What :func:`setup_demo` did, and what there is to visit."""

    migrated: str = ""
    created_reference: bool = False
    created_tenants: list[str] = field(default_factory=list)
    created_domains: list[str] = field(default_factory=list)
    tenants: list[DemoTenant] = field(default_factory=list)
    routable: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.created_reference or self.created_tenants or self.created_domains)


def _migrate(verbosity: int) -> str:
    out = io.StringIO()
    call_command("migrate", interactive=False, verbosity=verbosity, stdout=out, stderr=out)
    return out.getvalue()


def _ensure_reference(verbosity: int) -> bool:
    reference = get_config().clone_reference
    if not reference or "createrefschema" not in get_commands() or schema_exists(reference):
        return False
    call_command("createrefschema", verbosity=verbosity, stdout=io.StringIO())
    return True


def _ensure_tenant(spec: DemoTenant, report: SetupReport) -> Any:
    tenant_model = get_tenant_model()
    if tenant_model is None:
        raise RuntimeError("The demo needs dynamic tenants: set TENANTS['public']['TENANT_MODEL'].")
    manager = tenant_model._default_manager
    tenant = manager.filter(schema_name=spec.schema_name).first()
    if tenant is None:
        fields = {"name": spec.name} if _has_field(tenant_model, "name") else {}
        tenant = manager.create(schema_name=spec.schema_name, **fields)
        report.created_tenants.append(spec.schema_name)
        if spec.welcome:
            _add_welcome_note(tenant, spec.welcome)
    return tenant


def _has_field(model: Any, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def _add_welcome_note(tenant: Any, text: str) -> None:
    from django.apps import apps

    if not apps.is_installed("shared_common"):
        return
    note = apps.get_model("shared_common", "Note")
    with tenant:
        note._default_manager.create(text=text)


def _ensure_domain(tenant: Any, spec: DemoTenant, report: SetupReport) -> None:
    domain_model = get_domain_model()
    if domain_model is None:
        return
    _, created = domain_model._default_manager.get_or_create(
        domain=spec.host, folder=spec.folder, defaults={"tenant": tenant}
    )
    if created:
        report.created_domains.append(f"{spec.host}/{spec.folder}" if spec.folder else spec.host)


def setup_demo(
    tenants: Sequence[DemoTenant] = DEMO_TENANTS, *, migrate: bool = True, verbosity: int = 0
) -> SetupReport:
    """Bring the database to the demo's state; do nothing that is already done."""
    report = SetupReport(tenants=list(tenants))
    if migrate:
        report.migrated = _migrate(verbosity)
    report.created_reference = _ensure_reference(verbosity)
    for spec in tenants:
        with transaction.atomic():
            tenant = _ensure_tenant(spec, report)
            _ensure_domain(tenant, spec, report)
    report.routable = get_domain_model() is not None
    return report
