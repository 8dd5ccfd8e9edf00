"""samples/build.py: fills a blank template through the schema only, keeps typed text as text."""

from __future__ import annotations

import importlib.util
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sakip_xlsx.reader import read_workbook
from sakip_xlsx.rules import load_rules
from sakip_xlsx.schema import template_schema
from sakip_xlsx.template import TemplateOptions, write_template

BUILD_PY = Path(__file__).resolve().parent.parent / "samples" / "build.py"


def _load_build():
    spec = importlib.util.spec_from_file_location("samples_build", BUILD_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()
SCHEMA = template_schema()
CELLS = {cell["field"]: cell for cell in SCHEMA["cells"]}
TABLES = {table["id"]: table for table in SCHEMA["tables"]}

FORMULA_LIKE = "=SUM(A1:A3) bukan rumus"

DATA = {
    "source": "test",
    "rules": "jombang",
    "cells": {
        "pemda": "Kabupaten Uji",
        "instansi": "Kecamatan Uji",
        "tahun": 2024,
        "renstra_awal": "2021",  # a year typed as text still goes in as a number
        "kepala_nip": "19800501 200111 2 001",
        "kepala_jabatan": None,
        "total_pagu_dilaporkan": "Rp. 2.739.149.000",
        "total_realisasi_dilaporkan": "Rp 2.437.383.089,00",
        "persen_serapan_dilaporkan": "88,98 %",
        "sisa_anggaran_dilaporkan": "301.765.911,-",
        "_sumber": "ignored",
    },
    "tables": {
        "sasaran": [
            {"kode": "S1", "jenis": "Sasaran Strategis", "uraian": FORMULA_LIKE, "_sumber": "x"},
            {"kode": "S2", "jenis": "Kinerja Lainnya", "uraian": "+62 tetap teks"},
        ],
        "indikator": [
            {
                "kode": "IK1",
                "sasaran_kode": "S1",
                "uraian": "Indeks Kepuasan Masyarakat",
                "satuan": "Indeks",
                "polaritas": "Positif",
                "target": "60 – 70",
                "realisasi": "84,5 (A)",
                "realisasi_lalu_1": "-",
                "capaian_dilaporkan": "98,71 %",
            }
        ],
        "anggaran": [
            {
                "kode": "7.01.01",
                "tingkat": "Program",
                "uraian": "Program A",
                "pagu": "3,399,334,813",
                "realisasi": "22,671,547.00",
                "persen_dilaporkan": "(6,36 %)",
                "sumber_dana": "APBD",
            },
            {
                "kode": "7.01.01.2.01",
                "tingkat": "Kegiatan",
                "uraian": "Kegiatan A",
                "target": "400 Dokumen",
                "realisasi_kinerja": "1.100 pelayanan",
                "pagu": "Rp. 3.961.741.788",
                "realisasi": "4.349.483.103,-",
                "sumber_dana": "APBD",
                "bukan_kolom": "dibuang",
            },
        ],
        "penduduk": [
            {"tahun": 2023, "laki_laki": "43.210", "perempuan": "42.000", "rasio_dilaporkan": "102,88"}
        ],
    },
    "extra": {"kutipan": []},
    "notes": ["a test"],
}


def _written(data: dict) -> tuple[dict, dict]:
    """Expected cell contents: single cells and table rows, as build.py should write them."""
    cells = {
        field: value
        for field, value in data["cells"].items()
        if not field.startswith("_") and value is not None
    }
    cells["renstra_awal"] = 2021
    rows = {
        table: [
            {
                k: v
                for k, v in row.items()
                if not k.startswith("_")
                and k in {c["field"] for c in TABLES[table]["columns"]}
                and v is not None
            }
            for row in table_rows
        ]
        for table, table_rows in data["tables"].items()
    }
    return cells, rows


@pytest.fixture()
def sample(tmp_path):
    data_path = tmp_path / "uji.json"
    data_path.write_text(json.dumps(DATA, ensure_ascii=False), "utf-8")
    out = tmp_path / "out" / "uji.xlsx"
    out.parent.mkdir()
    warnings: list[str] = []
    built = build.build_sample(data_path, out, warn=warnings.append)
    return built, out, warnings


def _column(table: str, field: str) -> str:
    return next(c["column"] for c in TABLES[table]["columns"] if c["field"] == field)


def test_values_sit_at_the_schema_cells(sample):
    _, out, _ = sample
    workbook = load_workbook(out)
    cells, rows = _written(DATA)
    for field, value in cells.items():
        spec = CELLS[field]
        assert workbook[spec["sheet"]][spec["cell"]].value == value, field
    assert workbook[CELLS["kepala_jabatan"]["sheet"]][CELLS["kepala_jabatan"]["cell"]].value is None
    for table, table_rows in rows.items():
        spec = TABLES[table]
        sheet = workbook[spec["sheet"]]
        for index, row in enumerate(table_rows):
            for field, value in row.items():
                cell = sheet[f"{_column(table, field)}{spec['first_data_row'] + index}"]
                assert cell.value == value, (table, index, field)
    # printed styles stay text; years and JSON numbers are numbers
    assert isinstance(workbook["Identitas"][CELLS["tahun"]["cell"]].value, int)
    amount = workbook["Anggaran"][f"{_column('anggaran', 'pagu')}{TABLES['anggaran']['first_data_row']}"]
    assert amount.value == "3,399,334,813" and amount.data_type == "s"


def test_formula_like_text_stays_text(sample):
    _, out, _ = sample
    workbook = load_workbook(out)
    spec = TABLES["sasaran"]
    cell = workbook[spec["sheet"]][f"{_column('sasaran', 'uraian')}{spec['first_data_row']}"]
    assert cell.value == FORMULA_LIKE
    assert cell.data_type == "s"
    sheet_xml = f"xl/worksheets/sheet{workbook.sheetnames.index(spec['sheet']) + 1}.xml"
    with zipfile.ZipFile(out) as archive:
        xml = archive.read(sheet_xml).decode("utf-8")
    assert "SUM(A1:A3) bukan rumus" in xml
    assert "<f>" not in xml and "<f " not in xml


def _validations(workbook) -> dict[str, set]:
    return {
        ws.title: {(str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation}
        for ws in workbook.worksheets
    }


def test_template_validations_and_protection_survive(sample, tmp_path):
    _, out, _ = sample
    blank = write_template(tmp_path / "blank.xlsx", load_rules("jombang"), TemplateOptions(), overwrite=True)
    before = load_workbook(blank)
    after = load_workbook(out)
    assert _validations(after) == _validations(before)
    tingkat = f"{_column('anggaran', 'tingkat')}{TABLES['anggaran']['first_data_row']}"
    assert any(
        dv.type == "list" and tingkat in dv.sqref for dv in after["Anggaran"].data_validations.dataValidation
    )
    for ws in before.worksheets:
        assert after[ws.title].protection.sheet == ws.protection.sheet
    pagu = f"{_column('anggaran', 'pagu')}{TABLES['anggaran']['first_data_row']}"
    assert after["Anggaran"][pagu].number_format == before["Anggaran"][pagu].number_format
    assert after["Anggaran"][pagu].protection.locked is False
    assert (
        after.properties.created.year == 2024 and after.properties.modified.date().isoformat() == "2024-01-01"
    )


def test_reader_gets_the_same_raw_values(sample):
    built, out, _ = sample
    submission = read_workbook(out)
    cells, rows = _written(DATA)
    for field, value in cells.items():
        assert submission.cells[field].raw == value, field
    for table, table_rows in rows.items():
        records = submission.tables[table].records
        assert len(records) == len(table_rows), table
        for record, row in zip(records, table_rows, strict=True):
            for field, value in row.items():
                assert record.entry(field).raw == (value if value != "" else None), (table, field)
    assert build.verify_sample(built).problems == []


def test_unknown_fields_are_reported_not_dropped_silently(sample):
    built, _, warnings = sample
    assert warnings == built.warnings
    assert len(warnings) == 1
    assert "uji.json" in warnings[0] and "anggaran" in warnings[0]
    assert "row 1" in warnings[0] and "bukan_kolom" in warnings[0]


def test_typed_as_numbers_and_rows_beyond_the_template(tmp_path):
    data = json.loads(json.dumps(DATA))
    data["typed_as"] = "numbers"
    extra_rows = TABLES["sasaran"]["rows"] + 2
    data["tables"]["sasaran"] = [
        {"kode": f"S{i}", "jenis": "Sasaran Strategis", "uraian": f"Sasaran {i}"}
        for i in range(1, extra_rows + 1)
    ]
    data_path = tmp_path / "angka.json"
    data_path.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "angka.xlsx"
    built = build.build_sample(data_path, out, warn=None)
    workbook = load_workbook(out)
    first = TABLES["anggaran"]["first_data_row"]
    anggaran = workbook["Anggaran"]
    assert anggaran[f"{_column('anggaran', 'pagu')}{first}"].value == 3399334813
    assert anggaran[f"{_column('anggaran', 'realisasi')}{first}"].value == 22671547
    assert anggaran[f"{_column('anggaran', 'persen_dilaporkan')}{first}"].value == pytest.approx(-6.36)
    # unit words, grades and ranges keep their text
    assert anggaran[f"{_column('anggaran', 'target')}{first + 1}"].value == "400 Dokumen"
    indikator = workbook["Indikator"]
    row = TABLES["indikator"]["first_data_row"]
    assert indikator[f"{_column('indikator', 'target')}{row}"].value == "60 – 70"
    assert indikator[f"{_column('indikator', 'realisasi')}{row}"].value == "84,5 (A)"
    assert indikator[f"{_column('indikator', 'capaian_dilaporkan')}{row}"].value == pytest.approx(98.71)
    assert workbook["Ringkasan"][CELLS["total_pagu_dilaporkan"]["cell"]].value == 2739149000
    # text columns are never converted
    assert workbook["Identitas"][CELLS["kepala_nip"]["cell"]].value == "19800501 200111 2 001"
    verified = build.verify_sample(built)
    assert verified.problems == []
    assert verified.records["sasaran"] == extra_rows


def test_rebuilding_gives_identical_bytes(tmp_path):
    data_path = tmp_path / "uji.json"
    data_path.write_text(json.dumps(DATA), "utf-8")
    first = build.build_sample(data_path, tmp_path / "a.xlsx", warn=None).out_path.read_bytes()
    second = build.build_sample(data_path, tmp_path / "b.xlsx", warn=None).out_path.read_bytes()
    assert first == second
