"""Django loads ``<ENGINE>.base.DatabaseWrapper``: pgschemas-core's wrapper."""

from pgschemas.core.postgresql.base import DatabaseWrapper

__all__ = ["DatabaseWrapper"]
