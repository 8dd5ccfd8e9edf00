"""Tests for sakip_xlsx.reader.read_workbook: values, robustness, input findings, budget tree.

Workbooks are filled through the schema JSON (``helpers.fill_template``) in
every style staff type (SPEC section 6), then changed the way users change
them (columns inserted, sheets moved or renamed, headers edited, re-saved by
LibreOffice).  Every read also proves the input file is left untouched.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlsxwriter
from helpers import (
    cell_of,
    cell_ref,
    cell_schema,
    fill_template,
    is_indonesian,
    schema,
    table_schema,
    write_blank_template,
)
from openpyxl.utils import column_index_from_string, get_column_letter
from recalc import recalculate, require_soffice
from test_schema import CELL_FIELDS as SPEC_CELL_FIELDS
from test_schema import TABLE_FIELDS as SPEC_TABLE_FIELDS

from sakip_xlsx.description import TEMPLATE_VERSION
from sakip_xlsx.model import Submission
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.rules import load_rules
from sakip_xlsx.safety import UnreadableWorkbook

# ---------------------------------------------------------------------------
# A complete, correct submission: every field as (typed, expected after reading)
# ---------------------------------------------------------------------------

CELLS: dict[str, tuple[Any, Any]] = {
    "pemda": ("Kabupaten Jombang", "Kabupaten Jombang"),
    "instansi": ("Kecamatan Ngoro", "Kecamatan Ngoro"),
    "tahun": (2024, 2024),
    "renstra_awal": ("2021", 2021),
    "renstra_akhir": (2026, 2026),
    "kepala_nama": ("Drs. Budi Santoso, M.Si", "Drs. Budi Santoso, M.Si"),
    "kepala_nip": ("19700101 199003 1 001", "19700101 199003 1 001"),
    "kepala_jabatan": ("Camat Ngoro", "Camat Ngoro"),
    "total_pagu_dilaporkan": ("Rp. 3.961.741.788", 3961741788),
    "total_realisasi_dilaporkan": ("Rp 3.779.143.773,00", 3779143773),
    "persen_serapan_dilaporkan": ("98,71 %", 98.71),
    "sisa_anggaran_dilaporkan": ("182.598.015,-", 182598015),
    "rata_capaian_dilaporkan": ("94.00%", 94.0),
    "total_pk_dilaporkan": (3961741788, 3961741788),
}

TABLES: dict[str, list[dict[str, tuple[Any, Any]]]] = {
    "sasaran": [
        {
            "kode": ("S1", "S1"),
            "jenis": ("Sasaran Strategis", "Sasaran Strategis"),
            "uraian": ("Meningkatnya kualitas pelayanan publik", "Meningkatnya kualitas pelayanan publik"),
        },
        {
            "kode": ("S2", "S2"),
            "jenis": ("kinerja lainnya", "Kinerja Lainnya"),
            "uraian": ("Tertib administrasi", "Tertib administrasi"),
        },
    ],
    "indikator": [
        {
            "kode": ("IK1", "IK1"),
            "sasaran_kode": ("S1", "S1"),
            "uraian": ("Indeks Kepuasan Masyarakat", "Indeks Kepuasan Masyarakat"),
            "satuan": ("%", "%"),
            "polaritas": ("Positif", "Positif"),
            "target": (90, 90.0),
            "target_atas": (None, None),
            "realisasi": ("98,71 %", 98.71),
            "target_renstra_akhir": ("95", 95.0),
            "kumulatif": ("Tidak", "Tidak"),
            "realisasi_lalu_1": ("94.00%", 94.0),
            "realisasi_lalu_2": ("84,5 (A)", 84.5),
            "realisasi_lalu_3": ("-", None),
            "pembanding_kabupaten": (80.5, 80.5),
            "pembanding_provinsi": ("81%", 81.0),
            "pembanding_nasional": ("", None),
            "kebutuhan_sdm": ("14", 14.0),
            "ketersediaan_sdm": (12, 12.0),
            "capaian_dilaporkan": ("109,68", 109.68),
            "kemajuan_dilaporkan": ("(6,36 %)", -6.36),
            "efisiensi_dilaporkan": ("0,83", 0.83),
        },
        {
            "kode": ("IK2", "IK2"),
            "sasaran_kode": ("S1", "S1"),
            "uraian": ("Dokumen perencanaan tersusun", "Dokumen perencanaan tersusun"),
            "satuan": ("Dokumen", "Dokumen"),
            "polaritas": ("Negatif", "Negatif"),
            "target": ("400 Dokumen", 400.0),
            "realisasi": ("380 Dokumen", 380.0),
            "target_renstra_akhir": ("60 – 70", 60.0),
            "kumulatif": ("Ya", "Ya"),
            "pembanding_nasional": (0, 0.0),
            "capaian_dilaporkan": ("78 Baik", 78.0),
        },
        {
            "kode": ("IK3", "IK3"),
            "sasaran_kode": ("S2", "S2"),
            "uraian": ("Nilai SAKIP", "Nilai SAKIP"),
            "satuan": ("Nilai", "Nilai"),
            "polaritas": ("Positif", "Positif"),
            "target": ("60 – 70", 60.0),
            "realisasi": (65, 65.0),
            "capaian_dilaporkan": ("93.79 - Sangat Baik", 93.79),
        },
    ],
    "anggaran": [
        {
            "kode": ("7.01.01", "7.01.01"),
            "tingkat": ("Program", "Program"),
            "uraian": ("Program Penunjang Urusan Pemerintahan", "Program Penunjang Urusan Pemerintahan"),
            "pagu": ("Rp. 3.961.741.788", 3961741788),
            "realisasi": ("Rp 3.779.143.773,00", 3779143773),
            "selisih_dilaporkan": ("182.598.015", 182598015),
            "persen_dilaporkan": ("95,39 %", 95.39),
        },
        {
            "kode": ("7.01.01.2.01", "7.01.01.2.01"),
            "tingkat": ("Kegiatan", "Kegiatan"),
            "uraian": ("Perencanaan dan Evaluasi Kinerja", "Perencanaan dan Evaluasi Kinerja"),
            "pagu": ("4.349.483.103,-", 4349483103),
            "realisasi": ("3,399,334,813", 3399334813),
            "sumber_dana": ("APBD", "APBD"),
        },
        {
            "kode": ("7.01.01.2.01.0001", "7.01.01.2.01.0001"),
            "tingkat": ("Sub Kegiatan", "Sub Kegiatan"),
            "uraian": ("Penyusunan Dokumen Perencanaan", "Penyusunan Dokumen Perencanaan"),
            "indikator_kode": ("IK2", "IK2"),
            "indikator_keluaran": ("Jumlah dokumen perencanaan", "Jumlah dokumen perencanaan"),
            "satuan": ("Dokumen", "Dokumen"),
            "target": ("400 Dokumen", 400.0),
            "realisasi_kinerja": ("400 Dokumen", 400.0),
            "pagu": ("22,671,547.00", 22671547),
            "realisasi": (22000000, 22000000),
            "sumber_dana": ("APBD-P", "APBD-P"),
            "selisih_dilaporkan": ("-", None),
            "persen_dilaporkan": ("", None),
            "capaian_dilaporkan": ("100%", 100.0),
        },
    ],
    "pk_anggaran": [
        {
            "program_kode": ("7.01.01", "7.01.01"),
            "uraian": ("Program Penunjang Urusan Pemerintahan", "Program Penunjang Urusan Pemerintahan"),
            "anggaran": ("Rp. 3.961.741.788", 3961741788),
            "versi": ("Murni", "Murni"),
            "keterangan": ("PK awal tahun", "PK awal tahun"),
        },
    ],
    "penduduk": [
        {
            "tahun": (2023, 2023),
            "laki_laki": ("21.746", 21746),
            "perempuan": (22000, 22000),
            "total_dilaporkan": ("43.746", 43746),
            "rasio_dilaporkan": ("98,85", 98.85),
        },
    ],
}


def typed_cells(cells=CELLS) -> dict[str, Any]:
    return {field: typed for field, (typed, _) in cells.items()}


def typed_tables(tables=TABLES) -> dict[str, list[dict[str, Any] | None]]:
    return {
        table: [None if row is None else {field: typed for field, (typed, _) in row.items()} for row in rows]
        for table, rows in tables.items()
    }


def tables_with(**changes: Any) -> dict[str, list[dict[str, Any] | None]]:
    """The correct tables, typed, with ``table__index__field=value`` changes."""
    tables = typed_tables()
    for key, value in changes.items():
        table, index, field = key.split("__")
        tables[table][int(index)][field] = value
    return tables


def read(path: Path, **kwargs: Any) -> Submission:
    """read_workbook, asserting the input file's bytes and mtime are unchanged."""
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    try:
        return read_workbook(path, **kwargs)
    finally:
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before, f"{path} was modified by reading"


