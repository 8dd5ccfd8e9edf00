"""Live checks in the template (issue 19; SPEC section 12).

Beside each typed derived figure the template computes the expected value with the same
quantity definitions ``check`` uses; a "Cek" column says "✓" or "seharusnya …" and a
formula conditional format turns the typed cell red.  Here:

* the template's structure: live columns declared in the description and listed in the
  schema, input fields where they were, formulas within Excel's limits, formula-type
  conditional formats only, no macros or external links, locked formula cells, < 1 MB;
* ONE LibreOffice recalculation (fresh profile, always recalculate) of every sample report
  (``samples/data/*.json``: real reports with real errors, and the clean sample) built into
  the new template twice, with its figures typed as text (as printed) and as numbers, plus a
  hand-made workbook whose expected Cek texts are derived with arithmetic here: the cells the
  Cek cells flag equal the cells ``check`` reports as errors (both directions) and the clean
  sample has no flag.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from helpers import fill_template, write_blank_template
from recalc import recalculate, require_soffice

from sakip_xlsx.description import TEMPLATE, Table
from sakip_xlsx.live import FOLLOWS, LATER, OK, WRONG
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.schema import template_schema
from sakip_xlsx.sheetdata import READ_COLUMNS
from sakip_xlsx.template import write_template

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DATA = sorted((ROOT / "samples" / "data").glob("*.json"))
sys.path.insert(0, str(ROOT / "samples"))
from build import build_sample  # noqa: E402

LIVE_SHEETS = [sheet for sheet in (*TEMPLATE.tables, *TEMPLATE.cell_sheets) if sheet.live_checks]


def _covered() -> set[tuple[str, str]]:
    """(table id, field) of every figure a live check judges."""
    return {(sheet.id, check.field) for sheet in LIVE_SHEETS for check in sheet.live_checks}


def _typed_and_cek(sheet) -> list[tuple[str, str, str]]:
    """(field, typed cell, Cek cell) of every checked figure of a sheet."""
    if isinstance(sheet, Table):
        rows = range(sheet.first_data_row, sheet.first_data_row + sheet.rows)
        return [
            (
                check.field,
                f"{sheet.letter(check.field)}{row}",
                f"{sheet.live_letters['cek_' + check.field]}{row}",
            )
            for check in sheet.live_checks
            for row in rows
        ]
    return [
        (check.field, sheet.cell(check.field), f"{sheet.live_letters['cek']}{sheet.row(check.field)}")
        for check in sheet.live_checks
    ]


def _idn(value: float, decimals: int) -> str:
    """Indonesian number text, written out here (not the package's formatter)."""
    whole, _, fraction = f"{abs(value):,.{decimals}f}".partition(".")
    return ("-" if value < 0 else "") + whole.replace(",", ".") + ("," + fraction if fraction else "")


# ---------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return write_template(tmp_path_factory.mktemp("live") / "template.xlsx")


def test_live_columns_in_schema_after_inputs():
    contract = template_schema()
    for table in contract["tables"]:
        described = TEMPLATE.table[table["id"]]
        assert [c["field"] for c in table["live"]] == [c.field for c in described.live]
        inputs = {c["column"] for c in table["columns"]}
        live = [c["column"] for c in table["live"]]
        assert not inputs & set(live)
        # the live columns start right after the last input column, in order
        if live:
            assert openpyxl.utils.column_index_from_string(live[0]) == len(table["columns"]) + 1
        checked = {c["checks"] for c in table["live"] if not c["hidden"]}
        assert checked == {check.field for check in described.live_checks}
        assert all(c["field"].startswith("cek_") for c in table["live"] if not c["hidden"])
    # every live column lies inside the reader's read area (A..BL): a template-based workbook
    # takes the read gate's fast path and nothing typed or computed is reported outside it
    for sheet in LIVE_SHEETS:
        last = max(openpyxl.utils.column_index_from_string(letter) for letter in sheet.live_letters.values())
        assert last <= READ_COLUMNS, (sheet.sheet, last)
    cells = {(c["sheet"], c["field"]) for c in contract["live_cells"]}
    assert ("Ringkasan", "total_pagu_dilaporkan") in cells
    for entry in contract["live_cells"]:
        cek = [c for c in entry["live"] if not c["hidden"]]
        assert len(cek) == 1 and cek[0]["checks"] == entry["field"]
        assert cek[0]["cell"][1:] == entry["cell"][1:]  # the Cek cell is on the figure's row


def test_template_small_valid_and_without_macros(template: Path):
    assert template.stat().st_size < 1_000_000
    with zipfile.ZipFile(template) as archive:
        names = archive.namelist()
        assert not [n for n in names if "vbaProject" in n or "externalLink" in n]
        for name in names:
            if not name.startswith("xl/worksheets/sheet"):
                continue
            xml = archive.read(name).decode("utf-8")
            for formula in re.findall(r"<f[^>]*>([^<]*)</f>", xml):
                assert len(formula) <= 8192
                depth = deepest = 0
                for char in formula:  # parentheses: an upper bound of function nesting
                    depth += char == "("
                    depth -= char == ")"
                    deepest = max(deepest, depth)
                assert deepest <= 64, formula[:200]
            for rule in re.findall(r'<cfRule [^>]*type="([^"]+)"', xml):
                assert rule == "expression"


def test_live_cells_locked_and_typed_cells_flagged_by_cek(template: Path):
    workbook = openpyxl.load_workbook(template)
    for sheet in LIVE_SHEETS:
        ws = workbook[sheet.sheet]
        assert ws.protection.sheet
        rules = {str(r.sqref): [rule.formula[0] for rule in r.rules] for r in ws.conditional_formatting}
        for _field, typed, cek in _typed_and_cek(sheet)[:1] + _typed_and_cek(sheet)[-1:]:
            assert ws[cek].data_type == "f" and ws[cek].protection.locked
            assert not ws[typed].protection.locked  # inputs stay where they are, unlocked
        for check in sheet.live_checks:
            if isinstance(sheet, Table):
                letter = sheet.letter(check.field)
                first, last = sheet.first_data_row, sheet.first_data_row + sheet.rows - 1
                where = f"{letter}{first}:{letter}{last}"
                cek = f"${sheet.live_letters['cek_' + check.field]}{first}"
            else:
                where = sheet.cell(check.field)
                cek = f"${sheet.live_letters['cek']}{sheet.row(check.field)}"
            assert rules[where] == [f'LEFT({cek},{len(WRONG)})="{WRONG}"']


def test_reader_reads_templates_with_and_without_live_columns(tmp_path: Path):
    """The reader keeps reading the inputs: of the new template, and of one without live columns."""
    old = replace(
        TEMPLATE,
        tables=tuple(
            replace(t, live_checks=(), live_reads=(), live_extra=(), live_after=()) for t in TEMPLATE.tables
        ),
        cell_sheets=tuple(replace(s, live_checks=()) for s in TEMPLATE.cell_sheets),
    )
    rows = {
        "anggaran": [
            {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program A", "pagu": 100, "realisasi": 90}
        ]
    }
    for description, name in ((TEMPLATE, "new.xlsx"), (old, "old.xlsx")):
        path = write_template(tmp_path / name, description=description)
        fill_template(path, {"pemda": "Kabupaten X", "total_pagu_dilaporkan": 100}, rows)
        submission = read_workbook(path)
        record = submission.records("anggaran")[0]
        assert (record.number("pagu"), record.number("realisasi")) == (100, 90)
        assert submission.cells["total_pagu_dilaporkan"].value == 100
    with zipfile.ZipFile(tmp_path / "old.xlsx") as archive:
        assert "cfRule" not in archive.read("xl/worksheets/sheet5.xml").decode()


# ---------------------------------------------------------------------------
# LibreOffice: every sample (as text and as numbers) and a hand-made workbook, one soffice call
# ---------------------------------------------------------------------------

#: The hand-made workbook: each Cek cell's expected text, derived with arithmetic below.
PAGU_1, PAGU_2, REAL_1, REAL_2 = 1_250_000, 2_000_000, 1_100_000, 1_900_000
PAGU, REAL = PAGU_1 + PAGU_2, REAL_1 + REAL_2
#: a second program whose typed pagu is Rp 1.000 too high, and its selisih and serapan computed
#: from that typed pagu (a consequence under the root-cause rule, an error without it)
PAGU_B, REAL_B, PAGU_B_TYPED = 1_000_000, 900_000, 1_001_000
TOTAL_PAGU, TOTAL_REAL = PAGU + PAGU_B, REAL + REAL_B


def _handmade_rows() -> tuple[dict, dict]:
    cells = {
        "pemda": "Kabupaten Contoh",
        "instansi": "Kecamatan Contoh",
        "tahun": 2024,
        "total_pagu_dilaporkan": f"Rp {_idn(TOTAL_PAGU, 0)}",
        "total_realisasi_dilaporkan": TOTAL_REAL,
        "persen_serapan_dilaporkan": f"{_idn(round(TOTAL_REAL / TOTAL_PAGU * 100, 2), 2)} %",
        "sisa_anggaran_dilaporkan": TOTAL_PAGU - TOTAL_REAL + 10,  # wrong by Rp 10
    }
    tables = {
        "sasaran": [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Sasaran"}],
        "indikator": [
            {
                "kode": "IK1",
                "sasaran_kode": "S1",
                "uraian": "A",
                "satuan": "%",
                "polaritas": "Positif",
                "target": 80,
                "realisasi": 84,
                "capaian_dilaporkan": "105,00",
            },
            {
                "kode": "IK2",
                "sasaran_kode": "S1",
                "uraian": "B",
                "satuan": "Nilai",
                "polaritas": "Positif",
                "target": "60 – 70",
                "realisasi": 75,
                "capaian_dilaporkan": 100,
            },
            {
                "kode": "IK3",
                "sasaran_kode": "S1",
                "uraian": "C",
                "satuan": "%",
                "polaritas": "Positif",
                "target": 100,
                "realisasi": 98.71,
                "capaian_dilaporkan": 0.9871,
            },
        ],
        "anggaran": [
            {
                "kode": "7.01.01",
                "tingkat": "Program",
                "uraian": "Program A",
                "pagu": PAGU + 50_000,
                "persen_dilaporkan": "93,00",
            },
            {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "Kegiatan A"},
            {
                "kode": "7.01.01.2.01.0001",
                "tingkat": "Sub Kegiatan",
                "uraian": "Sub 1",
                "pagu": f"Rp {_idn(PAGU_1, 2)}",
                "realisasi": _idn(REAL_1, 0),
                "persen_dilaporkan": f"{_idn(REAL_1 / PAGU_1 * 100, 2)} %",
                "target": "400 Dokumen",
                "realisasi_kinerja": "380 Dokumen",
                "capaian_dilaporkan": "95 %",
            },
            {
                "kode": "7.01.01.2.01.0002",
                "tingkat": "Sub Kegiatan",
                "uraian": "Sub 2",
                "pagu": PAGU_2,
                "realisasi": REAL_2,
                "selisih_dilaporkan": PAGU_2 - REAL_2,
                "target": 100,
                "realisasi_kinerja": 96.46,
                "capaian_dilaporkan": 96.4,
            },
            {
                "kode": "7.01.02",
                "tingkat": "Program",
                "uraian": "Program B",
                "pagu": PAGU_B_TYPED,
                "realisasi": REAL_B,
                "selisih_dilaporkan": PAGU_B_TYPED - REAL_B,
                "persen_dilaporkan": f"{_idn(REAL_B / PAGU_B_TYPED * 100, 2)}",
            },
            {
                "kode": "7.01.02.2.01",
                "tingkat": "Kegiatan",
                "uraian": "Kegiatan B",
                "pagu": PAGU_B,
                "realisasi": REAL_B,
            },
        ],
        "pk_anggaran": [
            {"program_kode": "7.01.01", "uraian": "Program A", "anggaran": PAGU, "versi": "Murni"}
        ],
        "penduduk": [
            {
                "tahun": 2023,
                "laki_laki": 10_000,
                "perempuan": 9_800,
                "total_dilaporkan": "19.900",
                "rasio_dilaporkan": "102,04",
            }
        ],
    }
    return cells, tables


def _handmade_expected() -> dict[tuple[str, str], str]:
    """(sheet, typed cell) -> the Cek text, derived here."""
    first = TEMPLATE.table["anggaran"].first_data_row
    a, i, r = TEMPLATE.table["anggaran"], TEMPLATE.table["indikator"], TEMPLATE.cell_sheets[1]
    p = TEMPLATE.table["penduduk"]
    serapan = REAL / PAGU * 100
    program_b = first + 4
    pagu_b = f"{a.sheet}!{a.letter('pagu')}{program_b}"
    # computed from the typed pagu: follows it, not red
    selisih_b = f"{FOLLOWS} {pagu_b}; setelah diperbaiki menjadi Rp {_idn(PAGU_B - REAL_B, 0)}"
    serapan_b = f"{FOLLOWS} {pagu_b}; setelah diperbaiki menjadi {_idn(REAL_B / PAGU_B * 100, 2)} %"
    return {
        ("Anggaran", f"{a.letter('pagu')}{program_b}"): f"{WRONG} Rp {_idn(PAGU_B, 0)}",
        ("Anggaran", f"{a.letter('realisasi')}{program_b}"): OK,
        ("Anggaran", f"{a.letter('selisih_dilaporkan')}{program_b}"): selisih_b,
        ("Anggaran", f"{a.letter('persen_dilaporkan')}{program_b}"): serapan_b,
        ("Anggaran", f"{a.letter('pagu')}{first}"): f"{WRONG} Rp {_idn(PAGU, 0)}",
        ("Anggaran", f"{a.letter('persen_dilaporkan')}{first}"): f"{WRONG} {_idn(serapan, 2)} %",
        ("Anggaran", f"{a.letter('persen_dilaporkan')}{first + 2}"): OK,
        (
            "Anggaran",
            f"{a.letter('capaian_dilaporkan')}{first + 2}",
        ): OK,  # "95 %" of "380 Dokumen"/"400 Dokumen"
        ("Anggaran", f"{a.letter('selisih_dilaporkan')}{first + 3}"): OK,
        # 96,4 shown with one decimal against 96,46: within one unit, not half -> rounding, not red
        (
            "Anggaran",
            f"{a.letter('capaian_dilaporkan')}{first + 3}",
        ): f"{OK} pembulatan; hitungan {_idn(96.46, 3)} %",
        ("Indikator", f"{i.letter('capaian_dilaporkan')}{first}"): OK,
        (
            "Indikator",
            f"{i.letter('capaian_dilaporkan')}{first + 1}",
        ): LATER,  # a text range without its upper bound
        ("Indikator", f"{i.letter('capaian_dilaporkan')}{first + 2}"): OK,  # 0,9871 stored for 98,71 %
        ("Ringkasan", r.cell("total_pagu_dilaporkan")): OK,
        ("Ringkasan", r.cell("total_realisasi_dilaporkan")): OK,
        ("Ringkasan", r.cell("persen_serapan_dilaporkan")): OK,
        ("Ringkasan", r.cell("sisa_anggaran_dilaporkan")): f"{WRONG} Rp {_idn(TOTAL_PAGU - TOTAL_REAL, 0)}",
        ("PK Anggaran", f"{TEMPLATE.table['pk_anggaran'].letter('anggaran')}{first}"): OK,
        ("Penduduk", f"{p.letter('total_dilaporkan')}{first}"): f"{WRONG} {_idn(19_800, 0)}",
        ("Penduduk", f"{p.letter('rasio_dilaporkan')}{first}"): OK,
    }


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory) -> dict[str, tuple[Path, Path]]:
    """name -> (built workbook, its recalculated copy): every sample as text and as numbers, and
    the hand-made workbook, recalculated by ONE soffice call."""
    require_soffice()
    folder = tmp_path_factory.mktemp("live-recalc")
    built: dict[str, Path] = {}
    for data_path in SAMPLE_DATA:
        data = json.loads(data_path.read_text("utf-8"))
        for typed_as in ("text", "numbers"):
            variant = folder / f"{data_path.stem}-{typed_as}.json"
            variant.write_text(json.dumps({**data, "typed_as": typed_as}), "utf-8")
            built[variant.stem] = build_sample(variant, folder / f"{variant.stem}.xlsx", warn=None).out_path
    cells, tables = _handmade_rows()
    handmade = write_blank_template(folder / "handmade.xlsx")
    built["handmade"] = fill_template(handmade, cells, tables)
    copies = recalculate(list(built.values()), folder / "recalculated")
    return {name: (path, copies[path]) for name, path in built.items()}


def _cek_texts(recalculated_copy: Path) -> dict[tuple[str, str], str]:
    """(sheet, typed cell) -> its Cek text after recalculation (non-empty ones)."""
    workbook = openpyxl.load_workbook(recalculated_copy, data_only=True)
    texts = {}
    for sheet in LIVE_SHEETS:
        ws = workbook[sheet.sheet]
        for _, typed, cek in _typed_and_cek(sheet):
            value = ws[cek].value
            if value not in (None, ""):
                texts[(sheet.sheet, typed)] = str(value)
    return texts


def test_samples_flagged_cells_equal_check_errors(recalculated):
    covered = _covered()
    for name, (built, copy) in recalculated.items():
        if name == "handmade":
            continue
        texts = _cek_texts(copy)
        flagged = {where for where, text in texts.items() if text.startswith(WRONG)}
        later = {where for where, text in texts.items() if text == LATER}
        findings = [f for f in check_file(built).findings if (f.table, f.field) in covered]
        errors = {(f.sheet, f.cell) for f in findings if f.severity == "error"}
        assert flagged == errors, name
        # root-cause rule: "ikut salah karena ..." exactly where check reports a consequence
        follows = {where for where, text in texts.items() if text.startswith(FOLLOWS)}
        consequences = {(f.sheet, f.cell) for f in findings if f.code == "follows-root"}
        assert follows == consequences, name
        assert not later, name  # every style these reports use is read by the formulas
        if name.startswith("contoh-bersih"):
            assert not flagged and errors == set()
        else:
            assert flagged  # the real reports have real errors


def test_handmade_cek_texts_and_status(recalculated):
    built, copy = recalculated["handmade"]
    texts = _cek_texts(copy)
    expected = _handmade_expected()
    assert {where: texts.get(where) for where in expected} == expected
    flagged = {where for where, text in texts.items() if text.startswith(WRONG)}
    later = {where for where, text in texts.items() if text == LATER}
    errors = {
        (f.sheet, f.cell)
        for f in check_file(built).findings
        if f.severity == "error" and (f.table, f.field) in _covered()
    }
    # the range target without its upper bound is wrong (75 against 60 – 70 is 107,14 %), and
    # judged only by check: not a false flag while typing
    assert later == {("Indikator", f"{TEMPLATE.table['indikator'].letter('capaian_dilaporkan')}5")}
    assert flagged == errors - later
    follows = {where for where, text in texts.items() if text.startswith(FOLLOWS)}
    consequences = {
        (f.sheet, f.cell)
        for f in check_file(built).findings
        if f.code == "follows-root" and (f.table, f.field) in _covered()
    }
    assert follows == consequences
    assert len(follows) == 2  # program B's selisih and serapan
    workbook = openpyxl.load_workbook(copy, data_only=True)
    for sheet in LIVE_SHEETS:
        count = sum(1 for where in flagged if where[0] == sheet.sheet)
        ws = workbook[sheet.sheet]
        status = next(
            str(cell.value) for cell in ws[1] if isinstance(cell.value, str) and "hitungan" in cell.value
        )
        if count:
            assert status.startswith(f"{count} angka berbeda dari hitungan"), (sheet.sheet, status)
        else:
            assert status.startswith(OK), (sheet.sheet, status)
    overview = [
        str(cell.value)
        for row in workbook["Petunjuk"].iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    total = sum(int(text.split()[0]) for text in overview if "angka berbeda dari hitungan" in text)
    assert total == len(flagged)


def test_results_copy_leaves_out_the_live_columns(recalculated, tmp_path: Path):
    """A submission saved by a spreadsheet program carries the live columns' values; the results
    workbook copies the submitted data only (not the Cek texts, helpers or status line)."""
    _, copy = recalculated["handmade"]
    outcome = check_file(copy, results_file=tmp_path / "hasil.xlsx")
    assert outcome.results_error is None
    # saved by LibreOffice, every live formula is written out in full: still inside the read area
    assert not [f for f in outcome.findings if f.code == "outside-area"]
    saved = openpyxl.load_workbook(copy, data_only=True)
    results = openpyxl.load_workbook(tmp_path / "hasil.xlsx")
    for sheet in LIVE_SHEETS:
        live_letters = set(sheet.live_letters.values())
        assert any(
            saved[sheet.sheet][f"{letter}{r}"].value not in (None, "")
            for letter in live_letters
            for r in range(1, 10)
        )
        copied = results[sheet.sheet]
        for row in copied.iter_rows():
            for cell in row:
                if cell.value not in (None, ""):
                    assert cell.column_letter not in live_letters, (sheet.sheet, cell.coordinate, cell.value)
                    assert cell.row > 1 or cell.column == 1, (sheet.sheet, cell.coordinate, cell.value)
    anggaran = TEMPLATE.table["anggaran"]
    typed = results["Anggaran"][f"{anggaran.letter('pagu')}{anggaran.first_data_row}"].value
    assert typed == PAGU + 50_000  # the submitted figures are still copied
