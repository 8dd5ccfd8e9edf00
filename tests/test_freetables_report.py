"""Free tables as real reports print them: rupiah text, numbered labels, renamed totals, rules anywhere.

Every figure below is taken from the seed reports (``shared/seeds/*.txt``, line numbers given);
expected values are recomputed here with plain arithmetic. Each class is tested both ways: the
wrong figure the report prints is found, the right ones raise nothing.
"""

from __future__ import annotations

import pytest

from sakip_xlsx.findings import Finding
from sakip_xlsx.freetables import FREE_SHEET, FreeTable, check_free_tables, parse_free_tables
from sakip_xlsx.rules import load_rules


def grid(*rows: list[object]) -> list[list[object]]:
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def run(g: list[list[object]], rules: str = "default") -> tuple[list[FreeTable], list[Finding]]:
    tables, parsed = parse_free_tables(g, FREE_SHEET)
    return tables, parsed + check_free_tables(tables, load_rules(rules).scales())


def by_cell(findings: list[Finding], severity: str | None = None) -> dict[str, Finding]:
    out = {f.cell: f for f in findings if severity is None or f.severity == severity}
    return out


def errors(findings: list[Finding]) -> list[str]:
    return sorted(f.cell for f in findings if f.severity == "error")


# Ngoro/Mojokerto 2021, "Perbandingan jumlah anggaran dan penyerapan anggaran Tahun 2021"
# (seed lines 482-487), amounts as printed with "Rp"; the total row restates the narrative of
# line 547 ("Rp. 4.242.421.788,00 ... Rp. 3.441.896.392,00 atau 81.13 %").
MOJOKERTO_PAGU = [3_961_741_788, 22_680_000, 100_000_000, 71_000_000, 87_000_000]
MOJOKERTO_REALISASI = [3_164_792_263, 22_671_547, 96_746_724, 70_874_258, 86_811_600]
MOJOKERTO_ROWS = [
    ["1", "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota", "Rp.3,961,741,788.00", "Rp. 3,164,792,263.00", "95,47%"],
    ["2", "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik", "Rp. 22.680.000", "Rp. 22.671.547", "99,97%"],
    ["3", "Program Pemberdayaan Masyarakat", "Rp. 100.000.000", "Rp. 96.746.724", "97,09%"],
    ["4", "Program Koordinasi Ketentraman dan Ketertiban Umum", "Rp. 71.000.000", "Rp. 70.874.258", "99,82%"],
    ["5", "Program Pembinaan dan Pengawasan Pemerintahan Desa", "Rp. 87.000.000", "Rp. 86.811.600", "99,63%"],
]  # fmt: skip


def mojokerto_grid(total: list[object], rule: list[object] | None = None) -> list[list[object]]:
    header = ["NO", "PROGRAM", "JUMLAH ANGGARAN", "REALISASI PENYERAPAN ANGGARAN", "%"]
    return grid(
        ["Tabel 3.9 Perbandingan Anggaran 2021"], header, *([rule] if rule else []), *MOJOKERTO_ROWS, total
    )


def test_rupiah_text_is_read_and_totalled() -> None:
    pagu, realisasi = sum(MOJOKERTO_PAGU), sum(MOJOKERTO_REALISASI)
    assert (pagu, realisasi) == (4_242_421_788, 3_441_896_392)
    serapan = realisasi / pagu * 100
    assert f"{serapan:.2f}" == "81.13"
    total = ["", "JUMLAH", "Rp. 4.242.421.788,00", "Rp. 3.441.896.392,00", "81.13 %"]
    tables, found = run(mojokerto_grid(total, ["Rumus", "", "", "", "=D/C*100"]))
    table = tables[0]
    assert table.value_types["C"] == table.value_types["D"] == "rupiah"
    assert [row.cells["C"].value for row in table.rows[:-1]] == MOJOKERTO_PAGU
    assert table.rows[-1].cells["D"].value == realisasi
    # the report's wrong percentages (mojokerto errors.md): 95,47 (79,88), 97,09 (96,75), 99,63 (99,78);
    # 99,97 for 99,9627 is one unit of the last digit (info)
    assert errors(found) == ["E4", "E6", "E8"]
    for cell, index in (("E4", 0), ("E6", 2), ("E8", 4)):
        recomputed = MOJOKERTO_REALISASI[index] / MOJOKERTO_PAGU[index] * 100
        assert by_cell(found)[cell].expected == pytest.approx(recomputed, abs=1e-6)
    assert by_cell(found)["E5"].code == "rounding"
    assert f"{MOJOKERTO_REALISASI[1] / MOJOKERTO_PAGU[1] * 100:.4f}" == "99.9627"
    assert not [f for f in found if f.code == "unreadable-value"]


