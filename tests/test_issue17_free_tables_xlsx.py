"""Issue 17 classes 1-4 and 8 in the Tabel Bebas sheet of a real workbook (audit of "done when" item 1).

tests/test_freetables_report.py tests these classes on grids handed to the parser; here the same
seed tables are pasted into the Tabel Bebas sheet of a filled template and checked through
``check_file`` (and once through the CLI), so the workbook reader, the sheet layout and the
messages are part of what is tested. Each table is checked both ways: the wrong figure printed in
the seed (or one taken from another table of the same seed) fires, the right figures are quiet.
Expected values are plain arithmetic on the printed figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from check_helpers import IDENTITAS, tables
from test_free_table_checks import with_free_table
from test_freetables_report import (
    ADM_UMUM,
    ALOKASI,
    CAPAIAN,
    KEMAJUAN_ROWS,
    MOJOKERTO_PAGU,
    MOJOKERTO_REALISASI,
    MOJOKERTO_ROWS,
    PK_MURNI,
    PK_MURNI_ROWS,
    REALISASI,
    efisiensi_grid,
)

from sakip_xlsx.freetables import FIRST_TABLE_ROW, FREE_SHEET
from sakip_xlsx.pipeline import check_file

Rows = list[list[Any]]


def stacked(*tables_: Rows) -> tuple[Rows, list[int]]:
    """The tables one under the other with a blank row between; the sheet row of each title."""
    rows: Rows = []
    starts = []
    for table in tables_:
        starts.append(FIRST_TABLE_ROW + len(rows))
        rows += [*table, []]
    return rows, starts


def free_findings(filled_template, rows: Rows) -> list[dict]:
    path = with_free_table(filled_template(cells=IDENTITAS, tables=tables()), rows)
    return [f.to_dict() for f in check_file(path).findings if f.sheet == FREE_SHEET]


def errors(found: list[dict]) -> dict[str, dict]:
    return {f["cell"]: f for f in found if f["severity"] == "error"}


def rp(value: int) -> str:
    return f"Rp. {value:,}".replace(",", ".") + ",00"


# ---------------------------------------------------------------------------
# Class 1: rupiah text. Ngoro/Mojokerto 2021, "Perbandingan jumlah anggaran dan penyerapan anggaran"
# (seed lines 482-487) with the narrative's total (line 547: "Rp. 4.242.421.788,00 ... Rp.
# 3.441.896.392,00 atau 81.13 %"). Class 3: the total row under the names reports print.
# ---------------------------------------------------------------------------
MOJOKERTO_HEADER = ["NO", "PROGRAM", "JUMLAH ANGGARAN", "REALISASI PENYERAPAN ANGGARAN", "%"]


def mojokerto_table(label: str, pagu_total: int, rule: bool = True) -> Rows:
    serapan = f"{sum(MOJOKERTO_REALISASI) / sum(MOJOKERTO_PAGU) * 100:.2f} %"
    total = ["", label, rp(pagu_total), rp(sum(MOJOKERTO_REALISASI)), serapan]
    rule_row = [["Rumus", "", "", "", "=D/C*100"]] if rule else []
    return [["Tabel 3.9 Perbandingan Anggaran 2021"], MOJOKERTO_HEADER, *rule_row, *MOJOKERTO_ROWS, total]


def test_rupiah_free_table_in_a_workbook(filled_template) -> None:
    rows, (start,) = stacked(mojokerto_table("JUMLAH", sum(MOJOKERTO_PAGU)))
    assert sum(MOJOKERTO_PAGU) == 4_242_421_788 and sum(MOJOKERTO_REALISASI) == 3_441_896_392
    found = free_findings(filled_template, rows)
    first = start + 3  # title, header, rule row
    # the three wrong percentages of the seed (mojokerto errors.md): 95,47, 97,09, 99,63
    wrong = {f"E{first + i}": MOJOKERTO_REALISASI[i] / MOJOKERTO_PAGU[i] * 100 for i in (0, 2, 4)}
    assert sorted(errors(found)) == sorted(wrong)
    for cell, expected in wrong.items():
        assert errors(found)[cell]["expected"] == pytest.approx(expected, abs=1e-6)
    # 99,97 for 22.671.547 / 22.680.000 × 100 = 99,9627: one unit of the last digit, info
    assert {f["cell"]: f["code"] for f in found if f["severity"] == "info"} == {f"E{first + 1}": "rounding"}
    # the rupiah totals and the pooled 81,13 % are right; no rupiah cell is unreadable
    assert not [f for f in found if f["code"] in ("unreadable-value", "no-value")]


@pytest.mark.parametrize(
    "label", ["Jumlah Seluruh Anggaran", "JUMLAH KESELURUHAN", "Total Keseluruhan", "JUMLAH"]
)
def test_renamed_total_row_of_rupiah_fires_and_stays_quiet(filled_template, label: str) -> None:
    # the same table twice: with its right total, and with the PK Murni total 4.072.143.773 (seed line
    # 340) written under the perubahan amounts
    murni = sum(PK_MURNI)
    assert murni == 4_072_143_773
    rows, (right, wrong) = stacked(
        mojokerto_table(label, sum(MOJOKERTO_PAGU), rule=False), mojokerto_table(label, murni, rule=False)
    )
    found = free_findings(filled_template, rows)
    total_cell = f"C{wrong + 2 + len(MOJOKERTO_ROWS)}"
    assert sorted(c for c in errors(found) if c.startswith("C")) == [total_cell]
    item = errors(found)[total_cell]
    assert (item["code"], item["stated"], item["expected"]) == ("sum-mismatch", murni, sum(MOJOKERTO_PAGU))
    assert not [f for f in found if f["cell"] == f"C{right + 2 + len(MOJOKERTO_ROWS)}"]


# ---------------------------------------------------------------------------
# Class 2: label columns. Mojokerto PK Murni per program (seed lines 335-340) as pasted from the PDF,
# number and name in one cell; "APBD" in a words-only column.
# ---------------------------------------------------------------------------
def pk_table(total: int) -> Rows:
    return [
        ["Tabel 2.1 PK Murni"],
        ["Program", "Anggaran", "Sumber"],
        *PK_MURNI_ROWS,
        ["JUMLAH", f"Rp. {total:,}".replace(",", "."), "APBD"],
    ]


def test_numbered_labels_in_a_workbook(filled_template) -> None:
    perubahan = sum(MOJOKERTO_PAGU)  # the perubahan total 4.242.421.788 under the murni table
    rows, (right, wrong) = stacked(pk_table(sum(PK_MURNI)), pk_table(perubahan))
    found = free_findings(filled_template, rows)
    total_row = wrong + 2 + len(PK_MURNI_ROWS)
    assert sorted(errors(found)) == [f"B{total_row}"]
    assert errors(found)[f"B{total_row}"]["expected"] == sum(PK_MURNI)
    # neither the numbered labels nor "APBD" are figures: nothing at all in columns A and C
    assert [f for f in found if f["cell"][0] in "AC"] == []
    assert [f for f in found if f["cell"].startswith("B") and int(f["cell"][1:]) < wrong] == []


# ---------------------------------------------------------------------------
# Class 3: renamed mean rows. Ngoro/Jombang 2024 Tabel 3.7 (seed lines 790-804): "RATA-RATA TINGKAT
# KEMAJUAN" 101,24 for the mean of its 7 rows, 101,50. Tabel 3.15 (seed lines 1124-1138, 1057):
# "Rata-Rata Capaian Kinerja dan Anggaran" 99,67 (mean capaian) and 95,86 (pooled serapan).
# ---------------------------------------------------------------------------
KEMAJUAN_HEADER = ["Program", "Indikator", "Target Akhir", "Realisasi", "Tingkat Kemajuan"]


@pytest.mark.parametrize("label", ["RATA-RATA TINGKAT KEMAJUAN", "Rata-rata Capaian"])
def test_renamed_mean_row_in_a_workbook(filled_template, label: str) -> None:
    mean = (6 * 100 + 110.5) / 7
    printed = "101,24%"
    right = f"{mean:.2f}".replace(".", ",") + "%"
    rows, (first, second) = stacked(
        [["Tabel 3.7"], KEMAJUAN_HEADER, *KEMAJUAN_ROWS, [label, "", "", "", printed]],
        [["Tabel 3.7 (dibetulkan)"], KEMAJUAN_HEADER, *KEMAJUAN_ROWS, [label, "", "", "", right]],
    )
    found = free_findings(filled_template, rows)
    cell = f"E{first + 2 + len(KEMAJUAN_ROWS)}"
    assert sorted(errors(found)) == [cell]
    assert errors(found)[cell]["stated"] == 101.24
    assert errors(found)[cell]["expected"] == pytest.approx(mean, abs=1e-6)
    assert second > first


def test_mixed_total_row_in_a_workbook(filled_template) -> None:
    mean = sum(CAPAIAN) / len(CAPAIAN)
    pooled = sum(REALISASI) / sum(ALOKASI) * 100
    rule = ["Rumus", "", "", "", "=D/C*100"]
    right = efisiensi_grid(f"{mean:.2f}".replace(".", ","), f"{pooled:.2f}".replace(".", ","), rule)
    # the wrong ones: 96,67 (digits of 99,67 swapped, as Tabel 3.17 prints it) and the mean of the
    # row percentages in place of the pooled one
    rows_pct = [r / a * 100 for a, r in zip(ALOKASI, REALISASI, strict=True)]
    row_mean = sum(rows_pct) / len(rows_pct)
    wrong = efisiensi_grid("96,67", f"{row_mean:.2f}".replace(".", ","), rule)
    rows, (_, second) = stacked(right, wrong)
    found = free_findings(filled_template, rows)
    total_row = second + len(wrong) - 1
    assert sorted(errors(found)) == [f"B{total_row}", f"E{total_row}"]
    assert errors(found)[f"B{total_row}"]["expected"] == pytest.approx(mean, abs=1e-6)
    assert errors(found)[f"E{total_row}"]["expected"] == pytest.approx(pooled, abs=1e-6)
    assert round(row_mean, 2) != round(pooled, 2)


# ---------------------------------------------------------------------------
# Class 4: a rule in every column. Jombang Tabel 3.10 (seed lines 945-952): Administrasi Umum
# realisasi 71.636.200 printed; its six sub kegiatan add up to 74.101.968; the kode column first.
# ---------------------------------------------------------------------------
def adm_umum_table(kegiatan: int, marker_beside: bool) -> Rows:
    body = [["1.3", "Administrasi Umum Perangkat Daerah", f"{kegiatan:,}".replace(",", ".")]]
    body += [[f"1.3.{n}", f"Sub kegiatan {n}", f"{v:,}".replace(",", ".")] for n, v in enumerate(ADM_UMUM, 1)]
    if marker_beside:
        return [["Tabel 3.10"], ["Kode", "Uraian", "Realisasi", ""], ["kode", "", "", "Rumus"], *body]
    return [["Tabel 3.10"], ["Kode", "Uraian", "Realisasi"], ["Rumus: kode"], *body]


@pytest.mark.parametrize("marker_beside", [False, True], ids=["rumus-kode-in-A", "marker-beside"])
def test_kode_column_first_in_a_workbook(filled_template, marker_beside: bool) -> None:
    assert sum(ADM_UMUM) == 74_101_968
    rows, (wrong, _) = stacked(
        adm_umum_table(71_636_200, marker_beside), adm_umum_table(74_101_968, marker_beside)
    )
    found = free_findings(filled_template, rows)
    cell = f"C{wrong + 3}"
    assert sorted(errors(found)) == [cell]
    assert (errors(found)[cell]["stated"], errors(found)[cell]["expected"]) == (71_636_200, sum(ADM_UMUM))
    assert not [f for f in found if f["cell"].startswith(("A", "D"))]  # the kode and the marker


# ---------------------------------------------------------------------------
# Class 8 inside a free table. Kragan 2021 "Tingkat efisiensi" per sasaran (seed lines 393-472): pagu
# and realisasi printed "Rp. 340.500.000,-" etc.; here two of them as a PDF copy mangles them, with a
# trailing comma and with mixed separators whose last group has three digits. The LRA line of
# seed line 595 (25.059.325, 24.464.600, printed 100,00) is the wrong figure.
# ---------------------------------------------------------------------------
EFISIENSI = [
    ("Sasaran Strategis 1", "Rp. 340.500.000,-", "Rp. 335.624.178,-", "98,57", 340_500_000, 335_624_178),
    ("Sasaran Strategis 2", "Rp. 10.000.000,", "9,998.750", "99,99", 10_000_000, 9_998_750),
    ("Sasaran Strategis 3", "Rp.7.500.000,-", "Rp. 7.020.000,-", "93,60", 7_500_000, 7_020_000),
    ("Sasaran 4", "Rp. 215.512.000,-", "Rp. 169,314.800", "78,56", 215_512_000, 169_314_800),
    ("Pelaksanaan Urusan yang dilimpahkan", "25.059.325", "24,464.600", "100,00", 25_059_325, 24_464_600),
]


def test_number_readings_in_a_free_table(filled_template) -> None:
    header = ["Sasaran", "Pagu Anggaran", "Realisasi", "Efektifitas (%)"]
    body = [list(row[:4]) for row in EFISIENSI]
    pagu, real = sum(row[4] for row in EFISIENSI), sum(row[5] for row in EFISIENSI)
    total = ["Jumlah", f"{pagu:,}".replace(",", "."), f"{real:,}".replace(",", "."), ""]
    rows, (start,) = stacked(
        [["Tabel Tingkat efisiensi per sasaran"], header, ["Rumus", "", "", "=C/B*100"], *body, total]
    )
    found = free_findings(filled_template, rows)
    first = start + 3
    # 98,57 / 99,99 / 93,60 / 78,56 are right when 9,998.750 is 9.998.750 (read as 9,99875 before:
    # 0,1 %); the LRA line's 100,00 is wrong: 24.464.600 / 25.059.325 × 100 = 97,63
    last = first + len(EFISIENSI) - 1
    assert sorted(errors(found)) == [f"D{last}"]
    assert errors(found)[f"D{last}"]["expected"] == pytest.approx(24_464_600 / 25_059_325 * 100, abs=1e-6)
    # the sums read every amount as rupiah (a misread 9,99875 would put the total off by 9.998.740)
    assert not [f for f in found if f["cell"][0] in "BC"]
    assert not [f for f in found if f["code"] in ("unreadable-value", "ambiguous-value")]


# ---------------------------------------------------------------------------
# Bad input: an unreadable rupiah cell names sheet and cell in Indonesian, the total over it says why
# it is not checked; through the CLI, no traceback.
# ---------------------------------------------------------------------------
def test_unreadable_rupiah_in_a_free_table_through_the_cli(filled_template) -> None:
    # the Kragan sasaran 1 and 2 pagu typed with the letter O for zero
    pbb = [
        ["Tabel Pagu"],
        ["Sasaran", "Pagu"],
        ["Sasaran 1", "Rp. 34O.500.000,-"],
        ["Sasaran 2", "Rp. 1O.000.000,-"],
    ]
    pbb.append(["Jumlah Seluruh Anggaran", "Rp. 350.500.000,-"])
    rows, (start,) = stacked(pbb)
    path = with_free_table(filled_template(cells=IDENTITAS, tables=tables()), rows)
    before = path.read_bytes()
    completed = subprocess.run(
        [sys.executable, "-m", "sakip_xlsx.cli", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in completed.stderr and completed.returncode == 1
    assert path.read_bytes() == before  # the input is never modified
    found = [f for f in json.loads(completed.stdout)["files"][0]["findings"] if f["sheet"] == FREE_SHEET]
    cells = {f["cell"]: f for f in found}
    for row in (start + 2, start + 3):
        item = cells[f"B{row}"]
        assert (item["code"], item["severity"]) == ("unreadable-value", "error")
        assert item["message"].startswith(f"{FREE_SHEET}!B{row}:") and "tidak terbaca" in item["message"]
    total = cells[f"B{start + 4}"]
    assert (total["code"], total["severity"]) == ("no-value", "warning")
    assert "tidak dapat diperiksa" in total["message"] and f"B{start + 2}:B{start + 3}" in total["message"]
