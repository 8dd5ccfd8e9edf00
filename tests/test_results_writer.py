"""The results writer's own worksheet class writes the same sheet XML as xlsxwriter's.

``results._FormulaSheet`` writes plain cells itself (the innermost loop of saving a
large results workbook); whatever xlsxwriter version is installed, the XML must be
exactly what the library writes for the same cells.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import xlsxwriter

from sakip_xlsx.results import _FormulaSheet

FORMULA_VALUES = (0, 7, -3, 1.5, 1e20, 123456789.123456, "", "Tinggi", 'a & <b> "c"', "#DIV/0!", True, False)
NUMBERS = (0, 1, -1, 2.5, 1 / 3, 1e-9, 9007199254740993, 123456789012.75)
STRINGS = ("Program", "a & b < c > d", ' "quoted" ', "x" * 300, "baris\nkedua", "\u00e9\u4e2d")


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
