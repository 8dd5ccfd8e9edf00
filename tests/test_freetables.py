"""Free tables ("Tabel Bebas"): parsing the sheet, checks, grade labels and derived formulas.

The seed tests use the real figures of the three seed reports (``samples/data/*.json``
``extra.tabel_bebas``, transcribed from ``shared/seeds/*.txt``), laid out as staff would
paste them; grids are Python lists shaped as python-calamine returns them ("" for empty).
"""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sakip_xlsx.expr import Expr, Ref, cell_formula, guarded_value
from sakip_xlsx.findings import KINDS, Finding
from sakip_xlsx.freetables import (
    FIRST_TABLE_ROW,
    FREE_SHEET,
    INSTRUCTIONS,
    FreeTable,
    RuleError,
    check_free_tables,
    free_table_derived,
    parse_equality,
    parse_formula,
    parse_free_tables,
)
from sakip_xlsx.grades import BUILTIN_SCALES, wrong_label
from sakip_xlsx.rules import load_rules

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "data"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def grid(*rows: list[object]) -> list[list[object]]:
    """A rectangular grid (calamine pads short rows with "")."""
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def seed_table(sample: str, prefix: str) -> dict:
    tables = json.loads((SAMPLES / f"{sample}.json").read_text("utf-8"))["extra"]["tabel_bebas"]
    return next(t for t in tables if t["judul"].startswith(prefix))


def seed_grid(
    table: dict,
    rule: dict[str, str] | None = None,
    relabel: dict[str, str] | None = None,
    drop: tuple[str, ...] = (),
) -> list[list[object]]:
    """Title, header, optional rule row (column letter -> text) and the rows of a seed table."""
    width = len(table["header"])
    title = table["judul"] if table["judul"].lower().startswith("tabel") else "Judul: " + table["judul"]
    rows: list[list[object]] = [[title], list(table["header"])]
    if rule:
        rows.append(["Rumus"] + [rule.get(chr(66 + i), "") for i in range(width - 1)])
    for row in table["rows"]:
        row = list(row)
        if any(isinstance(v, str) and v.startswith(drop) for v in row if drop):
            continue
        for i, value in enumerate(row):
            if relabel and value in relabel:
                row[i] = relabel[value]
        rows.append(row)
    return grid(*rows)


def run(g: list[list[object]]) -> tuple[list[FreeTable], list[Finding], list[Finding]]:
    tables, parsed = parse_free_tables(g, FREE_SHEET)
    return tables, parsed, check_free_tables(tables)


def at(findings: list[Finding], cell: str, code: str | None = None) -> Finding:
    matches = [f for f in findings if f.cell == cell and (code is None or f.code == code)]
    assert len(matches) == 1, f"{cell}/{code}: {[(f.code, f.cell, f.message) for f in findings]}"
    return matches[0]


def errors(findings: list[Finding]) -> list[tuple[str, str | None]]:
    return sorted((f.code, f.cell) for f in findings if f.severity == "error")


def assert_message_shape(item: Finding, table_title_part: str) -> None:
    assert item.sheet == FREE_SHEET
    assert f"{FREE_SHEET}!{item.cell}" in item.message
    assert table_title_part in item.message
    assert item.table == "tabel_bebas"
    for english in (" the ", " is ", " must ", " invalid ", " error "):
        assert english not in f" {item.message.lower()} "


# ---------------------------------------------------------------------------
# Real seed tables
# ---------------------------------------------------------------------------

# Kragan/Rembang 2021, Tabel E.2 (seed lines 183-193), pasted with its two-row header as printed.
E2_ROWS = [
    ["Tabel. E.2. Jabatan Struktural Lingkup Kecamatan Kragan"],
    [
        "No",
        "Jabatan",
        "Pendidikan",
        "",
        "",
        "",
        "Jenis Kelamin",
        "",
        "Eselon",
        "",
        "",
        "",
        "Pangkat / Golongan",
        "",
        "",
        "Diklat Penjurangan",
        "",
    ],
    [
        "",
        "",
        "S2",
        "S1",
        "D3",
        "SLTA",
        "Lk",
        "Pr",
        "IIIa",
        "IIIb",
        "IVa",
        "IVb",
        "IV",
        "III",
        "II",
        "III",
        "IV",
    ],
    ["Rumus", "", "cek: SUM(C:F)=SUM(G:H)=SUM(I:L)=SUM(M:O)"],
    ["1", "Camat", "1", "1", "-", "-", "1", "-", "1", "-", "-", "-", "1", "-", "-", "1", "-"],
    ["2", "Sekcam", "-", "1", "-", "-", "1", "-", "-", "1", "-", "-", "1", "-", "-", "-", "1"],
    ["3", "Kasi Kecamatan", "1", "4", "-", "-", "2", "2", "-", "-", "4", "-", "-", "4", "-", "-", "-"],
    ["4", "Kasubag Kec.", "1", "1", "-", "1", "-", "2", "-", "-", "-", "2", "-", "2", "-", "-", "1"],
    ["Jumlah", "", "3", "7", "-", "1", "4", "4", "1", "1", "4", "2", "2", "6", "-", "1", "2"],
]


