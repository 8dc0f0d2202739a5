"""Every change made to upstream's tests before they run against pgschemas.

The rule (issue 13): a test may only be changed where it imports or patches upstream's
private internals (underscore names, helpers its documentation never mentions), and an
expected value is never changed. Each change below is an exact text replacement that
must match exactly once (so an upstream update that moves the text fails loudly), with
its reason. The sandbox settings are not changed at all: they read the database host
and password from DATABASE_HOST / DATABASE_PASSWORD, which the runner sets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Change:
    path: str
    old: str
    new: str
    reason: str


# `CommandScope` is an undocumented enum of upstream's command module (its docs only
# show SchemaCommand / StaticSchemaCommand / DynamicSchemaCommand). Our commands carry the
# same information as `pgschemas.commands.selectors.Scope`; the tests only assign it.
_COMMAND_SCOPE = (
    "from types import SimpleNamespace\n\n"
    "from pgschemas.commands.selectors import Scope\n\n"
    "CommandScope = SimpleNamespace(\n"
    "    ALL=Scope(static=True, dynamic=True),\n"
    "    STATIC=Scope(static=True, dynamic=False),\n"
    "    DYNAMIC=Scope(static=False, dynamic=True),\n"
    ")\n"
)

CHANGES: tuple[Change, ...] = (
    Change(
        path="sandbox/tests/commands/test_tenant_related.py",
        old="from django_pgschemas.management.commands import CommandScope\n",
        new=_COMMAND_SCOPE,
        reason="CommandScope is an undocumented upstream internal; ours is Scope",
    ),
    Change(
        path="sandbox/tests/test_checks.py",
        old=(
            "    with pytest.raises(ImproperlyConfigured) as ctx:\n"
            "        checks.ensure_tenant_dict()\n"
            "\n"
            '    assert str(ctx.value) == "TENANTS dict setting not set."\n'
            "\n"
            "    settings.TENANTS = backup\n"
        ),
        new=(
            "    try:\n"
            "        with pytest.raises(ImproperlyConfigured) as ctx:\n"
            "            checks.ensure_tenant_dict()\n"
            "\n"
            '        assert str(ctx.value) == "TENANTS dict setting not set."\n'
            "    finally:\n"
            "        settings.TENANTS = backup\n"
        ),
        reason=(
            "checks.ensure_tenant_dict is an undocumented upstream helper; where it is "
            "missing the test deleted settings.TENANTS and never restored it, breaking "
            "every later test of the same xdist worker (the count then depended on test "
            "order). The restore now runs in a finally; the expectations are unchanged"
        ),
    ),
    Change(
        path="sandbox/tests/bugs/test_search_path_on_savepoint_rollback.py",
        old="            assert connection._search_path is None\n",
        new="            assert connection._pgschemas.known is None\n",
        reason=(
            "connection._search_path is upstream's private cache of the server's search "
            "path; ours is connection._pgschemas.known (None: unknown, re-sent next time)"
        ),
    ),
    Change(
        path="sandbox/tests/routing/test_models.py",
        old="from django_pgschemas.routing.models import get_primary_domain_for_tenant\n",
        new=(
            "from pgschemas.routing.models import (\n"
            "    get_primary_domain as get_primary_domain_for_tenant,\n"
            ")\n"
        ),
        reason=(
            "get_primary_domain_for_tenant is an undocumented upstream helper; ours is "
            "pgschemas.routing.models.get_primary_domain (same argument and result)"
        ),
    ),
    Change(
        path="sandbox/tests/commands/test_executors.py",
        old="from django_pgschemas.management.commands import CommandScope, SchemaCommand\n",
        new=_COMMAND_SCOPE + "from django_pgschemas.management.commands import SchemaCommand\n",
        reason=(
            "CommandScope is an undocumented upstream internal; ours is Scope. (The "
            "module still imports upstream's private _executors, which has no counterpart)"
        ),
    ),
)


def apply_changes(run_dir: Path) -> None:
    """Apply CHANGES to the extracted sandbox in ``run_dir``."""
    for change in CHANGES:
        target = run_dir / change.path
        text = target.read_text()
        count = text.count(change.old)
        if count != 1:
            raise SystemExit(
                f"compat-upstream: allowed change for {change.path} ({change.reason}) "
                f"matches {count} times instead of once; review scripts/compat_upstream/"
                "allowed_changes.py against this upstream version"
            )
        target.write_text(text.replace(change.old, change.new))
