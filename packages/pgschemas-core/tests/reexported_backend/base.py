"""An ENGINE module under another path handing Django pgschemas' wrapper (as the
compatibility package's aliases do): the backend check must accept it."""

from pgschemas.core.postgresql.base import DatabaseWrapper

__all__ = ["DatabaseWrapper"]