def test_kragan_e2_education_counted_twice() -> None:
    tables, parsed, found = run(grid(*E2_ROWS))
    assert parsed == []
    (table,) = tables
    assert table.headers["C"] == "Pendidikan S2" and table.headers["H"] == "Jenis Kelamin Pr"
    assert table.headers["Q"] == "Diklat Penjurangan IV"
    assert [r.kind for r in table.rows] == ["data"] * 4 + ["sum"]
    # every column total is right (S2 1+1+1 = 3, S1 7, ...); each row's education breakdown
    # exceeds its count of people by the row's S2 holders (errors.md item 25); the Jumlah row
    # differs only by the sum of those rows' excesses (1 + 1 + 1 = 11 − 8): it follows them (SPEC 7)
    assert errors(found) == [
        ("sum-mismatch", "C5"),
        ("sum-mismatch", "C7"),
        ("sum-mismatch", "C8"),
    ]
    jumlah = at(found, "C9", "follows-root")
    assert (jumlah.severity, jumlah.caused_by) == ("warning", f"{FREE_SHEET}!C5")
    expected = {
        "C5": (2, 1, "Camat"),
        "C7": (5, 4, "Kasi Kecamatan"),
        "C8": (3, 2, "Kasubag Kec."),
        "C9": (11, 8, "Jumlah"),
    }
    for cell, (stated, right, label) in expected.items():
        item = at(found, cell)
        assert (item.stated, item.expected) == (stated, right)
        assert item.row_key == f"Tabel E.2 / {label}"
        assert item.cells == tuple(f"{c}{cell[1:]}" for c in "CDEF")
        assert item.code == "follows-root" or "Pendidikan S2" in item.hint
        assert "SUM(C:F)" in item.message and "SUM(G:H)" in item.message
        assert_message_shape(item, "Tabel. E.2.")


def test_kragan_e2_wrong_column_total_is_found() -> None:
    rows = [list(r) for r in E2_ROWS]
    rows[3] = ["Rumus"]
    rows[-1][3] = "8"  # S1 total: the rows give 1 + 1 + 4 + 1 = 7
    _, _, found = run(grid(*rows))
    item = at(found, "D9")
    assert (item.code, item.stated, item.expected, item.difference) == ("sum-mismatch", 8, 7, 1)
    assert "jumlah 4 baris data D5:D8" in item.message
    assert item.field == "Pendidikan S1"
    assert item.hint is not None and "dua kali" in item.hint


def test_kragan_e3_breakdowns_do_not_match() -> None:
    table = seed_table("kragan-rembang-2021", "Tabel. E.3.")
    # people by sex (C:D) = by education (E:I) = PNS by golongan + kontrak (J:N)
    g = seed_grid(table, rule={"C": "cek: SUM(C:D)=SUM(E:I)=SUM(J:N)"})
    tables, _, found = run(g)
    assert [r.label for r in tables[0].rows] == ["Kecamatan Kragan", "Jumlah"]
    # 12 + 7 = 19 staff, but 22 by education (3 S2 counted twice) and 32 by golongan + kontrak
    # the Jumlah row repeats its single data row: its failures follow that row's (SPEC 7)
    assert errors(found) == [("sum-mismatch", "E4"), ("sum-mismatch", "J4")]
    assert at(found, "E5").caused_by == f"{FREE_SHEET}!E4"
    assert at(found, "J5").caused_by == f"{FREE_SHEET}!J4"
    education = at(found, "E4")
    assert (education.stated, education.expected, education.difference) == (22, 19, 3)
    assert "Pendidikan S2" in education.hint
    staff = at(found, "J5")
    assert (staff.stated, staff.expected) == (32, 19)
    assert staff.row_key == "Tabel E.3 / Jumlah"


def test_mojokerto_desa_area_total() -> None:
    table = seed_table("ngoro-mojokerto-2021", "Tabel 1.1")
    # as printed the closing row is labelled "Kecamatan Ngoro" (the sample data relabels it):
    # then it is not a total row, and nothing is checked
    _, _, found = run(seed_grid(table, relabel={"Jumlah: Kecamatan Ngoro": "Kecamatan Ngoro"}))
    assert errors(found) == []
    # staff mark it as a total row as the instructions say
    _, _, found = run(seed_grid(table, relabel={"Kecamatan Ngoro": "Jumlah: Kecamatan Ngoro"}))
    luas = at(found, "D22")
    assert (luas.code, luas.stated, luas.expected) == ("sum-mismatch", 60.56, 62.58)
    assert luas.difference == pytest.approx(-2.02)
    assert (
        "jumlah 19 baris data D3:D21" in luas.message and "60,56" in luas.message and "62,58" in luas.message
    )
    assert luas.row_key == "Tabel 1.1 / Jumlah: Kecamatan Ngoro"
    assert_message_shape(luas, "Tabel 1.1 Tinggi dan Luas")
    # the tinggi 138 in that row is desa Ngoro's altitude, not a total: found, with that hint
    tinggi = at(found, "C22")
    assert (tinggi.stated, tinggi.expected) == (138, 3709)
    assert "Ngoro" in tinggi.hint
    # ... and a column marked "abaikan" is left alone
    _, _, found = run(
        seed_grid(table, rule={"C": "abaikan"}, relabel={"Kecamatan Ngoro": "Jumlah: Kecamatan Ngoro"})
    )
    assert errors(found) == [("sum-mismatch", "D23")]


def test_mojokerto_pbb_percentage_rule() -> None:
    table = seed_table("ngoro-mojokerto-2021", "Tabel 3.10")
    tables, _, found = run(seed_grid(table, rule={"E": "=D/C*100"}))
    assert tables[0].column_rules == {"E": "=D/C*100"}
    assert [r.label for r in tables[0].rows] == ["2019", "2020", "2021"]
    y2019 = at(found, "E4")
    assert y2019.code == "ratio-mismatch" and y2019.stated == 76.54
    assert y2019.expected == pytest.approx(2794244395 / 3624680908 * 100, abs=1e-6)  # 77,09
    assert "2.794.244.395 / 3.624.680.908" in y2019.message and "77,09" in y2019.message
    assert y2019.field == "%" and y2019.row_key == "Tabel 3.10 / 2019"
    # 2021: 70,29 against 70,3042 is more than one unit of the last digit off (compare's rule)
    y2021 = at(found, "E6")
    assert y2021.code == "ratio-mismatch" and y2021.expected == pytest.approx(70.304166, abs=1e-6)
    assert not [f for f in found if f.cell == "E5"]  # 2020: 62,29 is right


def test_mojokerto_population_rules_are_quiet() -> None:
    table = seed_table("ngoro-mojokerto-2021", "Tabel 3.8")
    _, parsed, found = run(seed_grid(table, rule={"D": "=B+C", "E": "=B/C*100"}))
    assert found == []
    # "43.466" read as 43466: said once per column, not per cell
    assert [f.cell for f in parsed] == ["B4", "C4", "D4"]
    assert all(f.code == "ambiguous-value" and f.severity == "info" for f in parsed)
    assert parsed[0].cells == ("B4", "B5")


