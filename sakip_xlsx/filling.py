"""Fill a blank template with data, only through the published schema.

One path serves every program that types figures into a template the way a
person would: ``samples/build.py`` (the sample workbooks) and ``impor`` (a
finished report's figures).  Single cells go to ``cells[].sheet/cell`` of
:func:`sakip_xlsx.schema.template_schema`, table rows from ``first_data_row``
down at each column's letter, free tables under a title on the free-tables
sheet.  Text stays text (a printed figure such as ``98,32 %`` reaches the
reader as typed); text that a spreadsheet would take for a formula is stored
as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .cells import column_index
from .description import TEMPLATE
from .precision import is_number
from .schema import template_schema
from .values import UnreadableValue, parse_value

NUMERIC_TYPES = frozenset({"rupiah", "number", "percent", "integer", "year", "target"})
#: Text starting with these would be taken for a formula by a spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@")


class FillError(ValueError):
    """Data that cannot be written into the template."""


@dataclass
class FreeTable:
    """A numeric table for the free-tables sheet: title, header, optional rule row, rows."""

    title: str
    header: Sequence[Any]
    rows: Sequence[Sequence[Any]]
    rules: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Filled:
    """What was written, for reporting and for checking it back."""

    #: cell field -> value written (None: left blank)
    cells: dict[str, Any] = field(default_factory=dict)
    #: table id -> one dict per row: field -> value written
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: table id -> first data row of the table in the template
    first_rows: dict[str, int] = field(default_factory=dict)
    #: (where, unknown field names) for fields the schema does not know
    unknown: list[tuple[str, list[str]]] = field(default_factory=list)
    #: table ids the schema does not know
    unknown_tables: list[str] = field(default_factory=list)
    #: first sheet row of each free table written
    free_rows: list[int] = field(default_factory=list)


def clean_number(text: str, value_type: str) -> int | float | None:
    """The plain number ``text`` reads as for the column type, or None when not clean.

    Clean: one number, no range, no unit or grade words, no ambiguity note
    (those keep their text so that the reader sees what the report printed).
    """
    try:
        parsed = parse_value(text, value_type)
    except UnreadableValue:
        return None
    if parsed.kind != "number" or parsed.note or parsed.unit or parsed.grade:
        return None
    if not is_number(parsed.value):
        return None
    return parsed.value


def cell_value(raw: Any, value_type: str, typed_numbers: bool = False) -> Any:
    """What goes into the cell for a value (None: leave the cell blank).

    Strings are kept as typed, except a year (written as a number) and, with
    ``typed_numbers``, any numeric column value that reads as a plain number.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise FillError(f"unsupported value {raw!r}: use a string, a number or None")
    if isinstance(raw, (int, float)):
        return raw
    if value_type == "year" or (typed_numbers and value_type in NUMERIC_TYPES):
        number = clean_number(raw, value_type)
        if number is not None:
            return number
    return raw


def put(cell: Any, value: Any) -> None:
    """Write ``value``; text stays text even when it looks like a formula."""
    if value is None:
        return
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"  # openpyxl takes "=..." for a formula


def fill_workbook(
    workbook: Any,
    cells: Mapping[str, Any],
    tables: Mapping[str, Iterable[Mapping[str, Any]]],
    free_tables: Iterable[FreeTable] = (),
    typed_numbers: bool = False,
) -> Filled:
    """Write ``cells``, ``tables`` and ``free_tables`` into an openpyxl template workbook.

    Fields and tables the schema does not know are not written; they are
    listed in ``Filled.unknown`` / ``Filled.unknown_tables``.
    """
    schema = template_schema()
    filled = Filled()
    cell_spec = {cell["field"]: cell for cell in schema["cells"]}
    unknown = sorted(set(cells) - set(cell_spec))
    if unknown:
        filled.unknown.append(("cells", unknown))
    for name, raw in cells.items():
        spec = cell_spec.get(name)
        if spec is None:
            continue
        value = cell_value(raw, spec["type"], typed_numbers)
        filled.cells[name] = value
        put(workbook[spec["sheet"]][spec["cell"]], value)

    table_spec = {table["id"]: table for table in schema["tables"]}
    filled.unknown_tables = sorted(set(tables) - set(table_spec))
    for table_id, rows in tables.items():
        spec = table_spec.get(table_id)
        if spec is None:
            continue
        columns = {column["field"]: column for column in spec["columns"]}
        sheet = workbook[spec["sheet"]]
        first = int(spec["first_data_row"])
        filled.first_rows[table_id] = first
        written_rows = filled.rows.setdefault(table_id, [])
        for index, row in enumerate(rows):
            excel_row = first + index
            names = sorted(set(row) - set(columns))
            if names:
                filled.unknown.append(
                    (f"table {table_id} row {index} (sheet {spec['sheet']} row {excel_row})", names)
                )
            written: dict[str, Any] = {}
            for name, raw in row.items():
                column = columns.get(name)
                if column is None:
                    continue
                value = cell_value(raw, column["type"], typed_numbers)
                written[name] = value
                put(sheet[f"{column['column']}{excel_row}"], value)
            written_rows.append(written)

    free_tables = list(free_tables)
    if free_tables:
        from .freetables import FIRST_TABLE_ROW

        sheet = workbook[TEMPLATE.free_sheet]
        row = FIRST_TABLE_ROW
        for table in free_tables:
            filled.free_rows.append(row)
            title = str(table.title or "Tabel")
            put(
                sheet.cell(row=row, column=1),
                title if title.lower().startswith("tabel") else f"Judul: {title}",
            )
            row += 1
            for index, header in enumerate(table.header):
                put(sheet.cell(row=row, column=index + 1), header)
            row += 1
            if table.rules:
                # "Rumus: <rule>" in column A marks the row and still gives column A its rule ("kode")
                first = table.rules.get("A")
                put(sheet.cell(row=row, column=1), f"Rumus: {first}" if first else "Rumus")
                for letter, rule in table.rules.items():
                    if letter == "A":
                        continue
                    column = column_index(letter) + 1 if letter != "cek" else 2
                    put(sheet.cell(row=row, column=column), rule)
                row += 1
            for values in table.rows:
                for index, value in enumerate(values):
                    if value not in (None, ""):
                        put(sheet.cell(row=row, column=index + 1), value)
                row += 1
            row += 1
    return filled
