"""The results-workbook table of each free table, its recomputed cells as live formulas."""

from __future__ import annotations

from typing import Any

from ..expr import Ref
from ..tables import DColumn, DerivedTable
from .check import _Analysis
from .sheet import FreeTable, _blank, _short_title, _text


def _column_kind(analysis: _Analysis, column: str) -> str:
    table = analysis.table
    if column == table.kode_column:
        return "kode"
    values = [
        row.cells[column].value for row in table.rows if column in row.cells and row.cells[column].is_number
    ]
    if not values:
        return "text"
    header = table.headers[column].lower()
    rule = analysis.rules.get(column)
    if (rule is not None and rule.ratio) or "%" in header or "persen" in header:
        return "percent"
    if all(float(v).is_integer() for v in values):
        return "integer"
    return "number"


def free_table_derived(tables: list[FreeTable]) -> list[DerivedTable]:
    """One results-workbook table per free table ("Bebas 1", "Bebas 2", ...).

    Data cells refer to the copy of the free-table sheet (same addresses); totals, means, kode
    parents and rule columns are live formulas of the recomputed values.
    """
    derived: list[DerivedTable] = []
    for number, table in enumerate(tables, 1):
        try:
            derived.append(_derived_table(table, number))
        except RecursionError:
            continue  # reported by check_free_tables
    return derived


def _derived_table(table: FreeTable, number: int) -> DerivedTable:
    """The results-workbook table of one free table."""
    analysis = _Analysis(table, number)
    columns = []
    for column in analysis.columns:
        kind = _column_kind(analysis, column)
        columns.append(DColumn(column, table.headers[column], kind, 30 if kind == "text" else 14))
    last = table.rows[-1].row if table.rows else table.header_row
    result = DerivedTable(
        analysis.skeleton.id,
        analysis.skeleton.sheet,
        table.title,
        columns,
        note=(
            f"Salinan tabel dari lembar {table.sheet} baris {table.title_row}–{last}; jumlah, rata-rata, "
            "induk kode dan kolom berumus dihitung ulang."
        ),
    )
    for i, row in enumerate(table.rows):
        cells: dict[str, Any] = {}
        for column in analysis.columns:
            cell = analysis.content(i, column)
            entry = row.cells.get(column)
            if cell is not None:
                cells[column] = cell.expr
            elif entry is None or _blank(entry.raw):
                cells[column] = None
            else:
                cached = entry.value if entry.is_number else _text(entry.raw)
                cells[column] = Ref(entry.sheet, entry.cell, cached)
        style = "total" if row.kind != "data" else ("program" if i in analysis.children else "normal")
        result.add(f"{_short_title(table.title)} / {analysis.label(i)}", cells, style)
    return result
