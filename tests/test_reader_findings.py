"""Input findings of the reader: each fires, each stays quiet on good input."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from check_helpers import (
    IDENTITAS,
    UNASSERTED,
    assert_message,
    indikator,
    is_indonesian,
    kegiatan,
    program,
    tables,
    where,
)
from helpers import cell_of, column_of, table_schema

from sakip_xlsx.findings import KINDS
from sakip_xlsx.reader import read_workbook


@dataclass(frozen=True)
class InputCase:
    id: str
    code: str
    severity: str
    tables: dict[str, Any]
    at: tuple | None  # (table, field, index), ("cell", field) or None
    field_id: str | None
    row_key: Any = UNASSERTED
    stated: Any = None
    expected: Any = None
    cells: dict[str, Any] = field(default_factory=dict)


INPUT_CASES = [
    InputCase(
        "unreadable-value",
        "unreadable-value",
        "error",
        tables([indikator(realisasi="sembilan puluh")]),
        ("indikator", "realisasi", 0),
        "realisasi",
        stated="sembilan puluh",
        expected=str,
    ),
    InputCase(
        "ambiguous-value",
        "ambiguous-value",
        "info",
        tables([indikator(realisasi="21,746")]),
        ("indikator", "realisasi", 0),
        "realisasi",
        stated="21,746",
        expected=21.746,
    ),
    InputCase(
        "required-missing",
        "required-missing",
        "error",
        tables([indikator(uraian=None)]),
        ("indikator", "uraian", 0),
        "uraian",
    ),
    InputCase(
        "required-missing/identitas",
        "required-missing",
        "error",
        tables(),
        ("cell", "tahun"),
        "tahun",
        row_key=None,
        cells={"tahun": None},
    ),
    InputCase(
        "value-not-in-list",
        "value-not-in-list",
        "error",
        tables([indikator(polaritas="Naik")]),
        ("indikator", "polaritas", 0),
        "polaritas",
        stated="Naik",
        expected=["Positif", "Negatif"],
    ),
    InputCase(
        "duplicate-kode",
        "duplicate-kode",
        "error",
        tables([indikator(), indikator(uraian="Lain")]),
        ("indikator", "kode", 1),
        "kode",
        row_key="IK1",
        stated="IK1",
    ),
    InputCase(
        "unknown-reference",
        "unknown-reference",
        "error",
        tables([indikator(sasaran_kode="S9")]),
        ("indikator", "sasaran_kode", 0),
        "sasaran_kode",
        row_key="IK1",
        stated="S9",
        expected=["S1"],
    ),
    InputCase(
        "orphan-budget-line",
        "orphan-budget-line",
        "error",
        tables(anggaran=[kegiatan("7.01.01.2.01", pagu="1.000", realisasi="900")]),
        ("anggaran", "tingkat", 0),
        "tingkat",
        row_key="7.01.01.2.01",
    ),
    InputCase(
        "satuan-mismatch",
        "satuan-mismatch",
        "warning",
        tables([indikator(satuan="Dokumen", target="12 Dokumen", realisasi="12 Laporan")]),
        ("indikator", "realisasi", 0),
        "realisasi",
        row_key="IK1",
    ),
    InputCase(
        "negative-amount",
        "negative-amount",
        "error",
        tables(anggaran=[program(pagu="-1.000.000", realisasi="0")]),
        ("anggaran", "pagu", 0),
        "pagu",
        row_key="7.01.01",
        stated=-1_000_000,
    ),
    InputCase("empty-table", "empty-table", "warning", tables(anggaran=[]), None, None, row_key=None),
    InputCase(
        "formula-without-value",
        "formula-without-value",
        "warning",
        tables([indikator(realisasi="=90+8.32")]),
        ("indikator", "realisasi", 0),
        "realisasi",
    ),
]


@pytest.mark.parametrize("case", INPUT_CASES, ids=[case.id for case in INPUT_CASES])
def test_input_finding_fires(case: InputCase, filled_template) -> None:
    path = filled_template(cells={**IDENTITAS, **case.cells}, tables=case.tables)
    submission = read_workbook(path)
    matching = [item for item in submission.findings if item.code == case.code]
    assert len(matching) == 1, [item.to_dict() for item in submission.findings]
    item = matching[0]
    assert item.severity == case.severity
    if case.at is not None:
        assert (item.sheet, item.cell) == where(case.at)
        assert item.field == case.field_id
    else:
        assert item.sheet == table_schema("anggaran")["sheet"] and item.table == "anggaran"
    if case.row_key != UNASSERTED:  # row_key of a cell's own finding: see test_known_bugs.py
        assert item.row_key == case.row_key
    if case.stated is not None:
        assert item.stated == case.stated
    if case.expected is str:
        assert isinstance(item.expected, str) and item.expected
    elif case.expected is not None:
        assert item.expected == case.expected
    assert_message(item)
    others = [other.to_dict() for other in submission.findings if other is not item]
    assert others == []


def test_every_reader_code_has_a_firing_test() -> None:
    """Every finding code written in reader.py has a case above (missing-*, macro: dedicated tests)."""
    import sakip_xlsx.reader as reader

    source = Path(reader.__file__).read_text("utf-8")
    emitted = {code for code in KINDS if f'"{code}"' in source}
    covered = {case.code for case in INPUT_CASES} | {"missing-column", "missing-sheet", "macro-workbook"}
    covered |= {"outside-area", "duplicate-sheet"}  # tests/test_hostile.py
    assert emitted - covered == set()


def test_duplicate_kode_lists_both_cells(filled_template) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables([indikator(), indikator(uraian="Lain")]))
    (item,) = read_workbook(path).findings
    assert item.cells == (cell_of("indikator", "kode", 0)[1], cell_of("indikator", "kode", 1)[1])


def test_satuan_mismatch_names_both_cells(filled_template) -> None:
    path = filled_template(
        cells=IDENTITAS,
        tables=tables([indikator(satuan="Dokumen", target="12 Dokumen", realisasi="12 Laporan")]),
    )
    (item,) = read_workbook(path).findings
    target, realisasi = cell_of("indikator", "target")[1], cell_of("indikator", "realisasi")[1]
    assert set(item.cells) == {target, realisasi}
    assert target in item.message and realisasi in item.message and "Laporan" in item.message


def test_missing_column(filled_template, tmp_path: Path) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables())
    workbook = openpyxl.load_workbook(path)
    sheet = table_schema("indikator")["sheet"]
    workbook[sheet].delete_cols(openpyxl.utils.column_index_from_string(column_of("indikator", "realisasi")))
    workbook.save(path)
    findings = read_workbook(path).findings
    matching = [item for item in findings if item.code == "missing-column"]
    assert len(matching) == 1, [item.to_dict() for item in findings]
    item = matching[0]
    assert (item.severity, item.sheet, item.table, item.field, item.cell) == (
        "error",
        sheet,
        "indikator",
        "realisasi",
        None,
    )
    assert is_indonesian(item.message) and sheet in item.message and "Realisasi" in item.message


def test_missing_sheet(filled_template) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables())
    workbook = openpyxl.load_workbook(path)
    sheet = table_schema("anggaran")["sheet"]
    del workbook[sheet]
    workbook.save(path)
    findings = read_workbook(path).findings
    matching = [item for item in findings if item.code == "missing-sheet"]
    assert len(matching) == 1, [item.to_dict() for item in findings]
    item = matching[0]
    assert (item.severity, item.sheet, item.table, item.cell) == ("error", sheet, "anggaran", None)
    assert is_indonesian(item.message) and sheet in item.message


def test_macro_workbook(filled_template, tmp_path: Path) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables())
    target = tmp_path / "isian-makro.xlsm"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info, source.read(info.filename))
        out.writestr("xl/vbaProject.bin", bytes(512))
    findings = read_workbook(target).findings
    (item,) = [item for item in findings if item.code == "macro-workbook"]
    assert item.severity == "warning" and item.sheet is None and item.cell is None
    assert is_indonesian(item.message) and "makro" in item.message.lower()
    assert [other.code for other in findings if other is not item] == []


@pytest.mark.parametrize(
    ("changes", "note"),
    [
        ({"realisasi": "98,32"}, "decimal comma"),
        ({"realisasi": "98.32"}, "decimal point"),
        ({"realisasi": 98.32}, "number cell"),
        ({"satuan": "Dokumen", "target": "12 Dokumen", "realisasi": "12 dokumen"}, "same unit, other case"),
        ({"satuan": "Orang", "target": "250 orang", "realisasi": "245 Orang"}, "number with unit"),
        (
            {"polaritas": "negatif", "satuan": "Kali", "target": "10", "realisasi": "8"},
            "list value, lower case",
        ),
        ({"target": "60 – 70", "satuan": "Nilai", "realisasi": "65"}, "range target"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_input_quiet_on_good_values(filled_template, changes: dict[str, Any], note: str) -> None:
    budget = [
        program(pagu="Rp 3.961.741.788", realisasi="Rp 3.779.143.773,00"),
        kegiatan("7.01.01.2.01", pagu="3,961,741,788", realisasi="3.779.143.773,-"),
    ]
    path = filled_template(cells=IDENTITAS, tables=tables([indikator(**changes)], anggaran=budget))
    assert [item.to_dict() for item in read_workbook(path).findings] == []