def expected_entries() -> list[tuple[str, int | None, str, Any, str, str]]:
    """(table or 'cells', row index, field, value, sheet, cell) of every filled field."""
    items = []
    for field, (_, value) in CELLS.items():
        cell = cell_schema(field)
        items.append(("cells", None, field, value, cell["sheet"], cell["cell"]))
    for table, rows in TABLES.items():
        for index, row in enumerate(rows):
            for field, (_, value) in row.items():
                sheet, cell = cell_of(table, field, index)
                items.append((table, index, field, value, sheet, cell))
    return items


def assert_entries(submission: Submission, relocate=lambda sheet, cell: (sheet, cell)) -> None:
    """Every filled field read with its expected value at its (relocated) sheet and cell."""
    problems = []
    for table, index, field, value, sheet, cell in expected_entries():
        if table == "cells":
            entry = submission.cells.get(field)
        else:
            records = submission.records(table)
            entry = records[index].entry(field) if index < len(records) else None
        want_sheet, want_cell = relocate(sheet, cell)
        if entry is None:
            problems.append(f"{table}[{index}].{field}: not read")
            continue
        got_value = entry.value
        if got_value != value or type(got_value) is not type(value):
            problems.append(f"{table}[{index}].{field}: {got_value!r} != {value!r}")
        if (entry.sheet, entry.cell) != (want_sheet, want_cell):
            problems.append(
                f"{table}[{index}].{field}: at {entry.sheet}!{entry.cell}, expected {want_sheet}!{want_cell}"
            )
    for table, rows in TABLES.items():
        if len(submission.records(table)) != len(rows):
            problems.append(f"{table}: {len(submission.records(table))} records, expected {len(rows)}")
    assert problems == []


