"""Tests for the template contract: ``sakip-xlsx schema --format json`` (SPEC sections 3 and 8)."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from click.testing import CliRunner

from sakip_xlsx.cells import column_letter
from sakip_xlsx.cli import main
from sakip_xlsx.description import TEMPLATE, TEMPLATE_VERSION
from sakip_xlsx.schema import template_schema

#: SPEC section 3: the single-cell field ids (identity, then ringkasan).
CELL_FIELDS = (
    "pemda",
    "instansi",
    "tahun",
    "renstra_awal",
    "renstra_akhir",
    "kepala_nama",
    "kepala_nip",
    "kepala_jabatan",
    "total_pagu_dilaporkan",
    "total_realisasi_dilaporkan",
    "persen_serapan_dilaporkan",
    "sisa_anggaran_dilaporkan",
    "rata_capaian_dilaporkan",
    "total_pk_dilaporkan",
)

#: SPEC section 3: the tables and their field ids (the contract).
TABLE_FIELDS = {
    "sasaran": ("kode", "jenis", "uraian"),
    "indikator": (
        "kode",
        "sasaran_kode",
        "uraian",
        "satuan",
        "polaritas",
        "target",
        "target_atas",
        "realisasi",
        "target_renstra_akhir",
        "kumulatif",
        "realisasi_lalu_1",
        "realisasi_lalu_2",
        "realisasi_lalu_3",
        "pembanding_kabupaten",
        "pembanding_provinsi",
        "pembanding_nasional",
        "kebutuhan_sdm",
        "ketersediaan_sdm",
        "capaian_dilaporkan",
        "kemajuan_dilaporkan",
        "efisiensi_dilaporkan",
    ),
    "anggaran": (
        "kode",
        "tingkat",
        "uraian",
        "indikator_kode",
        "indikator_keluaran",
        "satuan",
        "target",
        "realisasi_kinerja",
        "pagu",
        "realisasi",
        "sumber_dana",
        "selisih_dilaporkan",
        "persen_dilaporkan",
        "capaian_dilaporkan",
    ),
    "pk_anggaran": ("program_kode", "uraian", "anggaran", "versi", "keterangan"),
    "penduduk": ("tahun", "laki_laki", "perempuan", "total_dilaporkan", "rasio_dilaporkan"),
}

#: SPEC section 3: closed lists and the values they must offer.
LIST_VALUES = {
    ("sasaran", "jenis"): {"Sasaran Strategis", "Kinerja Lainnya"},
    ("indikator", "polaritas"): {"Positif", "Negatif"},
    ("indikator", "kumulatif"): {"Ya", "Tidak"},
    ("anggaran", "tingkat"): {"Program", "Kegiatan", "Sub Kegiatan"},
    ("anggaran", "sumber_dana"): {"APBD", "APBD-P", "DAK"},
    ("pk_anggaran", "versi"): {"Murni", "Perubahan"},
}

#: SPEC section 3: lists drawn from another table's kode column.
REFERENCES = {
    ("indikator", "sasaran_kode"): "sasaran",
    ("anggaran", "indikator_kode"): "indikator",
    ("pk_anggaran", "program_kode"): "anggaran",
}


@pytest.fixture(scope="module")
def printed() -> dict:
    result = CliRunner().invoke(main, ["schema", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def by_id(printed: dict) -> dict[str, dict]:
    return {table["id"]: table for table in printed["tables"]}


def test_schema_prints_json_with_contract_keys(printed):
    assert printed["template_version"] == TEMPLATE_VERSION
    assert isinstance(printed["cells"], list) and printed["cells"]
    for cell in printed["cells"]:
        assert {"field", "sheet", "cell"} <= cell.keys()
        assert isinstance(cell["sheet"], str) and cell["sheet"]
        assert re.fullmatch(r"[A-Z]{1,3}[1-9][0-9]*", cell["cell"]), cell
    assert isinstance(printed["tables"], list) and printed["tables"]
    for table in printed["tables"]:
        assert {"id", "sheet", "header_row", "first_data_row", "columns"} <= table.keys()
        assert isinstance(table["header_row"], int) and isinstance(table["first_data_row"], int)
        assert table["first_data_row"] > table["header_row"] >= 1
        for column in table["columns"]:
            assert {"field", "header", "column", "type", "list"} <= column.keys()
            assert re.fullmatch(r"[A-Z]{1,3}", column["column"]), column
            assert isinstance(column["header"], str) and column["header"].strip()


def test_schema_default_format_is_json():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["template_version"] == TEMPLATE_VERSION


def test_schema_rejects_unknown_format():
    result = CliRunner().invoke(main, ["schema", "--format", "yaml"])
    assert result.exit_code == 2


def test_every_spec_cell_field_is_present(printed):
    fields = [cell["field"] for cell in printed["cells"]]
    assert set(CELL_FIELDS) <= set(fields)
    assert len(fields) == len(set(fields)), "a single-cell field id appears twice"


@pytest.mark.parametrize("table_id", TABLE_FIELDS)
def test_every_spec_table_field_is_present(printed, table_id):
    tables = by_id(printed)
    assert table_id in tables
    fields = [column["field"] for column in tables[table_id]["columns"]]
    missing = [field for field in TABLE_FIELDS[table_id] if field not in fields]
    assert missing == []
    assert len(fields) == len(set(fields)), "a field id appears twice in one table"


def test_cells_do_not_collide(printed):
    places = [(cell["sheet"], cell["cell"]) for cell in printed["cells"]]
    assert len(places) == len(set(places))
    table_sheets = {table["sheet"] for table in printed["tables"]}
    assert not table_sheets & {cell["sheet"] for cell in printed["cells"]}


@pytest.mark.parametrize(("where", "values"), LIST_VALUES.items(), ids=[f"{t}.{f}" for t, f in LIST_VALUES])
def test_closed_lists_offer_spec_values(printed, where, values):
    table_id, field_id = where
    column = next(c for c in by_id(printed)[table_id]["columns"] if c["field"] == field_id)
    assert isinstance(column["list"], list)
    assert values <= set(column["list"])


@pytest.mark.parametrize(("where", "target"), REFERENCES.items(), ids=[f"{t}.{f}" for t, f in REFERENCES])
def test_reference_lists_name_their_table(printed, where, target):
    table_id, field_id = where
    tables = by_id(printed)
    column = next(c for c in tables[table_id]["columns"] if c["field"] == field_id)
    assert column["list"]["table"] == target
    assert column["list"]["field"] == "kode"
    assert column["list"]["sheet"] == tables[target]["sheet"]


def test_satuan_list_is_offered(printed):
    column = next(c for c in by_id(printed)["indikator"]["columns"] if c["field"] == "satuan")
    assert {"%", "Indeks", "Dokumen", "Laporan", "Desa"} <= set(column["list"])


def test_schema_equals_template_schema(printed):
    assert printed == json.loads(json.dumps(template_schema()))


def test_columns_follow_description_order(printed):
    tables = by_id(printed)
    for table in TEMPLATE.tables:
        columns = tables[table.id]["columns"]
        assert [c["field"] for c in columns] == [c.field for c in table.columns]
        assert [c["column"] for c in columns] == [column_letter(i) for i in range(len(table.columns))]
        assert [c["header"] for c in columns] == [c.header for c in table.columns]
        assert tables[table.id]["sheet"] == table.sheet
        assert tables[table.id]["header_row"] == table.header_row
        assert tables[table.id]["first_data_row"] == table.first_data_row
    cells = {cell["field"]: cell for cell in printed["cells"]}
    for sheet in TEMPLATE.cell_sheets:
        for cell_field in sheet.fields:
            assert cells[cell_field.field]["sheet"] == sheet.sheet
            assert cells[cell_field.field]["cell"] == sheet.cell(cell_field.field)


def test_schema_is_generated_from_the_description():
    """A changed description (columns reversed, a sheet renamed) changes the schema accordingly."""
    indikator = TEMPLATE.table["indikator"]
    reversed_columns = tuple(reversed(indikator.columns))
    changed_table = dataclasses.replace(indikator, columns=reversed_columns, sheet="IKU")
    description = dataclasses.replace(
        TEMPLATE,
        tables=tuple(changed_table if t.id == "indikator" else t for t in TEMPLATE.tables),
        version="9.9",
    )
    schema = template_schema(description)
    assert schema["template_version"] == "9.9"
    table = next(t for t in schema["tables"] if t["id"] == "indikator")
    assert table["sheet"] == "IKU"
    assert [c["field"] for c in table["columns"]] == [c.field for c in reversed_columns]
    assert table["columns"][0]["column"] == "A"
    assert table["columns"][0]["field"] == indikator.columns[-1].field
    assert table["columns"][-1]["field"] == "kode"
    assert table["columns"][-1]["column"] == column_letter(len(reversed_columns) - 1)