@pytest.mark.parametrize("nilai", ["=0,8*C+0,2*D", "=0.8*C+0.2*D", "=80%*C+20%*D", "0,8*C + 0,2*D"])
def test_jombang_sakip_components(nilai: str) -> None:
    table = seed_table("ngoro-jombang-2024", "Bobot Capaian Evaluasi SAKIP")
    _, parsed, found = run(seed_grid(table, rule={"F": nilai, "G": "=F/E*100"}))
    assert parsed == []  # "21,746" is confirmed decimal by the column's other figures
    assert errors(found) == [("ratio-mismatch", "G5"), ("sum-mismatch", "D8")]
    pengukuran = at(found, "G5")  # 21,746 / 30 × 100 = 72,49, printed 72,46
    assert pengukuran.stated == 72.46 and pengukuran.expected == pytest.approx(72.486667, abs=1e-6)
    total = at(found, "D8")  # Σ Evaluasi Lapangan 16,65 + 13,13 + 11,09 = 40,87; printed 80,74
    assert (total.stated, total.expected) == (80.74, 40.87)
    assert total.row_key == "Bobot Capaian Evaluasi SAKIP Kecamatan… / TOTAL"
    # Σ of the printed nilai is 80,156, but of the unrounded nilai (0,8 × LKE + 0,2 × lapangan) 80,15, as
    # printed: right (issue 17: a figure computed from unrounded figures is no rounding slip)
    unrounded = (
        (0.8 * 26.41 + 0.2 * 16.65) + (0.8 * 23.90 + 0.2 * 13.13) + (0.8 * 14.46 + 0.2 * 11.09) + 20.16
    )
    assert round(unrounded, 2) == 80.15 and round(24.46 + 21.746 + 13.79 + 20.16, 3) == 80.156
    assert not [f for f in found if f.cell == "F8"]


def test_jombang_ikm_per_unsur_with_grades() -> None:
    table = seed_table("ngoro-jombang-2024", "Indeks Kepuasan Masyarakat")
    relabel = {
        "Nilai rata-rata per unsur 6": "Rata-rata: per unsur 6",
        "Total layanan - 6": "Total: layanan - 6",
    }
    g = seed_grid(table, rule={"L": "=AVERAGE(C:K); skala:ikm"}, relabel=relabel)
    tables, parsed, found = run(g)
    (ikm,) = tables
    assert parsed == []
    assert ikm.scales == {"L": "ikm"} and ikm.column_rules == {"L": "=AVERAGE(C:K)"}
    assert [r.kind for r in ikm.rows] == ["data"] * 7 + ["mean", "sum", "mean"]
    # all nine unsur averages, per-unsur means and totals, and every "Sangat Baik" are right;
    # what does not fit: the mean rows carry the respondent total 870 in column L (mean 72),
    # and the Total row's "Rata-rata" holds Σ of all 54 unsur values (5247,22), not Σ of the column
    assert errors(found) == [("sum-mismatch", "L12"), ("sum-mismatch", "M11"), ("sum-mismatch", "M13")]
    assert at(found, "M11").expected == 72
    assert at(found, "L12").expected == pytest.approx(583.02, abs=1e-9)
    assert not [f for f in found if f.code == "label-mismatch"]
    # a wrong grade is found
    g[4][11] = "93.79 - Baik"
    _, _, found = run(g)
    label = at(found, "L5", "label-mismatch")
    assert (label.stated, label.expected) == ("Baik", "A (Sangat Baik)")
    assert "IKM" in label.message and "≥ 88,31" in label.message
    assert_message_shape(label, "Indeks Kepuasan Masyarakat")


# ---------------------------------------------------------------------------
# Synthetic: rule forms
# ---------------------------------------------------------------------------


def rule_table(rule: str, rows: list[list[object]], headers: list[str] | None = None) -> list[list[object]]:
    headers = headers or ["Uraian", "B", "C", "D", "E", "F"]
    width = len(headers)
    letter = rule.split(":", 1)[0]
    rule_row = ["Rumus"] + [""] * (width - 1)
    rule_row[ord(letter) - 65] = rule.split(":", 1)[1]
    return grid(["Tabel 9.9 Uji"], headers, rule_row, *rows)


@pytest.mark.parametrize(
    ("rule", "right", "wrong", "code"),
    [
        ("D:=B+C", ["a", 10, 5, 15], ["a", 10, 5, 16], "sum-mismatch"),
        ("E:=SUM(B:D)", ["a", 1, 2, 3, 6], ["a", 1, 2, 3, 7], "sum-mismatch"),
        ("D:=C/B*100", ["a", 200, 150, "75,00"], ["a", 200, 150, "74,00"], "ratio-mismatch"),
        ("D:=B-C", ["a", 200, 150, 50], ["a", 200, 150, 40], "difference-mismatch"),
        ("E:=AVERAGE(B:D)", ["a", 1, 2, 6, 3], ["a", 1, 2, 6, 4], "ratio-mismatch"),
        ("D:=ROUND(C/B*100,2)", ["a", 3, 1, "33,33"], ["a", 3, 1, "33,34"], "ratio-mismatch"),
        ("D:=ROUND(C/B*100;1)", ["a", 3, 1, "33,3"], ["a", 3, 1, "33,5"], "ratio-mismatch"),
        ("D:=MAX(B:C)-MIN(B:C)", ["a", 3, 9, 6], ["a", 3, 9, 5], "difference-mismatch"),
        ("D:=ABS(B-C)", ["a", 3, 9, 6], ["a", 3, 9, 7], "difference-mismatch"),
        ("D:=(B+C)/2", ["a", 3, 9, 6], ["a", 3, 9, 8], "ratio-mismatch"),
        ("D:=-B+C", ["a", 3, 9, 6], ["a", 3, 9, 8], "difference-mismatch"),
        ("D:=0,5*B+0.5*C", ["a", 3, 9, 6], ["a", 3, 9, 8], "difference-mismatch"),
    ],
)
def test_every_rule_form(rule: str, right: list[object], wrong: list[object], code: str) -> None:
    _, parsed, found = run(rule_table(rule, [right]))
    assert parsed == [] and found == []
    _, _, found = run(rule_table(rule, [wrong]))
    column = rule[0]
    item = at(found, f"{column}4")
    assert item.code == code and item.severity == "error"
    assert item.field == column and "rumus" in item.message