@pytest.fixture
def correct(filled_template) -> Path:
    """The complete, correct submission."""
    return filled_template(typed_cells(), typed_tables(), name="benar.xlsx")


def edit(path: Path, change) -> Path:
    """Open ``path`` with openpyxl, apply ``change(workbook)``, save in place."""
    workbook = openpyxl.load_workbook(path)
    change(workbook)
    workbook.save(path)
    workbook.close()
    return path


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


def test_reads_every_field_with_value_and_cell(correct):
    submission = read(correct)
    assert_entries(submission)


def test_correct_file_has_no_findings(correct):
    submission = read(correct)
    assert [f.to_dict() for f in submission.findings] == []


def test_template_version_and_embedded_rules(correct):
    submission = read(correct)
    assert submission.template_version == TEMPLATE_VERSION
    assert submission.rules == load_rules("default")


def test_rules_override(correct):
    assert read(correct, rules=load_rules("rembang")).rules == load_rules("rembang")


def test_embedded_preset_rules_are_used(tmp_path):
    path = write_blank_template(tmp_path / "jombang.xlsx", "jombang")
    fill_template(path, typed_cells(), typed_tables())
    assert read(path).rules == load_rules("jombang")


def test_parsed_details_kept(correct):
    submission = read(correct)
    ik2, ik3 = submission.records("indikator")[1:3]
    assert ik2.entry("target").parsed.unit == "Dokumen"
    assert ik2.entry("realisasi").parsed.unit == "Dokumen"
    assert ik2.entry("target_renstra_akhir").parsed.upper == 70.0
    assert ik3.entry("target").parsed.kind == "range"
    assert ik3.entry("target").parsed.upper == 70.0
    ik1 = submission.records("indikator")[0]
    assert ik1.entry("realisasi_lalu_2").parsed.grade == "A"
    assert ik1.entry("realisasi").parsed.percent_sign
    assert ik1.entry("realisasi").raw == "98,71 %"


def test_empty_not_applicable_and_zero_are_distinct(correct):
    submission = read(correct)
    ik1, ik2 = submission.records("indikator")[:2]
    assert ik1.entry("realisasi_lalu_3").parsed.kind == "na"
    assert ik1.entry("pembanding_nasional").parsed.kind == "empty"
    assert ik1.entry("target_atas").value is None
    assert ik2.number("pembanding_nasional") == 0.0
    assert ik1.number("realisasi_lalu_3") is None


def test_table_columns_reported(correct):
    submission = read(correct)
    for table_id in TABLES:
        table = submission.tables[table_id]
        schema_columns = {c["field"]: c["column"] for c in table_schema(table_id)["columns"]}
        assert table.columns == schema_columns
        assert table.sheet == table_schema(table_id)["sheet"]


def test_percent_formatted_number_is_read_as_percent(correct):
    """Staff type ``98,71%`` in Excel: the cell holds 0.9871 with a % number format."""

    def change(workbook):
        sheet, cell = cell_of("indikator", "capaian_dilaporkan", 0)
        workbook[sheet][cell].value = 0.9871
        workbook[sheet][cell].number_format = "0.00%"

    edit(correct, change)
    submission = read(correct)
    entry = submission.records("indikator")[0].entry("capaian_dilaporkan")
    assert entry.value == pytest.approx(0.9871 * 100)
    # the grid the results workbook copies shows the percent too
    sheet, cell = cell_of("indikator", "capaian_dilaporkan", 0)
    row, col = openpyxl.utils.cell.coordinate_to_tuple(cell)
    assert submission.grids[sheet][row - 1][col - 1] == pytest.approx(0.9871 * 100)


@pytest.mark.parametrize(
    ("number_format", "stored", "scaled"),
    [
        ("0%", 0.9, True),
        ("#,##0.0%", 0.9, True),
        ('0.0"%"', 0.9, False),
        ("0.00", 0.9, False),
        ('"Rp"#,##0', 0.9, False),
    ],
)
def test_only_percent_formats_scale_a_number(correct, number_format, stored, scaled):
    """``90%`` typed in Excel (format 0%, or a custom format with %) is 90; 0.9 formatted as a
    plain number, or with a quoted percent sign only, stays 0.9."""

    def change(workbook):
        sheet, cell = cell_of("indikator", "realisasi", 1)
        workbook[sheet][cell].value = stored
        workbook[sheet][cell].number_format = number_format

    edit(correct, change)
    value = read(correct).records("indikator")[1].number("realisasi")
    assert value == pytest.approx(stored * 100 if scaled else stored)


