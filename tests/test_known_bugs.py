"""Fixed bugs kept as tests (written first as strict xfail tests)."""

from __future__ import annotations

from typing import Any

import openpyxl
import pytest
from check_helpers import (
    DOKUMEN,
    IDENTITAS,
    analyse,
    approx,
    capaian_findings,
    indikator,
    renstra_targets,
    tables,
)
from helpers import cell_of, table_schema

from sakip_xlsx.checks import run_checks
from sakip_xlsx.reader import read_workbook


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"realisasi": "sembilan puluh"}, "unreadable-value"),
        ({"realisasi": "21,746"}, "ambiguous-value"),
        ({"uraian": None}, "required-missing"),
        ({"polaritas": "Naik"}, "value-not-in-list"),
        ({"realisasi": "=90+8.32"}, "formula-without-value"),
    ],
    ids=[
        "unreadable-value",
        "ambiguous-value",
        "required-missing",
        "value-not-in-list",
        "formula-without-value",
    ],
)
def test_input_finding_names_the_row(filled_template, changes: dict[str, Any], code: str) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables([indikator(**changes)]))
    (item,) = [item for item in read_workbook(path).findings if item.code == code]
    assert item.row_key == "IK1"


def test_row_key_of_pk_and_penduduk_rows(filled_template) -> None:
    path = filled_template(
        cells=IDENTITAS,
        tables=tables(
            pk_anggaran=[
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "1.100.000",
                    "versi": "Murni",
                }
            ],
            penduduk=[
                {"tahun": 2024, "laki_laki": "10.250", "perempuan": "10.000", "total_dilaporkan": "20.520"}
            ],
        ),
    )
    found = run_checks(*analyse(path), only=["pk-vs-dpa", "penduduk"])
    assert {item.code: item.row_key for item in found} == {
        "pk-budget-mismatch": "7.01.01",
        "sum-mismatch": "2024",
    }


def test_deleted_sasaran_sheet_is_reported_as_sasaran(filled_template) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables())
    workbook = openpyxl.load_workbook(path)
    del workbook[table_schema("sasaran")["sheet"]]
    workbook.save(path)
    submission = read_workbook(path)
    missing = [(item.code, item.sheet) for item in submission.findings if item.code.startswith("missing-")]
    assert missing == [("missing-sheet", table_schema("sasaran")["sheet"])]
    assert len(submission.records("indikator")) == 1


def test_satuan_mismatch_names_the_odd_unit(filled_template) -> None:
    path = filled_template(
        cells=IDENTITAS,
        tables=tables([indikator(satuan="Dokumen", target="12 Dokumen", realisasi="12 Laporan")]),
    )
    (item,) = read_workbook(path).findings
    assert (item.cell, item.field, item.stated, item.expected) == (
        cell_of("indikator", "realisasi")[1],
        "realisasi",
        "Laporan",
        "Dokumen",
    )


def test_capaian_that_cannot_be_computed_is_reported(filled_template) -> None:
    path = filled_template(
        cells=IDENTITAS, tables=tables([indikator(target="0", realisasi="5", capaian_dilaporkan="100")])
    )
    found = run_checks(*analyse(path))
    assert [(item.code, item.cell) for item in found] == [
        ("no-value", cell_of("indikator", "capaian_dilaporkan")[1])
    ]


def test_truncated_percent_stored_as_fraction_is_rounding(filled_template) -> None:
    (item,) = capaian_findings(filled_template, "98,3199", 0.9831)
    assert (item.code, item.severity) == ("rounding", "info")


def test_wrong_percent_stored_as_fraction_reports_the_percent(filled_template) -> None:
    (item,) = capaian_findings(filled_template, "98,32", 0.9632)
    assert item.stated == approx(96.32) and item.difference == approx(96.32 - 98.32)
    assert "96,32" in item.message


def test_rounding_up_is_not_called_truncation(filled_template) -> None:
    (item,) = capaian_findings(filled_template, "98,3201", "98,33")
    assert item.code == "rounding"
    assert "dipotong" not in item.message and "dipotong" not in (item.hint or "")


def test_uncapped_rata_capaian_gets_the_cap_hint(filled_template) -> None:
    rows = [indikator(target="80", realisasi="88"), indikator(kode="IK2", target="100", realisasi="90")]
    # uncapped mean (110 + 90) / 2 = 100; capped mean (100 + 90) / 2 = 95
    path = filled_template(cells={**IDENTITAS, "rata_capaian_dilaporkan": "100,00"}, tables=tables(rows))
    (item,) = run_checks(*analyse(path, "mojokerto"), only=["ringkasan-totals"])
    assert item.expected == approx((100 + 90) / 2)
    assert item.hint and "batas" in item.hint.lower()


def test_implausible_capaian_is_reported_under_a_cap(filled_template) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables([indikator(target="40", realisasi="98")]))
    found = run_checks(*analyse(path, "mojokerto"), only=["capaian-plausible"])
    assert [item.code for item in found] == ["capaian-implausible"]


def test_negative_capaian_is_reported_under_the_default_floor(filled_template) -> None:
    path = filled_template(cells=IDENTITAS, tables=tables([indikator(target="10", realisasi="-5")]))
    found = run_checks(*analyse(path), only=["capaian-plausible"])
    assert [item.code for item in found] == ["capaian-implausible"]


@pytest.mark.parametrize(
    ("rules", "realisasi", "stated"),
    [
        ("default", "98,32", "Tinggi"),
        ("rembang", "85", "Cukup Baik"),
        ("rembang", "85", "Amat Baik"),
        ("jombang", "15", "Kurang"),  # band 'Sangat Kurang'
    ],
    ids=["tinggi-for-sangat-tinggi", "cukup-baik-for-baik", "amat-baik-for-baik", "kurang-for-sangat-kurang"],
)
def test_grade_of_another_band_is_a_mismatch(
    filled_template, rules: str, realisasi: str, stated: str
) -> None:
    path = filled_template(
        cells=IDENTITAS, tables=tables([indikator(realisasi=realisasi, predikat_dilaporkan=stated)])
    )
    found = run_checks(*analyse(path, rules), only=["labels"])
    assert [item.code for item in found] == ["label-mismatch"]


def test_whole_number_one_off_is_not_rounding(filled_template) -> None:
    path = filled_template(
        cells=IDENTITAS, tables=tables([indikator(**DOKUMEN)], renstra=renstra_targets({"target": "11"}))
    )
    found = run_checks(*analyse(path), only=["renstra"])
    assert [item.code for item in found if item.field == "target"] == ["renstra-mismatch"]