def test_rupiah_total_off_by_the_murni_pagu_fires() -> None:
    # the PK Murni total 4.072.143.773 (seed line 340) written under the perubahan amounts
    total = ["", "JUMLAH", "Rp. 4.072.143.773,00", "Rp. 3.441.896.392,00", ""]
    _, found = run(mojokerto_grid(total))
    item = by_cell(found, "error")["C8"]
    assert item.code == "sum-mismatch"
    assert item.expected == sum(MOJOKERTO_PAGU)
    assert item.difference == 4_072_143_773 - sum(MOJOKERTO_PAGU)
    assert errors(found) == ["C8"]


def test_total_over_unreadable_cells_says_why() -> None:
    rows = [["Desa A", "Rp. 1.250.000.000,00"], ["Desa B", "satu juta"], ["Jumlah", "Rp 1.251.000.000"]]
    _, found = run(grid(["Tabel PBB"], ["Desa", "Ketetapan"], *rows))
    # one member unreadable: the readable one is summed, the unreadable cell is an error
    assert by_cell(found)["B4"].code == "unreadable-value"
    rows = [["Desa A", "sejuta"], ["Desa B", "dua juta"], ["Jumlah", "Rp 3.000.000"]]
    _, found = run(grid(["Tabel PBB"], ["Desa", "Ketetapan"], *rows))
    unchecked = [f for f in found if f.code == "no-value"]
    assert len(unchecked) == 1 and unchecked[0].cell == "B5" and unchecked[0].severity == "warning"
    assert "B3:B4" in unchecked[0].message and "tidak dapat diperiksa" in unchecked[0].message
    assert sorted(f.cell for f in found if f.code == "unreadable-value") == ["B3", "B4"]


# Ngoro/Mojokerto 2021, PK Murni per program (seed lines 335-340), pasted from a PDF where the
# number and the name of each program fell into one cell.
PK_MURNI = [3_779_143_773, 35_000_000, 100_000_000, 71_000_000, 87_000_000]
PK_MURNI_ROWS = [
    ["1. Program Penunjang Pemerintahan Daerah Kabupaten/Kota", "Rp. 3.779.143.773", "APBD"],
    ["2 Program Penyelenggaraan Pemerintahan dan Pelayanan Publik", "Rp. 35.000.000", "APBD"],
    ["3 Program Pemberdayaan Masyarakat", "Rp. 100.000.000", "APBD"],
    ["4 Program Koordinasi Ketentraman dan Ketertiban Umum", "Rp. 71.000.000", "APBD"],
    ["5 Program Pembinaan dan Pengawasan Pemerintahan Desa", "Rp. 87.000.000", "APBD"],
]


@pytest.mark.parametrize(("total", "wrong"), [("Rp. 4.072.143.773", False), ("Rp. 4.242.421.788", True)])
def test_numbered_labels_are_never_figures(total: str, wrong: bool) -> None:
    g = grid(
        ["Tabel 2.1 PK Murni"], ["Program", "Anggaran", "Sumber"], *PK_MURNI_ROWS, ["JUMLAH", total, "APBD"]
    )
    tables, found = run(g)
    assert tables[0].label_columns == ["A", "C"]  # the labels, and "APBD" (words only)
    assert tables[0].rows[1].label.startswith("2 Program")
    assert sum(PK_MURNI) == 4_072_143_773
    if wrong:  # the perubahan total under the murni table
        assert errors(found) == ["B8"]
        assert by_cell(found)["B8"].expected == sum(PK_MURNI)
    else:
        assert found == []


# Ngoro/Jombang 2024, Tabel 3.7 (seed lines 790-804): the mean row is labelled
# "RATA-RATA TINGKAT KEMAJUAN" and states 101,24 %; the mean of the 7 rows is 101,50.
KEMAJUAN_ROWS = [
    ["Program Penunjang", "Persentase rata-rata capaian kinerja aparatur", "100%", "100%", "100%"],
    ["Program Penyelenggaraan", "Nilai Paten Kecamatan", "85,5", "94,48", "110,5%"],
    ["Penyelenggaraan Urusan Pemerintahan Umum", "Persentase PHBN/ PHBA", "100%", "100%", "100%"],
    ["", "Persentase rekomendasi Forkopimcam yang ditindaklanjuti", "100%", "100%", "100%"],
    ["Program Koordinasi Ketentraman", "Persentase laporan kasus", "100%", "100%", "100%"],
    ["Program Pemberdayaan Masyarakat", "Persentase desa aktif", "100%", "100%", "100%"],
    [
        "Program Pembinaan Pemerintahan Desa",
        "Persentase Laporan APB Desa Tepat Waktu",
        "100%",
        "100%",
        "100%",
    ],
]


