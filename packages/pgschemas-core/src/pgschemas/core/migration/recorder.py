"""``RunRecorder``: the migration recorder of one run, asking once whether its table exists."""

from __future__ import annotations

from django.db.migrations.recorder import MigrationRecorder


class RunRecorder(MigrationRecorder):
    """The ``MigrationRecorder`` of one migrate run: asks once whether its table exists.

    Django's recorder only remembers that ``django_migrations`` exists, and the loader,
    the history check and the executor each make their own: a new tenant's schema was
    asked four times per creation. Nothing but ``ensure_schema()`` creates the table
    during a run, so the answer is kept either way.
    """

    _exists: bool | None = None

    def has_table(self) -> bool:
        if self._exists is None:
            self._exists = self._table_in_current_schema()
        return self._exists

    def _table_in_current_schema(self) -> bool:
        # Django lists every table of the schema to answer this (a scan of pg_class that
        # grows with the number of tenants); one indexed lookup answers the same question.
        table = self.Migration._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass(format('%%I.%%I', current_schema(), %s::text)) IS NOT NULL",
                [table],
            )
            return bool(cursor.fetchone()[0])

    def ensure_schema(self) -> None:
        if not self.has_table():
            super().ensure_schema()
            self._exists = True
