"""Used by the timeout test: fails unless the migration timeouts are set for this migration."""

from django.db import migrations

CHECK = """
DO $$ BEGIN
    IF current_setting('lock_timeout') <> '3s' THEN
        RAISE EXCEPTION 'lock_timeout is %, not 3s', current_setting('lock_timeout');
    END IF;
END $$
"""


class Migration(migrations.Migration):
    dependencies = [("tenant_app", "0001_initial")]

    operations = [migrations.RunSQL(CHECK, migrations.RunSQL.noop)]
