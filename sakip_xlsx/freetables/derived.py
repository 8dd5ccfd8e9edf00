"""The results-workbook table of each free table, its recomputed cells as live formulas."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import live
from ..description import LiveCheck
from ..expr import Expr, Ref, cell_formula, quote_sheet
from ..tables import DColumn, DerivedTable
from .check import _Analysis, _CellRuleParts, _Checker
from .language import Node
from .sheet import FreeTable, _blank, _clip, _short_title, _text

#: the column of a free table's results sheet that judges its cell rules (after the table's own)
CELL_RULE_COLUMN = "cek_rumus_sel"


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
    # a cell rule (``E14 = E13 - H10``) gives its cell the rule's value, and a Cek column beside it
    checker = _Checker(analysis, {})
    judged = [
        (i, column, node, parts, text)
        for text, _cell, i, column, node in analysis.cell_rules
        if (parts := checker.cell_rule_parts(i, column, node)) is not None
    ]
    if judged:
        rules = "; ".join(dict.fromkeys(" ".join(text.split()) for *_, text in judged))
        columns.append(DColumn(CELL_RULE_COLUMN, _clip(f"Cek rumus sel: {rules}", 60), "text", 30))
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
    for i, column, _node, parts, _ in judged:
        result.rows[i].cells[column] = parts.as_printed
    for i in dict.fromkeys(i for i, *_ in judged):
        mine = [(column, node, parts) for k, column, node, parts, _ in judged if k == i]
        named = len(mine) > 1
        statuses = [_status(checker, result, i, column, node, parts, named) for column, node, parts in mine]
        result.rows[i].cells[CELL_RULE_COLUMN] = (
            statuses[0] if len(statuses) == 1 else _Joined(tuple(statuses))
        )
    return result


@dataclass(frozen=True, eq=False)
class _Status(Expr):
    """The Cek cell of a cell rule: the verdict ``check`` gives (its value) and the live formula
    that gives the same from the cells of the results workbook."""

    text: str
    body: str

    def value(self) -> Any:
        return self.text

    def formula(self) -> str:
        return self.body


@dataclass(frozen=True, eq=False)
class _Joined(Expr):
    """Several Cek cells of one row (cell rules of several columns), each named by its cell."""

    parts: tuple[_Status, ...]

    def value(self) -> Any:
        return " | ".join(part.text for part in self.parts)

    def formula(self) -> str:
        return '&" | "&'.join(f"({part.body})" for part in self.parts)


def _status(
    checker: _Checker,
    result: DerivedTable,
    i: int,
    column: str,
    node: Node,
    parts: _CellRuleParts,
    named: bool,
) -> _Status:
    """The Cek cell of one cell rule: the stated figure (the copy of the input sheet) against the rule's
    value in this table (:func:`live.verdict_formula`, with the root cause and the rounding chain of
    :func:`sakip_xlsx.precision.judge`), worded as the template's live checks."""
    judgement = checker.judge_cell_rule(parts, node)
    entry = parts.entry
    home = result.sheet
    stated = f"{quote_sheet(entry.sheet)}!{entry.cell}"
    if judgement.stated != entry.value:  # a stored fraction compared as a percentage
        stated = f"({stated}*100)"
    places = str(judgement.decimals)
    expected = result.cell(i, column)
    check = LiveCheck(column)

    def of(expr: Expr) -> str:
        return f"({cell_formula(expr, home)[1:]})"

    if parts.ground is not None:
        roots = '"' + ", ".join(parts.roots).replace('"', '""') + '"'
        formula = live.verdict_formula(check, stated, places, of(parts.ground), ((expected, roots),))
    elif parts.unrounded is not None and parts.rounded_decimals is not None:
        formula = live.chain_verdict_formula(
            check, stated, places, expected, of(parts.unrounded), parts.rounded_decimals
        )
    else:
        formula = live.verdict_formula(check, stated, places, expected)
    text = live.verdict_text(judgement)
    if named:  # several cell rules on one row: each verdict names its cell
        return _Status(f"{entry.cell}: {text}", f'"{entry.cell}: "&{formula[1:]}')
    return _Status(text, formula[1:])
