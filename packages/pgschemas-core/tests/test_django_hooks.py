"""The one test that watches Django's private migration details we rely on.

When it fails after a Django upgrade, the message names the hook and what of ours uses it:
read that code (``pgschemas.core.migration``) against the new Django before anything else.
"""

from __future__ import annotations

from pgschemas.core.migration import django_hooks
from pgschemas.core.migration.django_hooks import HOOKS, Hook, broken_hooks


def test_every_private_django_detail_we_rely_on_is_where_we_expect_it() -> None:
    broken = broken_hooks()
    assert not broken, "Django changed what pgschemas.core.migration relies on:\n" + "\n".join(
        f"- {hook.name} (used by {hook.used_by})" for hook in broken
    )


def test_a_moved_detail_is_reported_by_name() -> None:
    def moved() -> bool:
        raise AttributeError("gone")

    fake = (Hook("Executor.vanished", "nothing", moved), Hook("fine", "nothing", lambda: True))
    assert [hook.name for hook in broken_hooks(fake)] == ["Executor.vanished"]
    assert len(HOOKS) >= 10


def test_the_migrate_command_executor_is_swapped_for_the_block_only() -> None:
    from django.core.management.commands import migrate as django_migrate

    class Marker(django_migrate.MigrationExecutor):
        pass

    original = django_migrate.MigrationExecutor
    with django_hooks.migrate_command_executor(Marker):
        assert django_migrate.MigrationExecutor is Marker
    assert django_migrate.MigrationExecutor is original