@pytest.mark.parametrize(
    "label", ["RATA-RATA TINGKAT KEMAJUAN", "Rata-rata Capaian", "RATA - RATA CAPAIAN IKU", "Rata-rata"]
)
def test_renamed_mean_row_at_the_foot_is_checked(label: str) -> None:
    header = ["Program", "Indikator", "Target Akhir", "Realisasi", "Tingkat Kemajuan"]
    g = grid(["Tabel 3.7"], header, *KEMAJUAN_ROWS, [label, "", "", "", "101,24%"])
    _, found = run(g)
    expected = (6 * 100 + 110.5) / 7
    item = by_cell(found, "error")["E10"]
    assert item.code == "sum-mismatch" and item.expected == pytest.approx(expected, abs=1e-6)
    g = grid(["Tabel 3.7"], header, *KEMAJUAN_ROWS, [label, "", "", "", f"{expected:.2f}".replace(".", ",")])
    _, found = run(g)
    assert errors(found) == []


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Jumlah Seluruh Anggaran", "sum"),
        ("JUMLAH KESELURUHAN", "sum"),
        ("Total Keseluruhan", "sum"),
        ("TOTAL ANGGARAN TAHUN 2021", "sum"),
        ("Sub Total", "sum"),
        ("RATA -RATA", "mean"),
        ("Rata-rata lama sekolah", "data"),  # a data row higher up keeps its meaning
        ("Jumlah penduduk miskin", "data"),
    ],
)
def test_total_labels_recognised_anywhere(label: str, kind: str) -> None:
    g = grid(["Tabel X"], ["Uraian", "Nilai"], ["a", 1], [label, 2], ["b", 3])
    tables, _ = run(g)
    assert tables[0].rows[1].kind == kind


# Ngoro/Jombang 2024, Tabel 3.15 (seed lines 1124-1138; capaian of PATEN as in Tabel 3.13, 97,7):
# one total row that is a mean (capaian kinerja), two sums (alokasi, realisasi) and a pooled ratio.
ALOKASI = [2_877_788_648, 7_195_000, 90_895_000, 21_515_000, 51_655_000, 14_390_000]
REALISASI = [2_750_979_428, 7_195_000, 90_895_000, 21_515_000, 51_655_000, 14_390_000]
CAPAIAN = [100, 97.7, 100, 100, 100, 100, 100]


def efisiensi_grid(mean: str, pooled: str, rule: list[object]) -> list[list[object]]:
    header = ["Program", "Capaian Kinerja", "Alokasi", "Realisasi", "Capaian Anggaran"]
    rows = [
        [f"Program {n}", c, a, r, ""]
        for n, (c, a, r) in enumerate(zip(CAPAIAN, ALOKASI, REALISASI, strict=False), 1)
    ]
    rows.append(["Program 7 (indikator kedua)", 100, "", "", ""])
    total = [
        "RATA -RATA PENCAPAIAN KINERJA KEGIATAN DAN ANGGARAN",
        mean,
        "Rp. 3.063.438.648",
        "Rp. 2.936.629.428",
        pooled,
    ]
    return grid(["Tabel 3.15"], header, rule, *rows, total)


def test_total_meaning_per_column() -> None:
    mean = sum(CAPAIAN) / len(CAPAIAN)
    pooled = sum(REALISASI) / sum(ALOKASI) * 100
    assert (sum(ALOKASI), sum(REALISASI)) == (3_063_438_648, 2_936_629_428)
    assert (f"{mean:.2f}", f"{pooled:.2f}") == ("99.67", "95.86")
    # rupiah columns of a mean row are summed and the ratio over them is pooled without being told
    _, found = run(efisiensi_grid("99,67", "95,86", ["Rumus", "", "", "", "=D/C*100"]))
    assert errors(found) == []
    # the same when the rule row says it per column (figures typed without Rp)
    g = efisiensi_grid(
        "99,67", "95,86", ["Rumus", "total:rata", "total:jumlah", "total:jumlah", "=D/C*100; total:rumus"]
    )
    g[-1][2:4] = ["3.063.438.648", "2.936.629.428"]
    _, found = run(g)
    assert errors(found) == []
    # wrong figures: the mean of the row percentages instead of the pooled one; a transposed mean
    rows_pct = [r / a * 100 for a, r in zip(ALOKASI, REALISASI, strict=True)]
    wrong_pooled = f"{sum(rows_pct) / len(rows_pct):.2f}".replace(".", ",")
    _, found = run(efisiensi_grid("96,67", wrong_pooled, ["Rumus", "", "", "", "=D/C*100"]))
    assert errors(found) == ["B11", "E11"]
    assert by_cell(found)["E11"].expected == pytest.approx(pooled, abs=1e-6)
    assert by_cell(found)["B11"].expected == pytest.approx(mean, abs=1e-6)


