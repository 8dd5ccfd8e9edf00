"""Issue 17 classes 7 and 9: the cases the audit of "done when" item 1 found untested.

Class 9 (scales) on a real workbook: the IKM grades of Ngoro/Mojokerto 2021 (seed lines 384 and 405:
"84,5 Baik", "78 Baik", target "80 Sangat Baik") and the AKIP grade of Ngoro/Jombang 2024 (seed line
259: "nilai 80,15 dengan predikat A (Memuaskan)"; the 2022 value 75,56 of seed line 707 given the same
letter is the wrong one); the written template lists every built-in scale.

Class 7 (citations), the kinds whose wrong figure was not yet tested: an earlier year's target of an
indicator and the planned pagu of a budget line (``kode@tahun``), the count of indicators at target,
and what a citation that names nothing says. Figures and helpers from tests/test_kutipan_kinds.py
(Jombang 2024: IK1 target 81, realisasi 80,74 in 2023). Expected values are plain arithmetic.
"""

from __future__ import annotations

import openpyxl
import pytest
from check_helpers import IDENTITAS, tables
from helpers import is_indonesian
from test_free_table_checks import with_free_table
from test_freetables_report import IKM_ROWS
from test_issue17_free_tables_xlsx import errors, free_findings, stacked
from test_kutipan_kinds import ANGGARAN, INDIKATOR, KEGIATAN, SUB, cite

from sakip_xlsx.freetables import FREE_SHEET
from sakip_xlsx.grades import BUILTIN_SCALES
from sakip_xlsx.pipeline import check_file


# ---------------------------------------------------------------------------
# Class 9: scales
# ---------------------------------------------------------------------------
def test_ikm_grades_in_a_workbook(filled_template) -> None:
    rows, (start,) = stacked([["Tabel 3.2 IKM"], ["Tahun", "Nilai IKM"], ["Rumus", "skala:ikm"], *IKM_ROWS])
    found = free_findings(filled_template, rows)
    # PermenPANRB 14/2017: B (Baik) is 76,61 <= x < 88,31, so 84,5 and 78 are Baik and 80 is not Sangat Baik
    assert 76.61 <= 78 < 80 < 84.5 < 88.31
    cell = f"B{start + 5}"
    assert sorted(errors(found)) == [cell]
    assert (errors(found)[cell]["stated"], errors(found)[cell]["expected"]) == ("Sangat Baik", "B (Baik)")


def test_akip_grade_in_a_workbook(filled_template) -> None:
    rows = [["2024", "80,15 A (Memuaskan)"], ["2023", "80,74 A"], ["2022", "75,56 A (Memuaskan)"]]
    table, (start,) = stacked(
        [["Tabel Nilai Evaluasi AKIP"], ["Tahun", "Nilai"], ["Rumus", "skala:akip"], *rows]
    )
    found = free_findings(filled_template, table)
    # AKIP: A is 80 < x <= 90, BB is 70 < x <= 80
    assert 80 < 80.15 < 80.74 <= 90 and 70 < 75.56 <= 80
    cell = f"B{start + 5}"
    assert sorted(errors(found)) == [cell]
    assert errors(found)[cell]["expected"] == "BB (Sangat Baik)"
    assert is_indonesian(errors(found)[cell]["message"])


def test_written_template_lists_every_builtin_scale(blank_template) -> None:
    sheet = openpyxl.load_workbook(blank_template)[FREE_SHEET]
    text = "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None)
    for name, bands in BUILTIN_SCALES.items():
        assert f"skala:{name}" in text
        for band in bands:
            assert f"{band.label} {band.describe()}" in text
    assert "skala:predikat" in text  # the capaian predikat comes from the rules
    # classes 1, 3, 4: the forms a user copies from the sheet itself
    for form in (
        "Rp. 1.250.000.000,00",
        "Jumlah Seluruh Anggaran",
        "RATA-RATA TINGKAT KEMAJUAN",
        "total:rata",
    ):
        assert form in text
    assert "Rumus: kode" in text
    # class 7: the instructions the user reads (Petunjuk sheet) say which kode fits which besaran
    workbook = openpyxl.load_workbook(blank_template)
    words = "\n".join(
        str(cell.value)
        for name in workbook.sheetnames
        for row in workbook[name].iter_rows()
        for cell in row
        if isinstance(cell.value, str) and not cell.value.startswith("=")
    )
    for needle in ("IK1@2020", "kode+kode", "kode..kode", "Murni"):
        assert needle in words