# ---------------------------------------------------------------------------
# Robustness
# ---------------------------------------------------------------------------


def test_rows_beyond_preformatted_area_and_blank_rows(filled_template):
    table = table_schema("anggaran")
    first = table["first_data_row"]
    beyond = first + table["rows"] + 25  # below the bordered rows, still validated
    far = first + table["rows"] + 1500  # below the validated rows too
    rows = {
        first: {"kode": "7.01.01", "tingkat": "Program", "uraian": "P"},
        first + 3: {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "K"},
        beyond: {"kode": "7.01.01.2.01.0001", "tingkat": "Sub Kegiatan", "uraian": "S1", "pagu": "1.000.000"},
        far: {"kode": "7.01.01.2.01.0002", "tingkat": "Sub Kegiatan", "uraian": "S2", "pagu": 2000000},
    }
    tables = typed_tables()
    tables["anggaran"] = rows
    path = filled_template(typed_cells(), tables)
    submission = read(path)
    records = submission.records("anggaran")
    assert [r.row for r in records] == sorted(rows)
    assert [r.key for r in records] == [row["kode"] for _, row in sorted(rows.items())]
    assert records[2].entry("pagu").cell == cell_ref("anggaran", "pagu", beyond)
    assert records[3].entry("pagu").cell == cell_ref("anggaran", "pagu", far)
    assert records[3].number("pagu") == 2000000
    assert [c.label for c in submission.programs[0].children[0].children] == [
        "7.01.01.2.01.0001",
        "7.01.01.2.01.0002",
    ]
    assert [f.code for f in submission.findings] == []


def test_blank_rows_between_entries(filled_template):
    tables = typed_tables()
    tables["indikator"] = [
        tables["indikator"][0],
        None,
        None,
        tables["indikator"][1],
        None,
        tables["indikator"][2],
    ]
    path = filled_template(typed_cells(), tables)
    records = read(path).records("indikator")
    first = table_schema("indikator")["first_data_row"]
    assert [r.row for r in records] == [first, first + 3, first + 5]
    assert [r.key for r in records] == ["IK1", "IK2", "IK3"]
    assert records[1].entry("target").cell == cell_ref("indikator", "target", first + 3)


def test_reference_cells_are_read_as_typed_text(filled_template):
    """A kode referring to another sheet is compared as written: "IK  1" (two spaces) is not IK1's
    "IK 1", so it is reported, however many such cells the table has (the first and the repeats)."""
    tables = typed_tables()
    tables["indikator"][0] = {**tables["indikator"][0], "kode": "IK 1"}
    lines = [dict(line) for line in tables["anggaran"]]
    for line in lines:
        if line.get("indikator_kode"):
            line["indikator_kode"] = "IK  1"
    tables["anggaran"] = lines
    submission = read(filled_template(typed_cells(), tables))
    linked = [r for r in submission.records("anggaran") if r.get("indikator_kode")]
    assert linked and all(r.get("indikator_kode") == "IK  1" for r in linked)
    unknown = [
        f for f in submission.findings if f.code == "unknown-reference" and f.field == "indikator_kode"
    ]
    assert len(unknown) == len(linked)


def _shift_columns(sheet_name: str, from_letter: str, by: int):
    start = column_index_from_string(from_letter)

    def relocate(sheet, cell):
        if sheet != sheet_name:
            return sheet, cell
        letters = "".join(ch for ch in cell if ch.isalpha())
        row = cell[len(letters) :]
        index = column_index_from_string(letters)
        return sheet, (get_column_letter(index + by) if index >= start else letters) + row

    return relocate


def _shift_rows(sheets: set[str], by: int):
    def relocate(sheet, cell):
        if sheet not in sheets:
            return sheet, cell
        letters = "".join(ch for ch in cell if ch.isalpha())
        return sheet, f"{letters}{int(cell[len(letters) :]) + by}"

    return relocate


def _rename(old: str, new: str):
    return lambda sheet, cell: (new if sheet == old else sheet, cell)


def _insert_indikator_column(workbook):
    workbook["Indikator"].insert_cols(column_index_from_string("E"))
    workbook["Indikator"]["E3"].value = "Catatan sendiri"


def _reorder_sheets(workbook):
    workbook.move_sheet("Aturan", offset=-(len(workbook.sheetnames) - 1))
    workbook.move_sheet("Anggaran", offset=-3)
    workbook.move_sheet("Identitas", offset=5)


def _rename_sheet(old: str, new: str):
    def change(workbook):
        workbook[old].title = new

    return change


def _edit_headers(workbook):
    for table in ("indikator", "anggaran"):
        schema = table_schema(table)
        ws = workbook[schema["sheet"]]
        for column in schema["columns"]:
            ws[f"{column['column']}{schema['header_row']}"].value = f"Kolom {column['column']} (diubah)"


TABLE_SHEETS = {table["sheet"] for table in schema()["tables"]}


def _delete_field_id_rows(workbook):
    for name in TABLE_SHEETS:
        workbook[name].delete_rows(2)


