"""A non-atomic migration: runs in autocommit, so no SET LOCAL timeout can apply to it, and
nothing set for the previous migration may have stayed on the session."""

from django.db import migrations

CHECK = """
DO $$ BEGIN
    IF current_setting('lock_timeout') <> '0' THEN
        RAISE EXCEPTION 'lock_timeout leaked: %', current_setting('lock_timeout');
    END IF;
END $$
"""


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("tenant_app", "0002_check_timeouts")]

    operations = [
        migrations.RunSQL(CHECK, migrations.RunSQL.noop),
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY item_name_idx ON tenant_app_item (name)",
            "DROP INDEX CONCURRENTLY item_name_idx",
        ),
    ]