def test_unknown_total_mode_is_reported() -> None:
    g = grid(["Tabel X"], ["Uraian", "Nilai"], ["Rumus", "total:median"], ["a", 1], ["Jumlah", 1])
    _, found = run(g)
    assert by_cell(found)["B3"].code == "unreadable-value" and "total:jumlah" in by_cell(found)["B3"].message


# Ngoro/Jombang 2024, Tabel 3.10 (seed lines 945-952): Administrasi Umum states realisasi
# 71.636.200; its six sub kegiatan add up to 74.101.968. The kode column comes first.
ADM_UMUM = [3_236_800, 9_324_550, 31_970_000, 7_616_800, 2_352_000, 19_601_818]


@pytest.mark.parametrize("marker", ["Rumus: kode", "rumus:kode"])
def test_rule_in_the_first_column(marker: str) -> None:
    rows = [["1.3", "Administrasi Umum Perangkat Daerah", "71.636.200"]]
    rows += [[f"1.3.{n}", f"Sub kegiatan {n}", f"{v:,}".replace(",", ".")] for n, v in enumerate(ADM_UMUM, 1)]
    g = grid(["Tabel 3.10"], ["Kode", "Uraian", "Realisasi"], [marker], *rows)
    tables, found = run(g)
    assert tables[0].kode_column == "A"
    item = by_cell(found, "error")["C4"]
    assert item.expected == sum(ADM_UMUM) == 74_101_968
    assert errors(found) == ["C4"]
    rows[0][2] = "74.101.968"
    _, found = run(grid(["Tabel 3.10"], ["Kode", "Uraian", "Realisasi"], [marker], *rows))
    assert errors(found) == []


def test_rule_marker_in_a_cell_of_its_own_beside_the_table() -> None:
    rows = [["1.3", "Administrasi Umum", "71.636.200"]]
    rows += [[f"1.3.{n}", f"Sub {n}", v] for n, v in enumerate(ADM_UMUM, 1)]
    g = grid(["Tabel 3.10"], ["Kode", "Uraian", "Realisasi", ""], ["kode", "", "", "Rumus"], *rows)
    tables, found = run(g)
    assert tables[0].kode_column == "A" and "D" not in tables[0].headers
    assert errors(found) == ["C4"]


def test_old_rule_row_still_works() -> None:
    g = grid(
        ["Tabel 3.10"],
        ["Uraian", "Pagu", "Realisasi", "%"],
        ["Rumus", "", "", "=C/B*100"],
        ["a", 200, 100, 50],
    )
    _, found = run(g)
    assert found == []


# ---------------------------------------------------------------------------
# Scales (issue 17 item 9)
# ---------------------------------------------------------------------------

# Ngoro/Mojokerto 2021, Tabel 3.2/3.3 (seed lines 384 and 405): IKM "78 Baik", "84,5 Baik" and the
# target "80 Sangat Baik"; on the PermenPANRB 14/2017 scale 80 is B (Baik): 76,61 <= 80 < 88,31.
IKM_ROWS = [["2018", "84,5 Baik"], ["2020", "78 Baik"], ["2021 (target)", "80 Sangat Baik"]]


def test_ikm_grade_on_the_builtin_scale() -> None:
    _, found = run(grid(["Tabel 3.2 IKM"], ["Tahun", "Nilai IKM"], ["Rumus", "skala:ikm"], *IKM_ROWS))
    assert errors(found) == ["B6"]
    assert by_cell(found)["B6"].expected == "B (Baik)" and by_cell(found)["B6"].stated == "Sangat Baik"