def _shift_rows_from(sheet_name: str, first_row: int, by: int):
    def relocate(sheet, cell):
        letters = "".join(ch for ch in cell if ch.isalpha())
        row = int(cell[len(letters) :])
        if sheet != sheet_name or row < first_row:
            return sheet, cell
        return sheet, f"{letters}{row + by}"

    return relocate


def _insert_identitas_row(workbook):
    workbook[cell_schema("tahun")["sheet"]].insert_rows(int(cell_schema("tahun")["cell"][1:]))


def _insert_anggaran_first_column(workbook):
    workbook[table_schema("anggaran")["sheet"]].insert_cols(1)


ROBUSTNESS = {
    "column inserted in Indikator": (_insert_indikator_column, _shift_columns("Indikator", "E", 1)),
    "column inserted before Anggaran's first": (
        _insert_anggaran_first_column,
        _shift_columns("Anggaran", "A", 1),
    ),
    "row inserted in Identitas": (
        _insert_identitas_row,
        _shift_rows_from(cell_schema("tahun")["sheet"], int(cell_schema("tahun")["cell"][1:]), 1),
    ),
    "sheets reordered": (_reorder_sheets, lambda s, c: (s, c)),
    "Anggaran renamed": (_rename_sheet("Anggaran", "Anggaran 2024"), _rename("Anggaran", "Anggaran 2024")),
    "Indikator renamed": (_rename_sheet("Indikator", "IKU"), _rename("Indikator", "IKU")),
    "Sasaran renamed": (
        _rename_sheet("Sasaran", "Sasaran Strategis"),
        _rename("Sasaran", "Sasaran Strategis"),
    ),
    "PK Anggaran renamed": (_rename_sheet("PK Anggaran", "PK"), _rename("PK Anggaran", "PK")),
    "Penduduk renamed": (_rename_sheet("Penduduk", "Data Penduduk"), _rename("Penduduk", "Data Penduduk")),
    "Identitas renamed": (_rename_sheet("Identitas", "Profil"), _rename("Identitas", "Profil")),
    "Ringkasan renamed": (_rename_sheet("Ringkasan", "Angka Narasi"), _rename("Ringkasan", "Angka Narasi")),
    "Aturan renamed": (_rename_sheet("Aturan", "Rules"), lambda s, c: (s, c)),
    "header text edited": (_edit_headers, lambda s, c: (s, c)),
    "field-id rows deleted": (_delete_field_id_rows, _shift_rows(TABLE_SHEETS, -1)),
}


@pytest.mark.parametrize(("change", "relocate"), ROBUSTNESS.values(), ids=ROBUSTNESS.keys())
def test_robust_to_user_edits(correct, change, relocate):
    edit(correct, change)
    submission = read(correct)
    assert_entries(submission, relocate)
    assert [f.to_dict() for f in submission.findings] == []


def test_column_inserted_moves_reported_letters(correct):
    edit(correct, _insert_indikator_column)
    columns = read(correct).tables["indikator"].columns
    relocate = _shift_columns("Indikator", "E", 1)
    for column in table_schema("indikator")["columns"]:
        expected = relocate("Indikator", column["column"] + "1")[1][:-1]
        assert columns[column["field"]] == expected, column["field"]
    assert columns["sasaran_kode"] == "B"
    assert columns["polaritas"] == "F"


def test_header_row_deleted_keeps_first_data_row(correct):
    table = table_schema("indikator")
    edit(correct, lambda workbook: workbook[table["sheet"]].delete_rows(table["header_row"]))
    submission = read(correct)
    assert [record.key for record in submission.records("indikator")] == ["IK1", "IK2", "IK3"]


@pytest.fixture(scope="module")
def libreoffice_copies(tmp_path_factory, blank_template) -> dict[str, tuple[Path, Path]]:
    """Filled workbooks re-saved by LibreOffice (xlsx -> xlsx), ONE soffice call for all."""
    require_soffice()
    folder = tmp_path_factory.mktemp("lo-in")
    plain = fill_template(blank_template, typed_cells(), typed_tables(), output=folder / "benar.xlsx")
    inserted = edit(shutil.copyfile(plain, folder / "kolom.xlsx"), _insert_indikator_column)
    converted = recalculate([plain, inserted], tmp_path_factory.mktemp("lo-out"))
    return {"plain": (plain, converted[plain]), "inserted": (inserted, converted[inserted])}


def test_libreoffice_resaved_file_reads_the_same(libreoffice_copies):
    original, resaved = libreoffice_copies["plain"]
    assert resaved.read_bytes() != original.read_bytes()
    submission = read(resaved)
    assert_entries(submission)
    assert [f.to_dict() for f in submission.findings] == []


def test_libreoffice_resaved_file_with_inserted_column(libreoffice_copies):
    _, resaved = libreoffice_copies["inserted"]
    assert_entries(read(resaved), _shift_columns("Indikator", "E", 1))


# ---------------------------------------------------------------------------
# Input findings
# ---------------------------------------------------------------------------

