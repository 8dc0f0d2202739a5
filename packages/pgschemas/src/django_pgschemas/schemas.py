"""The plural spelling some django-pgschemas documentation uses for :mod:`.schema`."""

from .schema import *  # noqa: F403
from .schema import __all__ as __all__
