"""The template contract (SPEC section 8), generated from the description."""

from __future__ import annotations

from typing import Any

from .description import RULES_TEXT_ROW, RULES_VERSION_ROW, TEMPLATE, Reference, TemplateDescription


def _list_of(description: TemplateDescription, value_list) -> Any:
    if value_list is None:
        return None
    if isinstance(value_list, Reference):
        table = description.table[value_list.table]
        return {"table": value_list.table, "field": value_list.field, "sheet": table.sheet}
    return list(description.value_list[value_list].values)


def _live(columns, letters: dict[str, str]) -> list[dict[str, Any]]:
    """Live-check columns (formulas, never read as input): a visible "Cek" column names the
    field it checks; the hidden helpers have ``checks`` null."""
    return [
        {
            "field": column.field,
            "header": column.header,
            "column": letters[column.field],
            "checks": column.checks,
            "hidden": column.hidden,
        }
        for column in columns
    ]


def template_schema(description: TemplateDescription = TEMPLATE) -> dict[str, Any]:
    """The contract a program needs to fill a blank template or read one."""
    cells = [
        {
            "field": cell_field.field,
            "sheet": sheet.sheet,
            "cell": sheet.cell(cell_field.field),
            "label": cell_field.label,
            "type": cell_field.type,
            "required": cell_field.required,
            "list": _list_of(description, cell_field.list),
            "reported": cell_field.reported,
        }
        for sheet in description.cell_sheets
        for cell_field in sheet.fields
    ]
    tables = [
        {
            "id": table.id,
            "sheet": table.sheet,
            "title": table.title,
            "header_row": table.header_row,
            "field_row": table.field_row,
            "first_data_row": table.first_data_row,
            "rows": table.rows,
            "key": table.key,
            "columns": [
                {
                    "field": column.field,
                    "header": column.header,
                    "column": table.letter(column.field),
                    "type": column.type,
                    "list": _list_of(description, column.list),
                    "required": column.required,
                    "reported": column.reported,
                    "help": column.help,
                }
                for column in table.columns
            ],
            "live": _live(table.live, table.live_letters),
        }
        for table in description.tables
    ]
    lists = [
        {
            "id": value_list.id,
            "header": value_list.header,
            "values": list(value_list.values),
            "extensible": value_list.extensible,
        }
        for value_list in description.lists
    ]
    live_cells = [
        {
            "sheet": sheet.sheet,
            "field": check.field,
            "cell": sheet.cell(check.field),
            "live": [
                {
                    **column,
                    "cell": f"{column['column']}{sheet.row(check.field)}",
                    "checks": check.field if column["checks"] else None,
                }
                for column in _live(sheet.live, sheet.live_letters)
            ],
        }
        for sheet in description.cell_sheets
        for check in sheet.live_checks
    ]
    return {
        "template_version": description.version,
        "sheets": list(description.sheet_order),
        "cells": cells,
        "tables": tables,
        "lists": lists,
        "live_cells": live_cells,
        "rules": {
            "sheet": description.rules_sheet,
            "version_cell": f"B{RULES_VERSION_ROW}",
            "rules_cell": f"B{RULES_TEXT_ROW}",
        },
    }
