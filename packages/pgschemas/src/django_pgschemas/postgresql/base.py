"""Django loads ``<ENGINE>.base.DatabaseWrapper``: hand it pgschemas-core's wrapper."""

from pgschemas.core.postgresql.base import DatabaseWrapper

__all__ = ["DatabaseWrapper"]