FINDINGS = {
    "unreadable value": (
        dict(indikator__0__realisasi="sembilan puluh"),
        {},
        "unreadable-value",
        "error",
        ("indikator", "realisasi", 0),
        "sembilan puluh",
    ),
    "required missing (table)": (
        dict(indikator__0__uraian=None),
        {},
        "required-missing",
        "error",
        ("indikator", "uraian", 0),
        None,
    ),
    "required missing (cell)": (
        {},
        {"pemda": None},
        "required-missing",
        "error",
        ("cells", "pemda", None),
        None,
    ),
    "value outside list": (
        dict(indikator__0__polaritas="Naik"),
        {},
        "value-not-in-list",
        "error",
        ("indikator", "polaritas", 0),
        "Naik",
    ),
    "duplicate kode": (
        dict(indikator__2__kode="IK1"),
        {},
        "duplicate-kode",
        "error",
        ("indikator", "kode", 2),
        "IK1",
    ),
    "unknown sasaran_kode": (
        dict(indikator__1__sasaran_kode="S9"),
        {},
        "unknown-reference",
        "error",
        ("indikator", "sasaran_kode", 1),
        "S9",
    ),
    "unknown indikator_kode": (
        dict(anggaran__2__indikator_kode="IK9"),
        {},
        "unknown-reference",
        "error",
        ("anggaran", "indikator_kode", 2),
        "IK9",
    ),
    "satuan mismatch": (
        dict(indikator__1__realisasi="380 Laporan"),
        {},
        "satuan-mismatch",
        "warning",
        ("indikator", "realisasi", 1),
        "Laporan",
    ),
    "negative pagu": (
        dict(anggaran__2__pagu="-22.671.547"),
        {},
        "negative-amount",
        "error",
        ("anggaran", "pagu", 2),
        None,
    ),
    "negative pagu in brackets": (
        dict(anggaran__2__pagu="(22.671.547)"),
        {},
        "negative-amount",
        "error",
        ("anggaran", "pagu", 2),
        None,
    ),
}


@pytest.mark.parametrize(
    ("table_changes", "cell_changes", "code", "severity", "where", "raw"),
    FINDINGS.values(),
    ids=FINDINGS.keys(),
)
def test_input_findings(filled_template, table_changes, cell_changes, code, severity, where, raw):
    cells = typed_cells() | cell_changes
    path = filled_template(cells, tables_with(**table_changes))
    findings = read(path).findings
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, [f.to_dict() for f in findings]
    found = matching[0]
    table, field, index = where
    if table == "cells":
        sheet, ref = cell_schema(field)["sheet"], cell_schema(field)["cell"]
    else:
        sheet, ref = cell_of(table, field, index)
        assert found.table == table
    assert (found.sheet, found.cell) == (sheet, ref)
    assert found.field == field
    assert found.severity == severity
    assert is_indonesian(found.message), found.message
    assert f"{sheet}!{ref}" in found.message or sheet in found.message
    if raw is not None:
        assert raw in found.message
    others = [f.code for f in findings if f.code != code]
    assert others == [], [f.to_dict() for f in findings]


def test_orphan_budget_line(filled_template):
    tables = typed_tables()
    tables["anggaran"].insert(
        0, {"kode": "7.02.01.2.01", "tingkat": "Kegiatan", "uraian": "Kegiatan tanpa program"}
    )
    path = filled_template(typed_cells(), tables)
    submission = read(path)
    orphans = [f for f in submission.findings if f.code == "orphan-budget-line"]
    assert len(orphans) == 1, [f.to_dict() for f in submission.findings]
    sheet, cell = cell_of("anggaran", "tingkat", 0)
    assert (orphans[0].sheet, orphans[0].cell) == (sheet, cell)
    assert orphans[0].severity == "error"
    assert orphans[0].row_key == "7.02.01.2.01"
    assert is_indonesian(orphans[0].message), orphans[0].message
    assert f"{sheet}!{cell}" in orphans[0].message
    assert [f.code for f in submission.findings] == ["orphan-budget-line"]


def test_orphan_without_kode(filled_template):
    tables = typed_tables()
    tables["anggaran"] = [
        {"tingkat": "Sub Kegiatan", "uraian": "Sub tanpa induk", "pagu": 1000},
        {"tingkat": "Program", "uraian": "Program A"},
        {"tingkat": "Kegiatan", "uraian": "Kegiatan A1"},
        {"tingkat": "Sub Kegiatan", "uraian": "Sub A1a", "pagu": 1000},
    ]
    tables["pk_anggaran"] = []
    path = filled_template(typed_cells(), tables)
    submission = read(path)
    orphans = [f for f in submission.findings if f.code == "orphan-budget-line"]
    assert [(f.sheet, f.cell) for f in orphans] == [cell_of("anggaran", "tingkat", 0)]
    assert "Sub tanpa induk" in orphans[0].message


def test_formula_without_cached_value_is_reported(filled_template):
    path = filled_template(typed_cells(), tables_with(anggaran__2__pagu="=20000000+2671547"))
    findings = [f for f in read(path).findings if f.code == "formula-without-value"]
    assert [(f.sheet, f.cell) for f in findings] == [cell_of("anggaran", "pagu", 2)]


