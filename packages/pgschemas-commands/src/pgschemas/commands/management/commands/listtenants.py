"""``manage.py listtenants [--json]``: the dynamic tenants, as a table or as JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.core.serializers.json import DjangoJSONEncoder

from pgschemas.commands.lifecycle import domain_model, tenant_model
from pgschemas.core.config import get_config


def _domains(tenant: Any, model: Any) -> list[str]:
    if model is None:
        return []
    fields = {field.name for field in model._meta.get_fields()}
    order = ("-is_primary", "pk") if "is_primary" in fields else ("pk",)
    rows = model._base_manager.filter(tenant=tenant).order_by(*order)
    return [f"{row.domain}/{row.folder}" if row.folder else row.domain for row in rows]


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("\t", " ").replace("\n", " ")


class Command(BaseCommand):
    help = (
        "List the dynamic tenants (schema name, domains, the tenant model's other fields), "
        "ordered by schema name; --json for a machine-readable list."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        model = tenant_model()
        domains = domain_model()
        fields = [
            field
            for field in model._meta.concrete_fields
            if not field.primary_key and field.name != "schema_name" and not field.is_relation
        ]
        alias = get_config().tenant_db_alias
        records = []
        for tenant in model._base_manager.using(alias).order_by("schema_name"):
            record: dict[str, Any] = {"schema_name": tenant.schema_name}
            record["domains"] = _domains(tenant, domains)
            for field in fields:
                record[field.name] = field.value_from_object(tenant)
            records.append(record)
        if options["json"]:
            self.stdout.write(json.dumps(records, cls=DjangoJSONEncoder, indent=2))
            return
        self._table(records, ["schema_name", "domains", *(field.name for field in fields)])

    def _table(self, records: list[dict[str, Any]], columns: list[str]) -> None:
        rows = [
            [_cell(", ".join(r[c]) if c == "domains" else r[c]) for c in columns] for r in records
        ]
        widths = [max([len(c), *(len(row[i]) for row in rows)]) for i, c in enumerate(columns)]

        def line(cells: list[str]) -> str:
            return "  ".join(
                cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
            ).rstrip()

        self.stdout.write(line(columns))
        for row in rows:
            self.stdout.write(line(row))
        if not rows:
            self.stderr.write("No dynamic tenants (static tenants are listed in settings.TENANTS).")