def test_rule_checks_every_data_row_and_pools_the_total_row() -> None:
    g = grid(
        ["Tabel 2 PATEN per bulan"],
        ["Bulan", "Target", "Realisasi", "%"],
        ["Rumus", "", "", "=C/B*100"],
        ["Januari", 100, 90, "90,00"],
        ["Februari", 100, 110, "110,00"],
        ["Maret", 50, 40, "80,00"],
        ["Jumlah", 250, 240, "93,33"],  # pooled: 240 / 250 × 100 = 96,00
    )
    _, _, found = run(g)
    item = at(found, "D7")
    assert item.code == "ratio-mismatch" and item.expected == 96
    assert (
        item.hint == "Persentase dirata-rata, padahal seharusnya dihitung dengan rumus dari angka jumlahnya."
    )
    assert len(found) == 1


def test_inverted_ratio_hint() -> None:
    g = rule_table(
        "D:=C/B*100", [["a", 3624680908, 2794244395, "129,72"]], headers=["Tahun", "Baku", "Realisasi", "%"]
    )
    _, _, found = run(g)
    item = at(found, "D4")
    assert item.hint == "Rasio terbalik: dihitung B/C*100."


def test_value_from_neighbouring_column_hint() -> None:
    g = rule_table(
        "E:=D/C*100",
        [["IK1", "", 81, "98,71", "98,71"]],
        headers=["Indikator", "x", "Target", "Realisasi", "Capaian"],
    )
    _, _, found = run(g)
    assert (
        at(found, "E4").hint == "Sama dengan isi kolom “Realisasi” di baris ini (tersalin dari kolom lain)."
    )


def test_percent_cell_stored_as_fraction_is_right() -> None:
    # a %-formatted Excel cell reaches us as 0.7709 for 77,09 %
    g = rule_table(
        "D:=C/B*100",
        [["2019", 3624680908.0, 2794244395.0, 0.7709]],
        headers=["Tahun", "Baku", "Realisasi", "%"],
    )
    assert run(g)[2] == []


def test_rules_chain_uses_the_stated_figures() -> None:
    # G = F/E*100 is checked against the stated F (13,79), as the report computed it
    g = grid(
        ["Tabel 5"],
        ["No", "Komponen", "LKE", "Lap", "Bobot", "Nilai", "%"],
        ["Rumus", "", "", "", "", "=0,8*C+0,2*D", "=F/E*100"],
        ["3", "Pelaporan", "14,46", "11,09", "15", "13,79", "91,93"],
    )
    assert run(g)[2] == []


# ---------------------------------------------------------------------------
# Synthetic: totals, sub-totals, means, kode roll-up, row equalities
# ---------------------------------------------------------------------------


def staff_grid(**overrides: object) -> list[list[object]]:
    values = {
        "a1": 10,
        "a2": 20,
        "sub_a": 30,
        "b1": 5,
        "b2": 7,
        "sub_b": 12,
        "total": 42,
        "mean": 10.5,
    }
    values.update(overrides)
    return grid(
        ["Tabel 4 Pegawai per bidang"],
        ["No", "Bidang", "Jumlah Pegawai"],
        ["1", "Sekretariat", values["a1"]],
        ["2", "Keuangan", values["a2"]],
        ["", "Sub Total", values["sub_a"]],
        ["3", "Pemerintahan", values["b1"]],
        ["4", "Trantib", values["b2"]],
        ["", "Sub Total", values["sub_b"]],
        ["", "Jumlah Total", values["total"]],
        ["", "Rata-rata", values["mean"]],
    )


def test_sub_totals_grand_total_and_mean_quiet_when_right() -> None:
    tables, parsed, found = run(staff_grid())
    assert parsed == [] and found == []
    assert [r.kind for r in tables[0].rows] == ["data", "data", "sum", "data", "data", "sum", "sum", "mean"]


def test_grand_total_counting_sub_totals_twice() -> None:
    _, _, found = run(staff_grid(total=84))
    item = at(found, "C9")
    assert (item.stated, item.expected) == (84, 42)
    assert item.hint == "Sub-jumlah ikut dijumlahkan bersama baris datanya (terhitung dua kali)."
    assert "jumlah 4 baris data C3:C4, C6:C7" in item.message


def test_sub_total_with_a_row_left_out_and_wrong_mean() -> None:
    _, _, found = run(staff_grid(sub_b=5, mean=8.4))
    sub = at(found, "C8")
    assert (sub.stated, sub.expected) == (5, 12)
    assert sub.hint == "Sama dengan jumlah tanpa baris “Trantib” (baris itu tidak ikut dijumlah)."
    mean = at(found, "C10")
    assert mean.code == "sum-mismatch" and mean.expected == 10.5
    assert "rata-rata" in mean.message
    assert mean.hint == "Jumlahnya dibagi 5, padahal ada 4 baris berisi angka."
    # the grand total 42 is right by its data rows, but not the Σ of the stated sub totals (30 + 5):
    # a warning naming the wrong sub total, no error
    total = at(found, "C9")
    assert (total.code, total.severity, total.caused_by) == ("right-by-ground", "warning", f"{FREE_SHEET}!C8")
    assert len(found) == 3


def test_transposed_digits_hint() -> None:
    _, _, found = run(staff_grid(total=24))
    assert at(found, "C9").hint == "Dua angka bertukar tempat (salah ketik)."


