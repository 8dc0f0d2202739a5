"""``ENGINE = "django_pgschemas.postgresql_backend"``: the engine name of older releases."""
