"""Hostile and messy workbooks never crash a run, never cost more than 500 MB, never read silently wrong.

Every file is built here from the blank template: far-out cells (the parser would
allocate the whole rectangle up to them), every Excel error value, amounts beyond
any budget, control characters, stale copies of a sheet, a renamed Tabel Bebas, a
file name that is not UTF-8.  Peak memory of ``check`` is measured in a child
process (resource.getrusage).
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import cell_of, cell_schema

from sakip_xlsx.cells import column_index
from sakip_xlsx.cli import main
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.sheetdata import READ_COLUMNS, READ_ROWS

CELLS = {"pemda": "Kabupaten Uji", "instansi": "Kecamatan Uji", "tahun": 2024}
PAGU, REALISASI = 1_500_000, 1_250_000
ROWS = [
    {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program Penunjang", "pagu": PAGU + 1},
    {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "Perencanaan"},
    {
        "kode": "7.01.01.2.01.0001",
        "tingkat": "Sub Kegiatan",
        "uraian": "Penyusunan Dokumen",
        "pagu": PAGU,
        "realisasi": REALISASI,
    },
]
#: the typed program pagu (PAGU + 1) is not the sum of its line: one sum-mismatch, found in every file below
SUM_ERROR = "sum-mismatch"

ERROR_VALUES = (
    "#REF!",
    "#DIV/0!",
    "#N/A",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#VALUE!",
    "#GETTING_DATA",
    "#BLOCKED!",
    "#UNKNOWN!",
    "#CONNECT!",
    "#BUSY!",
    "#PYTHON!",
)


@pytest.fixture
def base(filled_template) -> Path:
    return filled_template(cells=CELLS, tables={"anggaran": ROWS}, name="isian.xlsx")


def _part(archive: zipfile.ZipFile, sheet: str) -> str:
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    for element in ElementTree.fromstring(archive.read("xl/workbook.xml")).iter():
        if element.tag.endswith("}sheet") and element.get("name") == sheet:
            rel_id = next(value for key, value in element.attrib.items() if key.endswith("}id"))
            target = targets[rel_id].lstrip("/")
            return target if target.startswith("xl/") else f"xl/{target}"
    raise KeyError(sheet)


def patch_sheet(path: Path, sheet: str, change) -> Path:
    """Rewrite one sheet's XML of ``path`` in place with ``change(xml bytes) -> bytes``."""
    with zipfile.ZipFile(path) as source:
        part = _part(source, sheet)
        members = [(info, source.read(info)) for info in source.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in members:
            target.writestr(info, change(data) if info.filename == part else data)
    path.write_bytes(buffer.getvalue())
    return path


def add_cells(path: Path, sheet: str, *cells: str) -> Path:
    """Append raw ``<row>`` XML to a sheet's data."""
    return patch_sheet(
        path, sheet, lambda data: data.replace(b"</sheetData>", "".join(cells).encode() + b"</sheetData>")
    )


def text_cell(ref: str, text: str) -> str:
    row = re.sub("[A-Z]", "", ref)
    return f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c></row>'


def set_cell(path: Path, sheet: str, ref: str, cell_xml: str) -> Path:
    """Replace the cell ``ref`` (which the template already writes) by ``cell_xml``."""

    def change(data: bytes) -> bytes:
        pattern = re.compile(rb'<c r="%s"(?:[^>]*/>|[^>]*>.*?</c>)' % ref.encode(), re.S)
        assert pattern.search(data), ref
        return pattern.sub(cell_xml.encode(), data, count=1)

    return patch_sheet(path, sheet, change)


def codes(path: Path) -> list[str]:
    return [item.code for item in check_file(path).findings]


# ---------------------------------------------------------------------------
# 7. Far-out cells: bounded before the parser allocates; peak memory under 500 MB
# ---------------------------------------------------------------------------

PEAK = """
import resource, sys
from sakip_xlsx.cli import main
try:
    main(["check", "--format", "json", sys.argv[1]])
except SystemExit as exc:
    code = exc.code
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, code, file=sys.stderr)
"""


def _check_in_child(path: Path) -> tuple[int, int, dict]:
    """(peak RSS in MB, exit code, JSON report) of ``check`` on ``path`` in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, timeout=120
    )
    assert "Traceback" not in done.stderr, done.stderr
    peak, code = done.stderr.strip().splitlines()[-1].split()
    return int(peak), int(code), json.loads(done.stdout)


@pytest.mark.parametrize(
    ("sheet", "ref"),
    [
        ("Anggaran", "XFD1048576"),
        ("Anggaran", "XFD3000"),
        ("Anggaran", "Z1048576"),
        ("Identitas", "XFD1048576"),
        ("Petunjuk", "XFD1048576"),
        ("Tabel Bebas", "XFD1048576"),
        ("Daftar", "A1048576"),
    ],
)
def test_a_far_blank_cell_costs_nothing(base: Path, sheet: str, ref: str) -> None:
    add_cells(base, sheet, text_cell(ref, " "))
    peak, code, report = _check_in_child(base)
    assert peak < 500, f"peak RSS {peak} MB"
    assert code == 1  # the file's own sum error, nothing else
    (entry,) = report["files"]
    assert [item["code"] for item in entry["findings"] if item["severity"] == "error"] == [SUM_ERROR]
    assert not any(item["code"] == "outside-area" for item in entry["findings"])  # blank: nothing lost


def test_far_cells_holding_something_are_reported_not_read(base: Path) -> None:
    add_cells(base, "Anggaran", text_cell("B200000", "catatan lama"), text_cell("ZZ5", "x"))
    peak, code, report = _check_in_child(base)
    assert peak < 500
    findings = report["files"][0]["findings"]
    (outside,) = [item for item in findings if item["code"] == "outside-area"]
    assert outside["severity"] == "warning" and outside["sheet"] == "Anggaran"
    assert (
        "2 sel" in outside["message"] and "catatan lama" in outside["message"] and "ZZ5" in outside["message"]
    )
    assert [item["code"] for item in findings if item["severity"] == "error"] == [SUM_ERROR]


def test_read_area_bounds_the_parser() -> None:
    """Guard of the bound itself: the largest grid the parser may be asked for."""
    assert READ_COLUMNS * READ_ROWS <= 6_400_000 and column_index("XFD") + 1 == 16384


def test_cells_and_rows_without_positions_are_placed_and_bounded(base: Path) -> None:
    # a writer may leave out r=: 70 unplaced cells in one row reach column 70 (beyond the read area)
    row = "<row>" + '<c t="inlineStr"><is><t>v</t></is></c>' * 70 + "</row>"
    add_cells(base, "Daftar", "<row/>" * 30, row)
    peak, code, report = _check_in_child(base)
    assert peak < 500 and code == 1
    findings = report["files"][0]["findings"]
    (outside,) = [item for item in findings if item["code"] == "outside-area"]
    assert f"{70 - READ_COLUMNS} sel" in outside["message"]


# ---------------------------------------------------------------------------
# 9. Every Excel error value is a finding at its cell; the rest is checked
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("error", ERROR_VALUES)
def test_every_excel_error_value_is_a_finding_at_its_cell(base: Path, error: str) -> None:
    sheet, ref = cell_of("anggaran", "realisasi", 2)
    escaped = error.replace("&", "&amp;")
    set_cell(base, sheet, ref, f'<c r="{ref}" t="e"><f>1/0</f><v>{escaped}</v></c>')
    findings = check_file(base).findings
    (item,) = [f for f in findings if f.cell == ref]
    assert item.code == "unreadable-value" and item.severity == "error"
    assert f"berisi galat Excel {error}" in item.message
    assert SUM_ERROR in [f.code for f in findings]  # the rest of the file was checked


def test_error_values_in_text_and_identity_cells(base: Path) -> None:
    sheet, ref = cell_of("anggaran", "uraian", 2)
    set_cell(base, sheet, ref, f'<c r="{ref}" t="e"><v>#REF!</v></c>')
    findings = check_file(base).findings
    assert any(f.cell == ref and "#REF!" in f.message for f in findings)


# ---------------------------------------------------------------------------
# 8. Amounts beyond any budget: an input finding, sums never overflow
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["<v>1e308</v>", "<v>-1E+308</v>", "<v>1e16</v>", "TEXT"])
def test_huge_amounts_are_input_findings(base: Path, content: str) -> None:
    sheet, ref = cell_of("anggaran", "pagu", 2)
    if content == "TEXT":
        cell = f'<c r="{ref}" t="inlineStr"><is><t>{"9" * 309}</t></is></c>'
    else:
        cell = f'<c r="{ref}">{content}</c>'
    set_cell(base, sheet, ref, cell)
    result = CliRunner().invoke(main, ["check", str(base), "--format", "json"])
    assert result.exit_code == 1, result.output
    findings = json.loads(result.stdout)["files"][0]["findings"]
    (item,) = [f for f in findings if f["cell"] == ref]
    assert item["code"] == "unreadable-value" and "batas wajar" in item["message"]
    out = base.parent / "hasil.xlsx"
    written = CliRunner().invoke(main, ["results", str(base), "-o", str(out)])
    assert written.exit_code == 0 and out.is_file(), written.output


# ---------------------------------------------------------------------------
# 11, 12. Every template sheet found the same way; two claimants: neither read
# ---------------------------------------------------------------------------


def test_a_stale_copy_and_a_renamed_sheet_are_both_named(base: Path) -> None:
    workbook = openpyxl.load_workbook(base)
    real = workbook["Anggaran"]
    stale = workbook.copy_worksheet(real)
    stale.title = "Anggaran (2)"
    sheet, ref = cell_of("anggaran", "pagu", 2)
    stale[ref] = 999  # the stale copy disagrees
    real.title = "Anggaran final"
    workbook.move_sheet(stale, -(len(workbook.sheetnames) - 1 - workbook.sheetnames.index("Anggaran final")))
    workbook.save(base)
    assert workbook.sheetnames.index("Anggaran (2)") < workbook.sheetnames.index("Anggaran final")
    findings = check_file(base).findings
    (item,) = [f for f in findings if f.code == "duplicate-sheet"]
    assert "Anggaran (2)" in item.message and "Anggaran final" in item.message and item.severity == "error"
    assert not [f for f in findings if f.code == "missing-sheet" and f.sheet == "Anggaran"]
    assert not [
        f for f in findings if f.sheet in ("Anggaran (2)", "Anggaran final") and f.code != "duplicate-sheet"
    ]


def test_a_renamed_sheet_alone_is_still_read(base: Path) -> None:
    workbook = openpyxl.load_workbook(base)
    workbook["Anggaran"].title = "Anggaran final"
    workbook.save(base)
    findings = check_file(base).findings
    assert [f.sheet for f in findings if f.code == SUM_ERROR] == ["Anggaran final"]


@pytest.mark.parametrize("title", ["Tabel Lain", "Tabel  bebas", "Sheet1"])
def test_renamed_tabel_bebas_keeps_its_checks(base: Path, title: str) -> None:
    workbook = openpyxl.load_workbook(base)
    sheet = workbook["Tabel Bebas"]
    start = sheet.max_row + 2
    rows = [["Tabel 1 Penduduk per Desa"], ["Desa", "Jumlah"], ["A", 10], ["B", 20], ["Jumlah", 31]]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, 1):
            sheet.cell(start + offset, column, value)
    sheet.title = title
    workbook.save(base)
    findings = check_file(base).findings
    assert [f.sheet for f in findings if f.sheet == title and f.severity == "error"], [
        f.message for f in findings
    ]


# ---------------------------------------------------------------------------
# 13, 14. Control characters; file names that are not UTF-8
# ---------------------------------------------------------------------------


def test_rekap_with_control_characters_is_valid_xml(tmp_path: Path, filled_template) -> None:
    made = filled_template(cells=CELLS, tables={"anggaran": ROWS}, name="kendali.xlsx")
    where = cell_schema("instansi")
    # control characters are stored as _xHHHH_ escapes; the parser gives them back raw
    set_cell(
        made,
        where["sheet"],
        where["cell"],
        f'<c r="{where["cell"]}" t="inlineStr"><is><t>Kecamatan_x0001_ Uji_x000B_</t></is></c>',
    )
    assert "\x01" in check_file(made).submission.instansi
    out = tmp_path / "rekap.xlsx"
    result = CliRunner().invoke(main, ["rekap", str(made), "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                ElementTree.fromstring(archive.read(name))  # raises on a control character
    openpyxl.load_workbook(out)


@pytest.mark.skipif(sys.platform != "linux", reason="file names are bytes only on Linux")
def test_file_name_that_is_not_utf8(tmp_path: Path, base: Path) -> None:
    folder = tmp_path / "kiriman"
    folder.mkdir()
    raw = os.fsencode(folder) + b"/kec-\xff\xfe.xlsx"
    shutil.copyfile(base, raw)
    name = os.fsdecode(raw)
    result = CliRunner().invoke(main, ["check", str(folder), "--format", "json", "--jobs", "1"])
    assert result.exit_code == 1, result.output
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["file"].endswith("kec-\\xff\\xfe.xlsx") and entry["summary"]["error"] >= 1
    rekap = CliRunner().invoke(main, ["rekap", str(folder), "-o", str(tmp_path / "r.xlsx"), "--jobs", "1"])
    assert rekap.exit_code == 0, rekap.output
    results = CliRunner().invoke(main, ["results", name, "--outdir", str(tmp_path / "h")])
    assert results.exit_code == 0, results.output
    assert len(list((tmp_path / "h").iterdir())) == 1


def test_os_errors_reach_the_user_in_indonesian(tmp_path: Path, base: Path) -> None:
    long_folder = tmp_path / ("d" * 300)
    result = CliRunner().invoke(main, ["template", "-o", str(long_folder / "t.xlsx")])
    assert result.exit_code == 2
    assert "terlalu panjang" in result.stderr and "File name too long" not in result.stderr


def test_rewritten_sheets_read_exactly_as_the_originals(tmp_path: Path) -> None:
    """A blank far cell in every sheet of a real sample sends every sheet through the rewrite: the
    check report is the same, finding for finding."""
    source = Path(__file__).parent.parent / "samples" / "ngoro-jombang-2024.xlsx"
    copy = tmp_path / source.name
    shutil.copyfile(source, copy)
    workbook = openpyxl.load_workbook(source, read_only=True)
    sheets = workbook.sheetnames
    workbook.close()
    for sheet in sheets:
        add_cells(copy, sheet, text_cell("XFD1048576", " "))
    from sakip_xlsx.safety import inspect_workbook

    assert len(inspect_workbook(copy).bounded_parts) == len(sheets)
    original, rewritten = check_file(source), check_file(copy)
    assert original.findings and [f.to_dict() for f in rewritten.findings] == [
        f.to_dict() for f in original.findings
    ]