def test_mean_row_after_a_total() -> None:
    g = grid(
        ["Tabel 6 Nilai IP ASN"],
        ["Nama", "Nilai"],
        ["Ani", "80,5"],
        ["Budi", "71"],
        ["Citra", "90,25"],
        ["Jumlah", "241,75"],
        ["Rata-rata", "80,58"],
    )
    tables, _, found = run(g)
    assert found == []
    g[-1][1] = "80,85"
    _, _, found = run(g)
    item = at(found, "B7")
    assert item.expected == pytest.approx(241.75 / 3)
    assert item.hint == "Dua angka bertukar tempat (salah ketik)."


LRA = [
    ["Tabel 3.11 LRA per kode rekening"],
    ["Kode Rekening", "Uraian", "Anggaran", "Realisasi", "%"],
    ["5", "Belanja", "1.000.000", "900.000", "90,00"],
    ["5.1", "Belanja Operasi", "700.000", "650.000", "92,86"],
    ["5.1.02", "Belanja Barang dan Jasa", "400.000", "380.000", "95,00"],
    ["5.1.01", "Belanja Pegawai", "300.000", "270.000", "90,00"],
    ["5.2", "Belanja Modal", "300.000", "250.000", "83,33"],
    ["Jumlah", "", "1.000.000", "900.000", "90,00"],
]


def lra(**changes: str) -> list[list[object]]:
    rows = [list(r) for r in LRA]
    table = [rows[0], ["No", *rows[1]], ["Rumus", "kode", "", "", "", "=E/D*100"]]
    for number, row in enumerate(rows[2:], 1):
        table.append(["" if row[0] == "Jumlah" else str(number), *row])
    for cell, value in changes.items():
        table[int(cell[1:]) - 1][ord(cell[0]) - 65] = value
    return grid(*table)


def test_kode_roll_up_quiet_when_right() -> None:
    tables, parsed, found = run(lra())
    assert parsed == [] and found == []
    table = tables[0]
    assert table.kode_column == "B"
    assert table.rows[-1].kind == "sum"


def test_kode_parent_not_equal_to_children() -> None:
    _, _, found = run(lra(D5="720.000"))
    parent = at(found, "D5")  # 5.1 = 5.1.02 + 5.1.01 = 700.000
    assert (parent.code, parent.stated, parent.expected) == ("sum-mismatch", 720000, 700000)
    assert "kode 5.1" in parent.message and "5.1.02, 5.1.01" in parent.message
    # SPEC 7: the % of 5.1 (92,86 = 650.000 / 700.000 × 100) is right by the lowest level, so no
    # error; it differs from 650.000 / 720.000 × 100 (from the wrong stated 5.1): a warning naming D5
    ratio = at(found, "F5")
    assert (ratio.code, ratio.caused_by) == ("right-by-ground", f"{FREE_SHEET}!D5")
    assert ratio.expected == pytest.approx(650000 / 700000 * 100)
    # 5 = 1.000.000 is right by its lowest rows (400.000 + 300.000 + 300.000), not by the stated
    # 5.1 + 5.2 = 720.000 + 300.000: a warning, not an error
    top = at(found, "D4")
    assert (top.code, top.stated, top.expected) == ("right-by-ground", 1000000, 400000 + 300000 + 300000)
    assert top.caused_by == f"{FREE_SHEET}!D5"
    # the grand total sums the top level only (5), so it is not double counted
    assert errors(found) == [("sum-mismatch", "D5")]


def test_kode_child_left_out_and_grand_total_double_counting() -> None:
    _, _, found = run(lra(D4="600.000", D9="1.900.000"))
    top = at(found, "D4")
    assert top.expected == 1000000
    total = at(found, "D9")
    assert total.expected == 600000  # Jumlah = Σ of the top-level rows as stated (5: 600.000)
    _, _, found = run(lra(D4="1.700.000"))
    assert at(found, "D4").hint == "Sama dengan jumlah bila rincian 5.1 dihitung dua kali."


def test_duplicate_kode() -> None:
    _, _, found = run(lra(B7="5.1.02"))
    item = at(found, "B7", "duplicate-kode")
    assert item.severity == "error"


def test_row_equality_synthetic() -> None:
    g = grid(
        ["Tabel 7 Pegawai"],
        ["Unit", "S2", "S1", "D3", "SLTA", "Laki-laki", "Perempuan"],
        ["Rumus", "cek: SUM(F:G)=SUM(B:E)"],
        ["Sekretariat", 1, 4, 0, 2, 5, 2],
        ["Kasi", 2, 3, 1, 0, 3, 2],
    )
    _, parsed, found = run(g)
    assert parsed == []
    item = at(found, "B5")
    assert (item.stated, item.expected, item.difference) == (6, 5, 1)
    assert item.field == "SUM(F:G)=SUM(B:E)"
    assert "SUM(F:G)" in item.message and "“Laki-laki” dan “Perempuan”" in item.message
    assert item.hint.startswith("Selisihnya (1) sama dengan isi kolom “D3”")
    assert len(found) == 1


def test_quiet_on_a_correct_table_with_every_feature() -> None:
    g = grid(
        ["Judul: Data lengkap"],
        ["No", "Desa", "L", "P", "Total", "Rasio", "KK", "IKM"],
        ["1", "2", "3", "4", "5", "6", "7", "8"],
        ["Rumus", "", "", "", "=C+D", "=ROUND(C/D*100;2)", "cek: E=SUM(C:D)", "skala:ikm"],
        [1.0, "Sumber", 1200.0, 1300.0, 2500.0, 92.31, 700.0, "88,31 (A)"],
        [2.0, "Wates", "1.100", "1.000", "2.100", "110,00", "600", "76,61 B"],
        ["", "Jumlah", "2.300", "2.300", "4.600", "100", "1.300", ""],
        ["", "Rata-rata", "1.150", "1.150", "2.300", "", "650", "82,46 Baik"],
    )
    tables, parsed, found = run(g)
    assert parsed == [] and found == [], [f.message for f in parsed + found]
    (table,) = tables
    assert table.rule_row == 4 and [r.row for r in table.rows] == [5, 6, 7, 8]


