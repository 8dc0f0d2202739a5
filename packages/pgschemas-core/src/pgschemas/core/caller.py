"""Warnings that point at the user's line, not at ours.

A warning raised deep in the library (a tenant provisioned with migrations because the
clone reference is behind, say) is only useful if its file and line are the caller's:
that is where a filter (``-W``, ``filterwarnings``) or a reader looks. The depth between
the caller and the ``warnings.warn`` call differs by path (``save()``,
``objects.create()``, a command, a signal receiver), so a fixed ``stacklevel`` is wrong
somewhere; :func:`warn` counts the frames instead, skipping every frame in the pgschemas
packages, the ``django_pgschemas`` compatibility layer and Django itself.
"""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["caller_stacklevel", "warn"]

#: Top-level packages whose frames are "library", never the caller.
_LIBRARY_PACKAGES = ("pgschemas", "django_pgschemas", "django", "asgiref")


def _library_folders() -> tuple[str, ...]:
    folders: list[str] = []
    for name in _LIBRARY_PACKAGES:
        module = sys.modules.get(name)
        for folder in getattr(module, "__path__", None) or ():
            folders.append(os.path.join(os.path.realpath(folder), ""))
    return tuple(folders)


def caller_stacklevel(skip: int = 1) -> int:
    """The ``stacklevel`` for ``warnings.warn`` that names the first non-library frame.

    ``skip`` frames are the helper functions between ``warnings.warn`` and this call
    (1: the function calling ``warnings.warn`` calls this one directly). Falls back to
    the outermost frame when everything on the stack is library code.
    """
    folders = _library_folders()
    level = skip
    frame = sys._getframe(skip)
    while frame.f_back is not None:
        filename = os.path.realpath(frame.f_code.co_filename)
        if not filename.startswith(folders):
            return level
        frame = frame.f_back
        level += 1
    return level


def warn(message: str, category: type[Warning]) -> None:
    """``warnings.warn(message, category)`` attributed to the caller's line."""
    warnings.warn(message, category, stacklevel=caller_stacklevel(2))