def test_line_whose_parent_kode_is_absent_is_an_orphan(filled_template):
    tables = typed_tables()
    tables["anggaran"].append(
        {"kode": "7.01.01.2.02.0001", "tingkat": "Sub Kegiatan", "uraian": "Kegiatannya tidak ada", "pagu": 5}
    )
    submission = read(filled_template(typed_cells(), tables))
    line = next(line for line in submission.budget_lines if line.label == "7.01.01.2.02.0001")
    assert line.parent is None or line.parent.label != "7.01.01.2.01"
    orphans = [f for f in submission.findings if f.code == "orphan-budget-line"]
    assert [(f.sheet, f.cell) for f in orphans] == [cell_of("anggaran", "tingkat", 3)]


def test_satuan_mismatch_names_both_cells(filled_template):
    path = filled_template(typed_cells(), tables_with(indikator__1__realisasi="380 Laporan"))
    found = next(f for f in read(path).findings if f.code == "satuan-mismatch")
    assert set(found.cells) == {cell_of("indikator", "target", 1)[1], cell_of("indikator", "realisasi", 1)[1]}
    assert "Dokumen" in found.message and "Laporan" in found.message


def test_duplicate_kode_names_both_cells(filled_template):
    path = filled_template(typed_cells(), tables_with(indikator__2__kode="IK1"))
    found = next(f for f in read(path).findings if f.code == "duplicate-kode")
    assert found.cells == (cell_of("indikator", "kode", 0)[1], cell_of("indikator", "kode", 2)[1])


def test_unreadable_value_keeps_raw_text(filled_template):
    path = filled_template(typed_cells(), tables_with(indikator__0__realisasi="sembilan puluh"))
    entry = read(path).records("indikator")[0].entry("realisasi")
    assert entry.value is None
    assert entry.raw == "sembilan puluh"


# ---------------------------------------------------------------------------
# Budget hierarchy
# ---------------------------------------------------------------------------


def _tree(submission: Submission) -> dict:
    def node(line):
        return {line.label: [node(child) for child in line.children]}

    return [node(program) for program in submission.programs]


def test_hierarchy_from_kode_prefixes_out_of_order(filled_template):
    rows = [
        ("7.01.01.2.01.0001", "Sub Kegiatan"),
        ("7.01.01", "Program"),
        ("7.01.02.2.01", "Kegiatan"),
        ("7.01.01.2.01", "Kegiatan"),
        ("7.01.02", "Program"),
        ("7.01.01.2.01.0002", "Sub Kegiatan"),
        ("7.01.02.2.01.01", "Sub Kegiatan"),  # older 2-digit last segment
        ("7.01.01.2.02.0001", "Sub Kegiatan"),
        ("7.01.01.2.02", "Kegiatan"),
    ]
    tables = typed_tables()
    tables["anggaran"] = [
        {"kode": kode, "tingkat": tingkat, "uraian": f"Uraian {kode}", "pagu": 1000} for kode, tingkat in rows
    ]
    path = filled_template(typed_cells(), tables)
    submission = read(path)
    assert [f.code for f in submission.findings] == []
    assert _tree(submission) == [
        {
            "7.01.01": [
                {"7.01.01.2.01": [{"7.01.01.2.01.0001": []}, {"7.01.01.2.01.0002": []}]},
                {"7.01.01.2.02": [{"7.01.01.2.02.0001": []}]},
            ]
        },
        {"7.01.02": [{"7.01.02.2.01": [{"7.01.02.2.01.01": []}]}]},
    ]
    lines = {line.label: line for line in submission.budget_lines}
    assert len(submission.budget_lines) == len(rows)
    assert lines["7.01.01.2.01.0001"].parent is lines["7.01.01.2.01"]
    assert lines["7.01.01.2.01"].parent is lines["7.01.01"]
    assert lines["7.01.01"].parent is None
    assert [line.level for line in submission.budget_lines] == [
        {"Program": 0, "Kegiatan": 1, "Sub Kegiatan": 2}[tingkat] for _, tingkat in rows
    ]


def test_hierarchy_from_row_order_without_kode(filled_template):
    rows = [
        ("Program", "Program A"),
        ("Kegiatan", "Kegiatan A1"),
        ("Sub Kegiatan", "Sub A1a"),
        ("Sub Kegiatan", "Sub A1b"),
        ("Kegiatan", "Kegiatan A2"),
        ("Sub Kegiatan", "Sub A2a"),
        ("Program", "Program B"),
        ("Kegiatan", "Kegiatan B1"),
        ("Sub Kegiatan", "Sub B1a"),
    ]
    tables = typed_tables()
    tables["anggaran"] = [{"tingkat": tingkat, "uraian": uraian, "pagu": 1000} for tingkat, uraian in rows]
    tables["anggaran"].insert(4, None)  # a blank row does not break the hierarchy
    tables["pk_anggaran"] = []
    path = filled_template(typed_cells(), tables)
    submission = read(path)
    assert [f.code for f in submission.findings] == []
    assert _tree(submission) == [
        {
            "Program A": [
                {"Kegiatan A1": [{"Sub A1a": []}, {"Sub A1b": []}]},
                {"Kegiatan A2": [{"Sub A2a": []}]},
            ]
        },
        {"Program B": [{"Kegiatan B1": [{"Sub B1a": []}]}]},
    ]
    assert all(line.record.key is None for line in submission.budget_lines)


