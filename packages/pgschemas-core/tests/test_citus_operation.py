"""``pgschemas.core.citus`` on a server without Citus: the same migrations run everywhere.

The behaviour on a real Citus cluster is tested by the Citus suite
(``python3 scripts/citus test``, integration_tests/citus_tests).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.state import ProjectState

from pgschemas.core.citus import CreateReferenceTable, check_citus, citus_installed


def test_a_model_that_is_not_app_label_dot_model_is_refused_with_an_example() -> None:
    with pytest.raises(ValueError, match=r"'ContentType'.*CreateReferenceTable\(\"contenttypes"):
        CreateReferenceTable("ContentType")


def test_it_deconstructs_for_the_migration_writer() -> None:
    operation = CreateReferenceTable("contenttypes.ContentType")
    assert operation.deconstruct() == ("CreateReferenceTable", ["contenttypes.ContentType"], {})
    assert operation.migration_name_fragment == "reference_table_contenttype"


@pytest.mark.django_db
def test_without_citus_the_operation_and_the_check_do_nothing() -> None:
    assert not citus_installed(connection)
    state = ProjectState.from_apps(apps)
    operation = CreateReferenceTable("contenttypes.ContentType")
    with connection.schema_editor(atomic=False) as editor:
        operation.database_forwards("shared_app", editor, state, state)
        operation.database_backwards("shared_app", editor, state, state)
        assert editor.deferred_sql == []
    assert check_citus(databases=["default"]) == []