# ---------------------------------------------------------------------------
# Bad input gives findings, never exceptions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("=FOO(B:C)", "fungsi FOO tidak dikenal"),
        ("=__import__('os').system('x')", "tanda “_” tidak dikenal"),
        ("=(B+C", "tanda kurung tidak berpasangan"),
        ("=B+C)", "tanda kurung tidak berpasangan"),
        ("=B5+C", "alamat sel"),
        ("=B:C", "hanya boleh di dalam SUM"),
        ("=ROUND(B)", "ROUND perlu 2 argumen"),
        ("=ROUND(B;C)", "argumen kedua ROUND"),
        ("=Z*2", "kolom Z tidak ada di tabel ini"),
        ("=D+1", "memakai dirinya sendiri"),
        ("=B**C", "tidak pada tempatnya"),
        ("=" + "(" * 60 + "B" + ")" * 60, "terlalu bertingkat"),
        ("=" + "B+" * 600 + "B", "terlalu panjang"),
        ("lambda: 1", "bukan huruf kolom"),
        ("=", "rumus kosong"),
    ],
)
def test_bad_rules_give_findings(rule: str, words: str) -> None:
    g = grid(["Tabel 8"], ["Uraian", "B", "C", "D"], ["Rumus", "", "", rule], ["a", 1, 2, 3])
    tables, parsed, found = run(g)
    assert parsed == []
    item = at(found, "D3")
    assert item.code == "unreadable-value" and item.severity == "error"
    assert words in item.message and "Tabel 8" in item.message
    assert len(found) == 1


def test_bad_equality_and_other_rule_row_problems() -> None:
    g = grid(
        ["Tabel 8"],
        ["Uraian", "B", "C", "D"],
        ["Rumus", "cek: SUM(B:C)=", "skala:xyz", "#NAME?"],
        ["a", 1, 2, 3],
    )
    tables, parsed, found = run(g)
    assert sorted((f.code, f.cell) for f in parsed) == [("unreadable-value", "D3")]
    assert "galat Excel" in at(parsed, "D3").message
    # the scale name is looked up in the rules in force when checking (the kabupaten may add scales)
    assert "skala:ikm" in at(found, "C3").message and "[[skala.NAMA]]" in at(found, "C3").message
    assert at(found, "B3").code == "unreadable-value"


def test_numeric_rule_cell_is_reported() -> None:
    g = grid(["Tabel 8"], ["Uraian", "B", "C"], ["Rumus", "", 3.0], ["a", 1, 3])
    _, parsed, _ = run(g)
    assert "bukan rumus" in at(parsed, "C3").message


def test_unreadable_cell_needed_by_a_total() -> None:
    g = grid(
        ["Tabel 9"],
        ["Desa", "Luas", "Ket."],
        ["A", "2,5", "baik"],
        ["B", "dua", "rusak"],
        ["Jumlah", "2,5", ""],
    )
    _, _, found = run(g)
    item = at(found, "B4")
    assert item.code == "unreadable-value" and "“dua”" in item.message and "Luas" in item.message
    assert len(found) == 1  # the text in "Ket." is nobody's input


def test_unreadable_stated_figure() -> None:
    g = grid(["Tabel 9"], ["Desa", "Luas"], ["A", "2,5"], ["B", "1"], ["Jumlah", "3,5?"])
    _, _, found = run(g)
    assert at(found, "B5").code == "unreadable-value"


def test_instructions_alone_hold_no_table() -> None:
    """The reader skips a free-tables sheet holding only these lines without parsing it: the
    parser must find nothing there either."""
    assert parse_free_tables([[line] for line in INSTRUCTIONS] + [[""], [None, ""]]) == ([], [])


