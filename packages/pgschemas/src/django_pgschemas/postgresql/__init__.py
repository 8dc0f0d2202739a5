"""``ENGINE = "django_pgschemas.postgresql"``: pgschemas-core's schema-aware backend."""
