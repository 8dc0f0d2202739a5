"""System check: ``manage.py migrate`` must be ours.

Django picks, for each command name, the FIRST app in ``INSTALLED_APPS`` that ships it
(``django.core``'s own commands lose to every app). ``pgschemas.commands`` therefore has to be
listed above any other app that ships a ``migrate`` command; otherwise ``migrate`` would only
migrate ``public``. A subclass of our command (e.g. a meta-package alias) is fine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.checks import CheckMessage, Error, Tags, register
from django.core.management import get_commands, load_command_class

APP = "pgschemas.commands"


def check_migrate_command(
    app_configs: Iterable[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    from .management.commands.migrate import Command as OurMigrate

    errors: list[CheckMessage] = []
    for name in ("migrate", "migrateschema"):
        app_name = get_commands().get(name)
        if app_name is None or isinstance(app_name, OurMigrate):
            continue
        command = app_name if not isinstance(app_name, str) else load_command_class(app_name, name)
        if isinstance(command, OurMigrate):
            continue
        errors.append(
            Error(
                f"`manage.py {name}` resolves to the command of {app_name!r}, not to "
                f"pgschemas' {name} (so it would only migrate the public schema).",
                hint=f"Move {APP!r} above {app_name!r} in INSTALLED_APPS: Django uses the "
                f"first app that provides a command.",
                id="pgschemas_commands.E001",
            )
        )
    return errors


register(check_migrate_command, Tags.compatibility)
