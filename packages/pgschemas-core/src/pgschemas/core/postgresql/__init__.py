"""Database backend that follows the active schema (``ENGINE = "pgschemas.core.postgresql"``)."""