def test_checking_a_file_without_free_tables_does_not_load_the_parser(tmp_path) -> None:
    import sys

    from sakip_xlsx.template import write_template

    path = write_template(tmp_path / "kosong.xlsx")
    code = (
        "import sys; from sakip_xlsx.pipeline import check_file; "
        f"check_file({str(path)!r}); print('sakip_xlsx.freetables' in sys.modules)"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def test_parse_structure_problems() -> None:
    g = grid(
        *[[line] for line in INSTRUCTIONS],
        [""],
        ["Tabel 1 tanpa isi"],
        [""],
        ["Tabel 2"],
        ["Uraian", "Nilai"],
        [""],
        ["Lupa judul", 5],
        ["Lupa juga", 6],
    )
    tables, parsed, found = run(g)
    assert tables == [] and found == []
    codes = [(f.code, f.cell) for f in parsed]
    first = FIRST_TABLE_ROW
    assert codes == [
        ("empty-table", f"A{first}"),
        ("empty-table", f"A{first + 2}"),
        ("no-value", f"A{first + 5}"),
    ]


def test_instructions_are_not_titles_and_tables_follow_them() -> None:
    assert FIRST_TABLE_ROW == len(INSTRUCTIONS) + 2
    for line in INSTRUCTIONS:
        assert not line.lower().startswith(("tabel", "judul:"))
    e3 = seed_table("kragan-rembang-2021", "Tabel. E.3.")
    g = grid(*[[line] for line in INSTRUCTIONS], [""], *E2_ROWS, [""], *seed_grid(e3))
    tables, parsed, found = run(g)
    assert parsed == []
    assert [t.title_row for t in tables] == [FIRST_TABLE_ROW, FIRST_TABLE_ROW + len(E2_ROWS) + 1]
    assert [t.title[:11] for t in tables] == ["Tabel. E.2.", "Tabel. E.3."]
    assert len([f for f in found if f.severity == "error"]) == 3  # E.2's data rows; E.3 has no rule row here


def test_numbering_and_repeated_header_rows_are_skipped() -> None:
    g = grid(
        ["Tabel E.4 Sarpras"],
        ["No", "Nama Barang", "Jumlah Barang", "Ket."],
        ["1", "2", "3", "4"],
        ["1", "Lap Top", "18", "Baik"],
        ["1", "2", "3", "4"],
        ["No", "Nama Barang", "Jumlah Barang", "Ket."],
        ["2", "Printer", "13", "Baik"],
        ["Jumlah", "", "31", ""],
    )
    tables, parsed, found = run(g)
    assert [r.label for r in tables[0].rows] == ["Lap Top", "Printer", "Jumlah"]
    assert parsed == [] and found == []


# ---------------------------------------------------------------------------
# The parser itself
# ---------------------------------------------------------------------------


def test_parse_formula_and_equality() -> None:
    assert parse_formula("=D/C*100") == parse_formula("D / C * 100")
    assert parse_formula("=round(d/c*100,2)") == parse_formula("=ROUND(D/C*100;2)")
    assert parse_formula("=0,8*C") == parse_formula("=0.8*C") == parse_formula("=80%*C")
    assert parse_formula("=B×C") == parse_formula("=B*C")
    assert len(parse_equality("cek: SUM(C:F)=SUM(G:H)=SUM(I:L)")) == 3
    with pytest.raises(RuleError):
        parse_equality("cek: SUM(C:F)")
    with pytest.raises(RuleError):
        parse_formula("=B=C")


# ---------------------------------------------------------------------------
# Grade labels
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label", "scale", "expected"),
    [
        (93.79, "Sangat Baik", "ikm", None),
        (93.79, "A", "ikm", None),
        (93.79, "A (Sangat Baik)", "ikm", None),
        (93.79, "Sangat Baik (A)", "ikm", None),
        (88.31, "A", "ikm", None),
        (88.30, "A", "ikm", "B (Baik)"),
        (88.30, "B Baik", "ikm", None),
        (76.60, "Kurang Baik", "ikm", None),
        (76.61, "C", "ikm", "B (Baik)"),
        (64.99, "D", "ikm", None),
        (65.0, "Tidak Baik", "ikm", "C (Kurang Baik)"),
        (84.5, "Memuaskan", "ikm", "B (Baik)"),
        (20.0, "A", "ikm", None),
        (90.0, "A", "akip", None),
        (90.01, "A", "akip", "AA (Sangat Memuaskan)"),
        (80.15, "BB", "akip", "A (Memuaskan)"),
        (80.0, "BB", "akip", None),
        (30.0, "D", "akip", None),
        (30.5, "C", "akip", None),
        (60.0, "CC", "akip", None),
        (60.01, "CC", "akip", "B (Baik)"),
        (95.0, "Tinggi", "predikat", "Sangat Tinggi"),
    ],
)
def test_check_label(value: float, label: str, scale: str, expected: str | None) -> None:
    band = wrong_label(load_rules("default").scales()[scale], value, label)
    assert (band.label if band else None) == expected


def test_scales() -> None:
    default = load_rules("default")
    assert default.scales()["predikat"] == default.predikat
    assert set(BUILTIN_SCALES) <= set(default.scales())
    jombang = load_rules("jombang").scales()
    assert wrong_label(jombang["predikat"], 105, "Baik").label == "Istimewa (Sangat Berhasil)"
    assert wrong_label(jombang["predikat"], 105, "Sangat Berhasil") is None
    assert "label-mismatch" in KINDS


def test_grade_checked_against_kabupaten_predikat() -> None:
    g = grid(["Tabel 3.2"], ["Indikator", "Capaian"], ["Rumus", "skala:predikat"], ["IK1", "103,9 Baik"])
    tables, _, _ = run(g)
    found = check_free_tables(tables, load_rules("jombang").scales())
    assert at(found, "B4").expected == "Istimewa (Sangat Berhasil)"


# ---------------------------------------------------------------------------
# Derived tables for the results workbook
# ---------------------------------------------------------------------------