def test_level_from_kode_when_tingkat_empty(filled_template):
    tables = typed_tables()
    for row in tables["anggaran"]:
        row["tingkat"] = None
    path = filled_template(typed_cells(), tables)
    submission = read(path)
    assert _tree(submission) == [{"7.01.01": [{"7.01.01.2.01": [{"7.01.01.2.01.0001": []}]}]}]
    assert {f.code for f in submission.findings} == {"required-missing"}


# ---------------------------------------------------------------------------
# Not a template, wrong version, file untouched
# ---------------------------------------------------------------------------


def test_plain_workbook_is_not_a_template(tmp_path):
    path = tmp_path / "biasa.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Anggaran")
    sheet.write_row(0, 0, ["Kode", "Uraian", "Pagu"])
    sheet.write_row(1, 0, ["7.01.01", "Program", 1000])
    workbook.close()
    with pytest.raises(UnreadableWorkbook) as raised:
        read(path)
    assert is_indonesian(raised.value.reason), raised.value.reason
    assert "template" in raised.value.reason
    assert raised.value.path == path


def test_changed_template_version_is_refused(correct):
    rules = schema()["rules"]

    def change(workbook):
        workbook[rules["sheet"]][rules["version_cell"]].value = "0.9"

    edit(correct, change)
    with pytest.raises(UnreadableWorkbook) as raised:
        read(correct)
    assert "0.9" in raised.value.reason
    assert TEMPLATE_VERSION in raised.value.reason
    assert "versi" in raised.value.reason.lower()
    assert is_indonesian(raised.value.reason), raised.value.reason


def test_damaged_rules_are_refused(correct):
    rules = schema()["rules"]

    def change(workbook):
        workbook[rules["sheet"]][rules["rules_cell"]].value = '[capaian]\nrumus_polaritas_negatif = "R/T"\n'

    edit(correct, change)
    with pytest.raises(UnreadableWorkbook) as raised:
        read(correct)
    assert "rumus_polaritas_negatif" in raised.value.reason
    assert read(correct, rules=load_rules("default")).rules == load_rules("default")


def test_reading_twice_gives_the_same_and_leaves_file_unchanged(correct):
    first = read(correct)
    second = read(correct)
    assert [f.to_dict() for f in first.findings] == [f.to_dict() for f in second.findings]
    assert {k: e.value for k, e in first.cells.items()} == {k: e.value for k, e in second.cells.items()}


# ---------------------------------------------------------------------------
# Size
# ---------------------------------------------------------------------------


def test_5000_budget_lines(tmp_path, blank_template, capsys):
    rows = []
    for p in range(1, 201):
        program = f"7.01.{p:02d}" if p < 100 else f"7.{p // 100 + 1:02d}.{p % 100:02d}"
        rows.append({"kode": program, "tingkat": "Program", "uraian": f"Program {p}"})
        for k in range(1, 5):
            kegiatan = f"{program}.2.{k:02d}"
            rows.append({"kode": kegiatan, "tingkat": "Kegiatan", "uraian": f"Kegiatan {p}.{k}"})
            for s in range(1, 6):
                rows.append(
                    {
                        "kode": f"{kegiatan}.{s:04d}",
                        "tingkat": "Sub Kegiatan",
                        "uraian": f"Sub Kegiatan {p}.{k}.{s}",
                        "pagu": f"Rp {p * 1000 + k * 10 + s:,}".replace(",", "."),
                        "realisasi": p * 900 + k * 10 + s,
                        "sumber_dana": "APBD",
                    }
                )
    assert len(rows) == 5000
    tables = typed_tables()
    tables["anggaran"] = rows
    tables["pk_anggaran"] = []
    path = fill_template(blank_template, typed_cells(), tables, output=tmp_path / "besar.xlsx")
    start = time.perf_counter()
    submission = read(path)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\n[test_5000_budget_lines] read_workbook of 5,000 budget lines: {elapsed:.2f} s")
    assert len(submission.budget_lines) == 5000
    assert len(submission.programs) == 200
    assert all(len(program.children) == 4 for program in submission.programs)
    assert all(len(k.children) == 5 for program in submission.programs for k in program.children)
    assert [f.code for f in submission.findings] == []
    assert submission.records("anggaran")[2].number("pagu") == 1011


def test_expected_entries_cover_every_spec_field():
    """The correct submission fills every SPEC section 3 field at least once."""
    filled = {(table, field) for table, _, field, *_ in expected_entries()}
    for field in SPEC_CELL_FIELDS:
        assert ("cells", field) in filled, field
    for table, fields in SPEC_TABLE_FIELDS.items():
        for field in fields:
            assert (table, field) in filled, (table, field)