# ---------------------------------------------------------------------------
# Class 7: citations
# ---------------------------------------------------------------------------
def test_earlier_year_target_fires_on_the_realisasi(filled_template) -> None:
    renstra = [{"kode": "IK1", "tahun": 2023, "target": "81"}]
    found = cite(
        filled_template,
        ("target", "IK1@2023", "81"),
        ("target", "IK1@2023", "80,74"),  # the 2023 realisasi printed as its target
        renstra=renstra,
    )
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", 80.74, 81)]


def test_planned_pagu_of_an_earlier_year(filled_template) -> None:
    # the kegiatan's six sub kegiatan as planned in the Renstra for 2023 and 2024 (realisasi 2024 of
    # Tabel 3.10 = pagu); 2023 planned at 71.636.200 (the figure Tabel 3.10 prints for 2024)
    total = sum(row["pagu"] for row in ANGGARAN[2:])
    renstra = [{"kode": KEGIATAN, "tahun": 2023, "pagu": "71.636.200"}]
    found = cite(
        filled_template,
        ("pagu", f"{KEGIATAN}@2023", "71.636.200"),
        ("pagu", f"{KEGIATAN}@2023", f"{total:,}".replace(",", ".")),  # this year's pagu cited for 2023
        renstra=renstra,
    )
    assert total == 74_101_968
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", total, 71_636_200)]


def test_count_at_target_fires(filled_template) -> None:
    # IK1 80,15 < 81 (below), IK2 8,54 > 8,22 (above): none exactly at target
    at_target = sum(
        float(r["realisasi"].replace(",", ".")) == float(r["target"].replace(",", ".")) for r in INDIKATOR
    )
    assert at_target == 0
    found = cite(filled_template, ("jumlah indikator sesuai target", None, "1"))
    assert [(f["severity"], f["stated"], f["expected"]) for f in found] == [("error", 1, at_target)]


@pytest.mark.parametrize(
    "kode",
    [
        "IK9@2023",  # no such indicator
        "IK1@2019",  # five years back: no figure of that year
        f"{SUB[0]}++{SUB[1]}",  # malformed sum
        f"{SUB[0]}..7.01.01",  # a range across levels
        f"{SUB[0]}+IK1",  # a budget line and an indicator
        "S9",  # no such sasaran
    ],
)
def test_a_citation_naming_nothing_says_where(filled_template, kode: str) -> None:
    found = cite(filled_template, ("realisasi", kode, "80,74"))
    assert len(found) == 1
    (item,) = found
    # a warning, never an error on a figure nobody can compute; it names sheet and cell and the kode
    assert (item["code"], item["severity"]) == ("unknown-reference", "warning")
    assert item["message"].startswith(f"Kutipan!{item['cell']}:") and kode in item["message"]
    assert is_indonesian(item["message"])


def test_free_table_and_citations_together_raise_no_traceback(filled_template) -> None:
    # a workbook with a bad scale name and a malformed citation: findings, never an exception
    path = with_free_table(
        filled_template(cells=IDENTITAS, tables=tables()),
        [["Tabel IKM"], ["Tahun", "IKM"], ["Rumus", "skala:permenpan2004"], ["2021", "80 Baik"]],
    )
    found = [f for f in check_file(path).findings if f.sheet == FREE_SHEET]
    assert [f.code for f in found] == ["unreadable-value"] and "[[skala.NAMA]]" in found[0].message
    assert found[0].message.startswith(f"{FREE_SHEET}!")