KEPMENPAN_2004 = """
nama = "Kabupaten contoh"
[[skala.ikm2004]]
label = "D (Tidak Baik)"
mulai = 25
sampai = 43.75
[[skala.ikm2004]]
label = "C (Kurang Baik)"
lebih_dari = 43.75
sampai = 62.50
[[skala.ikm2004]]
label = "B (Cukup Baik)"
lebih_dari = 62.50
sampai = 81.25
[[skala.ikm2004]]
label = "A (Sangat Baik)"
lebih_dari = 81.25
sampai = 100
"""


def test_a_scale_named_in_the_rules(tmp_path) -> None:
    from sakip_xlsx.rules import parse_rules

    rules = parse_rules(KEPMENPAN_2004, "contoh.toml")
    assert [band.label for band in rules.scales()["ikm2004"]][2] == "B (Cukup Baik)"
    assert ("Skala ikm2004: B (Cukup Baik)", "> 62,5 dan ≤ 81,25") in rules.describe()
    rows = [["2018", "84,5 Sangat Baik"], ["2020", "78 Cukup Baik"], ["2021", "80 Baik"]]
    tables, parsed = parse_free_tables(
        grid(["Tabel IKM"], ["Tahun", "IKM"], ["Rumus", "skala:ikm2004"], *rows)
    )
    found = check_free_tables(tables, rules.scales())
    # "Baik" names neither the letter nor the words of "B (Cukup Baik)": only 80 Baik is wrong
    assert errors(found) == ["B6"] and found[0].expected == "B (Cukup Baik)"
    # without the kabupaten's rules the name is unknown and says where scales are defined
    found = check_free_tables(tables, load_rules("default").scales())
    assert [f.code for f in found] == ["unreadable-value"] and "[[skala.NAMA]]" in found[0].message


def test_rules_file_scale_errors_are_indonesian() -> None:
    from sakip_xlsx.rules import RulesError, parse_rules

    with pytest.raises(RulesError, match="skala"):
        parse_rules('[skala]\nikm = "A"', "x.toml")
    with pytest.raises(RulesError, match="predikat"):
        parse_rules('[[skala.predikat]]\nlabel = "A"', "x.toml")


def test_instructions_list_every_builtin_scale() -> None:
    from sakip_xlsx.description import FREE_SHEET_INSTRUCTIONS
    from sakip_xlsx.grades import BUILTIN_SCALES

    text = "\n".join(FREE_SHEET_INSTRUCTIONS)
    for name, bands in BUILTIN_SCALES.items():
        line = next(line for line in FREE_SHEET_INSTRUCTIONS if f"skala:{name} " in line)
        for band in bands:
            assert f"{band.label} {band.describe()}" in line
    assert "PermenPANRB 14/2017" in text and "AKIP" in text and "skala:predikat" in text
    for form in (
        "Jumlah Seluruh Anggaran",
        "JUMLAH KESELURUHAN",
        "Total Keseluruhan",
        "RATA-RATA TINGKAT KEMAJUAN",
    ):
        assert form in text
    assert "total:rata" in text and "Rumus: kode" in text and "Rp. 1.250.000.000,00" in text


# Ngoro/Jombang 2024, IKM per layanan (seed lines 603-612): respondents L and P per layanan; the
# "Rata-rata" row prints 870 (= L + P) in the L column, the "Jumlah" row the sums 432 and 438.
IKM_L = [271, 51, 38, 19, 32, 21]
IKM_P = [286, 52, 26, 14, 33, 27]


@pytest.mark.parametrize(("l_total", "wrong"), [(432, False), (433, True)])
def test_scoped_total_meaning(l_total: int, wrong: bool) -> None:
    assert (sum(IKM_L), sum(IKM_P), sum(IKM_L) + sum(IKM_P)) == (432, 438, 870)
    rows = [[f"Layanan {n}", lk, pr] for n, (lk, pr) in enumerate(zip(IKM_L, IKM_P, strict=True), 1)]
    rows += [["Rata-rata", 870, ""], ["Jumlah", l_total, 438]]
    g = grid(["Tabel IKM"], ["Layanan", "L", "P"], ["Rumus", "rata:abaikan", ""], *rows)
    _, found = run(g)
    assert errors(found) == (["B11"] if wrong else [])
    if wrong:
        assert by_cell(found)["B11"].expected == sum(IKM_L)
    # without the rule the 870 is taken for a mean of the L column
    g[2] = ["Rumus", "", ""]
    _, found = run(g)
    assert by_cell(found, "error")["B10"].expected == pytest.approx(sum(IKM_L) / 6, abs=1e-6)
