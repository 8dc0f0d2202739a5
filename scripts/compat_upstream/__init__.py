"""Support code of scripts/compat-upstream (upstream django-pgschemas' tests on ours)."""
