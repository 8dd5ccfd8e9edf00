"""Free tables: a figure computed across rows (a cell rule ``E7 = E6 - H4``) and rounding chains.

Ngoro/Jombang 2024, the second "Tabel 3.9 Efisiensi Sarana dan Prasarana" (seed lines 1281-1292):
EFISIENSI SARANA DAN PRASARANA = the mean capaian of the IKU row above it minus the % ketersediaan
sarpras printed in the AKIP row (198 / 305). The report prints 36,4 = 101,4 − 65 (its rounded
figures); from unrounded figures it is 101,4218 − 64,9180 = 36,50: a rounding chain (info, SPEC 7).
Tabel 3.16 (seed lines 1154-1161): efisiensi SDM 67,54 = 103,9 − 36,36 for 67,53 (same chain).
Every expected value is arithmetic on the printed figures.
"""

from __future__ import annotations

import pytest
from test_freetables_report import by_cell, errors, grid, run

CAPAIAN = [80.15 / 81 * 100, 8.54 / 8.22 * 100]
SARPRAS = 198 / 305 * 100


def sarpras(efisiensi: str, mean: str = "101,4%", rule: str = "cek: E7 = E6 - H4") -> list[list[object]]:
    return grid(
        ["Tabel 3.9 Efisiensi Sarana dan Prasarana"],
        ["Sasaran", "Indikator", "Target", "Realisasi", "Persentase Capaian", "Hasil Rekon", "Kebutuhan", "% Ketersediaan"],
        ["Rumus", rule, "", "", "=D/C*100", "", "", "=F/G*100"],
        ["Meningkatnya Akuntabilitas", "Nilai Evaluasi AKIP", "81", "80,15", "99,0%", "198", "305", "65%"],
        ["Meningkatnya kualitas layanan publik", "IKPP", "8,22", "8,54", "103,9%"],
        ["Rata-rata: RATA - RATA CAPAIAN IKU", "", "", "", mean],
        ["EFISIENSI SARANA DAN PRASARANA", "", "", "", efisiensi],
    )  # fmt: skip


def test_cell_rule_across_rows_finds_the_rounding_chain() -> None:
    unrounded = sum(CAPAIAN) / 2 - SARPRAS
    assert round(unrounded, 2) == 36.50 and round(101.4 - 65, 1) == 36.4
    _, found = run(sarpras("36,4"))
    assert errors(found) == []
    chain = by_cell(found)["E7"]
    assert (chain.code, chain.severity) == ("rounding", "info")
    assert chain.expected == pytest.approx(unrounded, abs=1e-6)
    assert "dibulatkan" in chain.message
    # the mean 101,4 (101,45 from the printed 99,0 and 103,9; 101,42 unrounded) and 65 % are right
    assert round(sum(CAPAIAN) / 2, 1) == 101.4 and round(SARPRAS) == 65
    assert set(by_cell(found)) == {"E7"}


def test_cell_rule_quiet_on_the_unrounded_value_and_fires_on_a_wrong_one() -> None:
    _, found = run(sarpras("36,5"))
    assert found == []
    _, found = run(sarpras("38,4"))
    assert errors(found) == ["E7"]
    assert by_cell(found)["E7"].expected == pytest.approx(101.4 - 65, abs=1e-6)  # from the printed figures


def test_cell_rule_follows_a_wrong_mean() -> None:
    # a mean row printed 96,4 (wrong: 101,42) and the efisiensi computed from it, 96,4 − 65 = 31,4
    _, found = run(sarpras("31,4", mean="96,4%"))
    assert errors(found) == ["E6"]
    follows = by_cell(found)["E7"]
    assert (follows.code, follows.severity, follows.caused_by) == (
        "follows-root",
        "warning",
        "Tabel Bebas!E6",
    )


@pytest.mark.parametrize(
    "rule, reason",
    [
        ("cek: E9 = E6 - H4", "E9"),  # no such row in the table
        ("cek: E7 = E6 - H", "alamat sel"),  # a column letter in a cell rule
        ("cek: E6 - H4", "alamat sel = rumus"),  # no cell on the left
    ],
)
def test_cell_rule_that_cannot_be_read_is_reported(rule: str, reason: str) -> None:
    _, found = run(sarpras("36,4", rule=rule))
    unreadable = [f for f in found if f.code == "unreadable-value"]
    assert len(unreadable) == 1 and reason in unreadable[0].message and unreadable[0].cell == "B3"
    assert "E7" not in by_cell(found)


def tabel_3_16(efisiensi: str) -> list[list[object]]:
    return grid(
        ["Tabel 3.16 Efisiensi Penggunaan Sumber Daya Manusia"],
        ["Sasaran", "Indikator", "Target", "Realisasi", "Persentase Capaian", "Kebutuhan SDM", "Ketersediaan SDM", "% Ketersediaan SDM", "Efisiensi SDM"],
        ["Rumus", "", "", "", "=D/C*100", "total:jumlah", "total:jumlah", "=G/F*100", "=E-H"],
        ["Meningkatnya Akuntabilitas", "Nilai Evaluasi AKIP", "81", "80,15", "99,0%", "18", "5", "27,78", "-"],
        ["Meningkatnya kualitas layanan publik", "IKPP", "8,22", "8,54", "103,9%", "22", "8", "36,36", efisiensi],
        ["RATA - RATA CAPAIAN IKU DAN RATA- RATA KETERSEDIAAN SDM", "", "", "", "101,4%", "40", "13", "32,5%", "-"],
    )  # fmt: skip


def test_column_rule_rounding_chain() -> None:
    unrounded = CAPAIAN[1] - 8 / 22 * 100
    assert round(unrounded, 2) == 67.53 and round(103.9 - 36.36, 2) == 67.54
    _, found = run(tabel_3_16("67,54"))
    assert errors(found) == []
    chain = by_cell(found)["I5"]
    assert (chain.code, chain.severity) == ("rounding", "info")
    assert chain.expected == pytest.approx(unrounded, abs=1e-6)
    # the mean capaian 101,4: 101,45 from the printed figures, 101,42 unrounded: right, no finding
    assert "E6" not in by_cell(found)
    _, found = run(tabel_3_16("67,53"))
    assert found == []