def test_free_table_derived_formulas_give_the_recomputed_figures() -> None:
    pbb = seed_table("ngoro-mojokerto-2021", "Tabel 3.10")
    g = grid(*staff_grid(total=84), [""], *lra(D5="720.000"), [""], *seed_grid(pbb, rule={"E": "=D/C*100"}))
    tables, _, _ = run(g)
    derived = free_table_derived(tables)
    assert [d.sheet for d in derived] == ["Bebas 1", "Bebas 2", "Bebas 3"]
    assert all(len(d.sheet) <= 31 for d in derived)
    staff, budget, percent = derived
    assert [c.id for c in staff.columns] == ["A", "B", "C"]
    assert [r.style for r in staff.rows] == [
        "normal",
        "normal",
        "total",
        "normal",
        "normal",
        "total",
        "total",
        "total",
    ]
    # data cells point at the copied input sheet, same address
    first = staff.rows[0].cells["C"]
    assert isinstance(first, Ref) and (first.sheet, first.cell, first.cached) == (FREE_SHEET, "C3", 10)
    # totals are live formulas of the recomputed values (not the stated 84)
    grand = staff.rows[6].cells["C"]
    assert isinstance(grand, Expr) and guarded_value(grand) == 42
    assert cell_formula(grand) == "=SUM('Tabel Bebas'!C3:C4,'Tabel Bebas'!C6:C7)"
    mean = staff.rows[7].cells["C"]
    assert guarded_value(mean) == 10.5 and cell_formula(mean).startswith("=IFERROR(AVERAGE(")
    # kode parents roll up; the % column is the rule of each row
    parent = budget.rows[1].cells["D"]
    assert guarded_value(parent) == 700000 and "SUM(" in cell_formula(parent)
    assert budget.rows[1].style == "program"
    assert [c.kind for c in budget.columns] == ["integer", "kode", "text", "integer", "integer", "percent"]
    ratio = percent.rows[0].cells["E"]
    assert guarded_value(ratio) == pytest.approx(77.0894, abs=1e-4)
    assert (
        cell_formula(ratio)
        == "=IF(COUNT('Tabel Bebas'!D25,'Tabel Bebas'!C25)<2,\"\",IFERROR((('Tabel Bebas'!D25/"
        "'Tabel Bebas'!C25)*100),\"\"))"
    )
    # DerivedTable.ref carries the computed value
    assert budget.ref(1, "D").cached == 700000
    for table in derived:
        for row in table.rows:
            for content in row.cells.values():
                if isinstance(content, Expr):
                    value = guarded_value(content)
                    assert value is None or isinstance(value, (str, int, float))
                    assert cell_formula(content).startswith("=")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_derived_formulas_recalculate_in_libreoffice(tmp_path: Path) -> None:
    """Write the input copy and the derived tables; LibreOffice's values must equal the cached ones."""
    xlsxwriter = pytest.importorskip("xlsxwriter")
    openpyxl = pytest.importorskip("openpyxl")
    from sakip_xlsx.tables import FIRST_ROW

    ikm = seed_table("ngoro-jombang-2024", "Indeks Kepuasan Masyarakat")
    g = grid(
        *staff_grid(),
        [""],
        *lra(),
        [""],
        *E2_ROWS,
        [""],
        *seed_grid(ikm, rule={"L": "=AVERAGE(C:K)"}, drop=("Nilai rata", "Total layanan")),
        [""],
        *rule_table("D:=ROUND(C/B*100,2)", [["a", 3, 1, "33,33"], ["b", 7, 2, ""]]),
    )
    tables, _, _ = run(g)
    path = tmp_path / "hasil.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet(FREE_SHEET)
    entries = {entry.cell: entry for table in tables for row in table.rows for entry in row.cells.values()}
    for r, row in enumerate(g):
        for c, raw in enumerate(row):
            cell = f"{chr(65 + c)}{r + 1}"
            entry = entries.get(cell)
            value = entry.value if entry is not None and entry.is_number else raw
            if isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            elif value != "":
                sheet.write_string(r, c, str(value))
    expected: dict[tuple[str, str], float] = {}
    for table in free_table_derived(tables):
        ws = book.add_worksheet(table.sheet)
        for index, row in enumerate(table.rows):
            for column in table.columns:
                content = row.cells.get(column.id)
                if isinstance(content, Expr):
                    value = guarded_value(content)
                    cell = table.cell(index, column.id)
                    ws.write_formula(cell, cell_formula(content), None, "" if value is None else value)
                    if isinstance(value, (int, float)):
                        expected[(table.sheet, cell)] = value
        assert FIRST_ROW >= 1
    sheet.write_formula("Z1", "=1+1", None, 5)  # sentinel: a wrong cached value LibreOffice must replace
    book.close()
    profile = tmp_path / "profile"
    settings = profile / "user"
    settings.mkdir(parents=True)
    (settings / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" '
        'oor:op="fuse"><value>0</value></prop></item></oor:items>',
        "utf-8",
    )
    out = tmp_path / "out"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    book = openpyxl.load_workbook(out / "hasil.xlsx", data_only=True)
    assert book[FREE_SHEET]["Z1"].value == 2, "LibreOffice did not recalculate"
    assert len(expected) > 100
    for (sheet_name, cell), value in expected.items():
        got = book[sheet_name][cell].value
        assert isinstance(got, (int, float)) and math.isclose(got, value, rel_tol=1e-9, abs_tol=1e-9), (
            sheet_name,
            cell,
            got,
            value,
        )


# ---------------------------------------------------------------------------
# Untrusted input: never an exception
# ---------------------------------------------------------------------------

_CELLS = [
    "",
    "",
    "",
    "Jumlah",
    "Total",
    "Rata-rata",
    "Jumlah: x",
    "-",
    "n/a",
    "1",
    "2,5",
    "1.100",
    "3.624.680.908",
    "84,5 (A)",
    "93.79 - Sangat Baik",
    "(6,36 %)",
    "#DIV/0!",
    "=B+C",
    "cek: B=C",
    "kode",
    "skala:ikm",
    "abaikan",
    "=SUM(B:C)",
    "=D/C*100",
    "=ROUND(B,2)",
    "=__import__('os')",
    "((((",
    "5.1",
    "5.1.01",
    "Rumus",
    "No",
    "Tabel 1",
    "Judul: x",
    0.0,
    1.5,
    -3.0,
    1e308,
    float("nan"),
    True,
    None,
    "x" * 300,
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(st.sampled_from(_CELLS), min_size=1, max_size=6), min_size=1, max_size=14),
    st.booleans(),
)
def test_random_sheets_never_raise(rows: list[list[object]], titled: bool) -> None:
    g = ([["Tabel 1 Acak"]] if titled else []) + rows
    tables, parsed = parse_free_tables(g, FREE_SHEET)
    found = check_free_tables(tables)
    for item in parsed + found:
        assert isinstance(item, Finding) and item.message
    for table in free_table_derived(tables):
        for row in table.rows:
            for content in row.cells.values():
                if isinstance(content, Expr):
                    guarded_value(content)
                    assert cell_formula(content).startswith("=")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCDZ()+-*/:;,.=%0123456789 SUMAVERGOINX_", max_size=40))
def test_random_rules_raise_only_rule_errors(text: str) -> None:
    try:
        parse_formula(text)
    except RuleError as exc:
        assert str(exc)
    try:
        parse_equality(text)
    except RuleError as exc:
        assert str(exc)


def test_title_and_header_variants() -> None:
    g = grid(
        ["JUDUL : Realisasi per tahun"],
        ["Uraian", "Realisasi", "", ""],
        ["", 2019, 2020, 2021],
        ["PBB", 10, 20, 30],
    )
    tables, parsed, found = run(g)
    assert tables[0].title == "Realisasi per tahun"
    assert tables[0].headers == {
        "A": "Uraian",
        "B": "Realisasi 2019",
        "C": "Realisasi 2020",
        "D": "Realisasi 2021",
    }
    # a first data row with numbers under a lone header is data, not a second header row
    g = grid(["Tabel 1"], ["No", "", "Jumlah"], ["1", "Camat", 5], ["Jumlah", "", 5])
    tables, _, found = run(g)
    assert [r.label for r in tables[0].rows] == ["Camat", "Jumlah"] and found == []
