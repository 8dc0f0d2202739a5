"""Development helpers for pgschemas (unpublished): embedded PostgreSQL, settings, pytest plugin."""

__version__ = "0.1.0"
