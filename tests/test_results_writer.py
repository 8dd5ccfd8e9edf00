"""The results writer's shortcuts change nothing in the workbook it writes.

``results._FormulaSheet`` writes plain cells itself (the innermost loop of saving a
large results workbook); whatever xlsxwriter version is installed, the XML must be
exactly what the library writes for the same cells.  Large workbooks are streamed
row by row (xlsxwriter's constant_memory mode, which silently drops a cell written
above the current row): they must hold the same cells as a workbook written whole.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from sakip_xlsx import results
from sakip_xlsx.checks import run_checks
from sakip_xlsx.compute import compute
from sakip_xlsx.findings import finding
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.results import _FormulaSheet, write_results

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ngoro-jombang-2024.xlsx"

FORMULA_VALUES = (0, 7, -3, 1.5, 1e20, 123456789.123456, "", "Tinggi", 'a & <b> "c"', "#DIV/0!", True, False)
NUMBERS = (0, 1, -1, 2.5, 1 / 3, 1e-9, 9007199254740993, 123456789012.75)
STRINGS = (
    "Program",
    "a & b < c > d",
    ' "quoted" ',
    "x" * 300,
    "baris\nkedua",
    "\u00e9\u4e2d",
    "_x0041_",
    "bel\x07",
)


def _sheet_xml(path: Path, worksheet_class, constant_memory: bool) -> bytes:
    workbook = xlsxwriter.Workbook(
        str(path),
        {"strings_to_formulas": False, "strings_to_numbers": False, "constant_memory": constant_memory},
    )
    ws = workbook.add_worksheet("Data", worksheet_class=worksheet_class)
    plain = workbook.add_format({"valign": "top"})
    money = workbook.add_format({"num_format": "#,##0", "border": 1})
    column_format = workbook.add_format({"italic": True})
    ws.set_column(8, 8, 12, column_format)
    row = 0
    for value in FORMULA_VALUES:
        ws.write_formula(row, 0, '=IF(COUNT(B1)<1,"",SUM(B1:B3)*2)', money, value)
        ws.write_formula(row, 1, '=IF(A1>0,"a & <b>","")', plain, value)
        ws.write_formula(row, 2, "=A1", None, value)
        row += 1
    for value in NUMBERS:
        ws.write_number(row, 0, value, money)
        ws.write_number(row, 1, value)
        ws.write_number(row, 8, value)
        row += 1
    for text in STRINGS:
        ws.write_string(row, 0, text, plain)
        ws.write_string(row, 1, text)
        row += 1
    ws.write_blank(row, 0, None, money)
    ws.write_blank(row, 1, None)
    ws.write_boolean(row, 2, True, plain)
    ws.write_url(row, 3, "internal:'Data'!A1", plain, "Data!A1")
    ws.write_comment(row, 4, "catatan")
    ws.write_datetime(row, 5, dt.date(2024, 1, 31), money)
    ws.set_row(row + 1, 30)
    ws.merge_range(row + 1, 0, row + 1, 3, "gabungan & <sel>", plain)
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_formula_sheet_writes_the_same_xml_as_xlsxwriter(tmp_path: Path) -> None:
    for constant_memory in (False, True):
        ours = _sheet_xml(tmp_path / "ours.xlsx", _FormulaSheet, constant_memory)
        theirs = _sheet_xml(tmp_path / "theirs.xlsx", xlsxwriter.worksheet.Worksheet, constant_memory)
        assert ours == theirs


def _cells(path: Path) -> dict[str, dict[str, tuple]]:
    """Every cell of every sheet: formula or value, cached value, number format, fill, comment, link."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    sheets = {}
    for ws in formulas.worksheets:
        cached = values[ws.title]
        sheets[ws.title] = {
            cell.coordinate: (
                cell.value,
                cached[cell.coordinate].value,
                cell.number_format,
                cell.fill.fgColor.rgb,
                cell.font.b,
                cell.comment.text if cell.comment else None,
                cell.hyperlink.location if cell.hyperlink else None,
            )
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None or cell.has_style
        }
    return sheets


def test_streamed_results_hold_the_same_cells(tmp_path: Path, monkeypatch) -> None:
    submission = read_workbook(SAMPLE)
    computation = compute(submission)
    sheet = results.input_sheets(submission)[-2]
    # flagged empty cells, written after the copied values around them
    holes = [
        finding("required-missing", "Isian wajib kosong", sheet=sheet, cell=cell) for cell in ("Z3", "Y1")
    ]
    findings = submission.findings + run_checks(submission, computation) + holes
    whole = write_results(submission, computation, findings, tmp_path / "whole.xlsx")
    monkeypatch.setattr(results, "STREAM_CELLS", 0)
    streamed = write_results(submission, computation, findings, tmp_path / "streamed.xlsx")
    with zipfile.ZipFile(streamed) as archive:
        assert "xl/sharedStrings.xml" not in archive.namelist()  # really streamed: strings inline
    expected = _cells(whole)
    assert expected[sheet]["Z3"][3] == expected[sheet]["Y1"][3] != "00000000"  # shaded
    assert _cells(streamed) == expected
