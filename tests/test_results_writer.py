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


def test_findings_are_shown_where_they_are(filled_template, tmp_path: Path) -> None:
    """The Pemeriksaan sheet has a row per finding linked to its cell; the cell is shaded and
    commented in the input copy, and shaded where a derived table copies it."""
    from helpers import cell_of

    from sakip_xlsx.findings import KINDS
    from sakip_xlsx.formats import SEVERITY_FILL
    from sakip_xlsx.pipeline import check_file

    budget = [
        {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program A"},
        {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "Kegiatan A"},
        {
            "kode": "7.01.01.2.01.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Sub 1",
            "pagu": -5000,
            "realisasi": 0,
        },
        {
            "kode": "7.01.01.2.01.0002",
            "tingkat": "Sub Kegiatan",
            "uraian": "Sub 2",
            "pagu": 8000,
            "realisasi": 6000,
        },
    ]
    path = filled_template(
        cells={"pemda": "Kabupaten Uji", "instansi": "Kecamatan Uji", "tahun": 2024},
        tables={
            "sasaran": [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Sasaran"}],
            "indikator": [
                {
                    "kode": "IK1",
                    "sasaran_kode": "S1",
                    "uraian": "I",
                    "satuan": "%",
                    "target": 100,
                    "realisasi": 90,
                }
            ],
            "anggaran": budget,
        },
    )
    outcome = check_file(path, results_dir=tmp_path)
    sheet, negative = cell_of("anggaran", "pagu", 2)
    (item,) = [item for item in outcome.findings if item.code == "negative-amount"]
    assert (item.sheet, item.cell) == (sheet, negative)
    workbook = openpyxl.load_workbook(outcome.results_path)
    error_fill = SEVERITY_FILL["error"].lstrip("#").upper()

    def fill(cell) -> str:
        return (cell.fill.fgColor.rgb or "")[-6:].upper()

    checks = workbook["Pemeriksaan"]
    headers = [cell.value for cell in checks[3]]
    kind, where = headers.index("Jenis Temuan"), headers.index("Lokasi (klik)")
    rows = [row for row in checks.iter_rows(min_row=4) if row[kind].value == KINDS["negative-amount"].title]
    assert len(rows) == 1 and rows[0][where].value == f"{sheet}!{negative}"
    assert rows[0][where].hyperlink.location == f"{sheet}!{negative}"
    assert fill(rows[0][0]) == error_fill
    copy = workbook[sheet][negative]
    assert copy.value == -5000 and fill(copy) == error_fill and "negatif" in copy.comment.text
    derived = workbook["Realisasi Anggaran"]
    line = next(row for row in derived.iter_rows(min_row=4) if row[0].value == "7.01.01.2.01.0001")
    assert line[3].value == f'=IF(COUNT({sheet}!{negative})<1,"",{sheet}!{negative})'
    assert fill(line[3]) == error_fill and fill(line[4]) != error_fill
    parent = next(row for row in derived.iter_rows(min_row=4) if row[0].value == "7.01.01.2.01")
    assert parent[3].value == "=SUM(D6,D7)" and fill(parent[3]) != error_fill
