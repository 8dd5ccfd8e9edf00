"""End to end on the committed samples: `sakip-xlsx check --format json` finds each
report's real wrong figures, by cell and field, and raises no error on the rest.

Expected values are computed here with plain arithmetic from the figures printed in
the seed reports (../shared/seeds), independently of the package.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import column_of

from sakip_xlsx.freetables import FIRST_TABLE_ROW

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def check_json(name: str) -> tuple[int, dict]:
    completed = subprocess.run(
        [sys.executable, "-m", "sakip_xlsx.cli", "check", "--format", "json", str(SAMPLES / f"{name}.xlsx")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in completed.stderr
    return completed.returncode, json.loads(completed.stdout)["files"][0]


def at(table: str, field: str, row: int) -> tuple[str, str]:
    """(sheet, cell) of a table field on an Excel row, from the schema (letters follow the description)."""
    sheets = {"anggaran": "Anggaran", "indikator": "Indikator", "pk_anggaran": "PK Anggaran"}
    return sheets[table], f"{column_of(table, field)}{row}"


def tb(cell: str) -> str:
    """A free-table cell as laid out when the sheet's instructions took 7 rows (first table on row 9)."""
    letters = cell.rstrip("0123456789")
    return f"{letters}{int(cell[len(letters) :]) + FIRST_TABLE_ROW - 9}"


def key(code: str, table: str, field: str, row: int) -> tuple[str, str, str, str]:
    sheet, cell = at(table, field, row)
    return (code, sheet, cell, field)


# Kragan / Rembang 2021, LAPORAN REALISASI ANGGARAN (Program I and II) and Tabel III.1-III.4
KRAGAN_P1_PAGU = 14_060_000 + 1_991_620_000 + 67_500_000 + 182_896_425 + 207_540_000 + 170_240_000
KRAGAN_P1_REAL = 9_430_000 + 1_991_620_000 + 67_500_000 + 180_704_600 + 198_005_321 + 163_476_850
KRAGAN_P2_PAGU = 5_072_550 + 25_059_325
KRAGAN_P2_REAL = 5_069_300 + 24_464_600
KRAGAN_PAGU = KRAGAN_P1_PAGU + KRAGAN_P2_PAGU + 23_724_000 + 26_100_000 + 25_200_000
KRAGAN_REAL = KRAGAN_P1_REAL + KRAGAN_P2_REAL + 20_824_000 + 25_830_000 + 25_199_300

KRAGAN = {
    # (code, sheet, cell, field): (stated, expected)
    key("sum-mismatch", "anggaran", "pagu", 4): (503_858_200, KRAGAN_P1_PAGU),
    key("sum-mismatch", "anggaran", "realisasi", 4): (495_416_225, KRAGAN_P1_REAL),
    key("sum-mismatch", "anggaran", "realisasi", 11): (30_127_900, KRAGAN_P2_REAL),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 4): (98.82, KRAGAN_P1_REAL / KRAGAN_P1_PAGU * 100),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 11): (
        99.99,
        KRAGAN_P2_REAL / KRAGAN_P2_PAGU * 100,
    ),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 13): (100.0, 24_464_600 / 25_059_325 * 100),
    key("difference-mismatch", "anggaran", "selisih_dilaporkan", 4): (
        8_441_975,
        KRAGAN_P1_PAGU - KRAGAN_P1_REAL,
    ),
    key("difference-mismatch", "anggaran", "selisih_dilaporkan", 11): (
        3_975,
        KRAGAN_P2_PAGU - KRAGAN_P2_REAL,
    ),
    # "capaian s/d" printed as target / realisasi: 95 / 98,32 etc.
    key("ratio-mismatch", "indikator", "kemajuan_dilaporkan", 4): (96.62, 98.32 / 95 * 100),
    key("ratio-mismatch", "indikator", "kemajuan_dilaporkan", 5): (95.01, 99.99 / 95 * 100),
    key("ratio-mismatch", "indikator", "kemajuan_dilaporkan", 6): (95.0, 100 / 95 * 100),
    key("ratio-mismatch", "indikator", "kemajuan_dilaporkan", 7): (127.29, 78.56 / 100 * 100),
    ("total-mismatch", "Ringkasan", "B3", "total_pagu_dilaporkan"): (2_739_149_000, KRAGAN_PAGU),
    ("total-mismatch", "Ringkasan", "B4", "total_realisasi_dilaporkan"): (2_437_383_089, KRAGAN_REAL),
    ("difference-mismatch", "Ringkasan", "B6", "sisa_anggaran_dilaporkan"): (
        301_765_911,
        KRAGAN_PAGU - KRAGAN_REAL,
    ),
    ("ratio-mismatch", "Ringkasan", "B5", "persen_serapan_dilaporkan"): (
        88.98,
        KRAGAN_REAL / KRAGAN_PAGU * 100,
    ),
    # PK budgets against the DPA pagu of the same program
    key("pk-budget-mismatch", "pk_anggaran", "anggaran", 4): (2_741_121_350, KRAGAN_P1_PAGU),
    key("pk-budget-mismatch", "pk_anggaran", "anggaran", 5): (66_479_350, 23_724_000),
    key("pk-budget-mismatch", "pk_anggaran", "anggaran", 7): (95_920_000, 25_200_000),
    key("pk-budget-mismatch", "pk_anggaran", "anggaran", 8): (52_500_000, 26_100_000),
}

# Ngoro / Mojokerto 2021 (capaian capped at 100)
MOJO_P1_PAGU = 3_961_741_788 - 21_249_110  # the printed program total exceeds its sub kegiatan by 21.249.110
MOJO_P1_REAL = 3_164_792_263 - 21_920_000
MOJOKERTO = {
    key("sum-mismatch", "anggaran", "pagu", 4): (3_961_741_788, MOJO_P1_PAGU),
    key("sum-mismatch", "anggaran", "realisasi", 4): (3_164_792_263, MOJO_P1_REAL),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 4): (95.47, MOJO_P1_REAL / MOJO_P1_PAGU * 100),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 7): (82.67, 2_999_700 / 3_000_000 * 100),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 34): (97.09, 96_746_724 / 100_000_000 * 100),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 42): (99.63, 86_811_600 / 87_000_000 * 100),
    ("total-mismatch", "Ringkasan", "B3", "total_pagu_dilaporkan"): (
        4_242_421_788,
        4_242_421_788 - 21_249_110,
    ),
    ("total-mismatch", "Ringkasan", "B4", "total_realisasi_dilaporkan"): (
        3_441_896_392,
        3_441_896_392 - 21_920_000,
    ),
    ("ratio-mismatch", "Ringkasan", "B5", "persen_serapan_dilaporkan"): (
        81.13,
        (3_441_896_392 - 21_920_000) / (4_242_421_788 - 21_249_110) * 100,
    ),
    # Tabel 3.7: efisiensi = capaian (capped 100) - serapan of the indicator's programs
    key("difference-mismatch", "indikator", "efisiensi_dilaporkan", 4): (1.29, None),
    key("difference-mismatch", "indikator", "efisiensi_dilaporkan", 5): (5.36, None),
    key("pk-budget-mismatch", "pk_anggaran", "anggaran", 9): (3_961_741_788, MOJO_P1_PAGU),
}

# Ngoro / Jombang 2024
JOMBANG_ADM_UMUM = None  # Σ of its six sub kegiatan, checked through the stated-vs-expected difference below
JOMBANG = {
    key("sum-mismatch", "anggaran", "realisasi", 12): (71_636_200, 74_101_968),
    key("sum-mismatch", "anggaran", "realisasi", 4): (2_750_979_428, 2_750_979_428 - 9_600_000),
    key("ratio-mismatch", "anggaran", "persen_dilaporkan", 4): (
        95.59,
        (2_750_979_428 - 9_600_000) / 2_877_788_648 * 100,
    ),
    ("total-mismatch", "Ringkasan", "B4", "total_realisasi_dilaporkan"): (
        2_936_629_428,
        2_936_629_428 - 9_600_000,
    ),
    ("ratio-mismatch", "Ringkasan", "B5", "persen_serapan_dilaporkan"): (
        95.86,
        (2_936_629_428 - 9_600_000) / 3_063_438_648 * 100,
    ),
    ("difference-mismatch", "Ringkasan", "B6", "sisa_anggaran_dilaporkan"): (
        126_809_218,
        3_063_438_648 - (2_936_629_428 - 9_600_000),
    ),
    # PK 2.877.788.646 against the DPA pagu 2.877.788.648
    key("pk-budget-mismatch", "pk_anggaran", "anggaran", 4): (2_877_788_646, 2_877_788_648),
}


# ---------------------------------------------------------------------------
# SPEC section 11: citations (Kutipan), free tables (Tabel Bebas), Renstra matrix
# ---------------------------------------------------------------------------
KRAGAN_MEAN_CAPAIAN = (98.32 + 99.99 + 100 + 78.56) / 4
KRAGAN_EXTRA = {
    # the narrative's "capaian akhir Renstra" against realisasi / target akhir Renstra
    ("citation-mismatch", "Kutipan", "D13", "nilai"): (96.37, 98.32 / 95 * 100),
    ("citation-mismatch", "Kutipan", "D18", "nilai"): (95.01, 99.99 / 95 * 100),
    ("citation-mismatch", "Kutipan", "D22", "nilai"): (93.6, 100.0),  # narrative capaian IK3 vs Tabel III.3
    ("citation-mismatch", "Kutipan", "D23", "nilai"): (98.53, 100 / 95 * 100),
    ("citation-mismatch", "Kutipan", "D28", "nilai"): (127.29, 78.56),
    # the LRA's Jumlah row and the narrative against the sum of the programs
    ("citation-mismatch", "Kutipan", "D34", "nilai"): (2_739_149_000, KRAGAN_PAGU),
    ("citation-mismatch", "Kutipan", "D35", "nilai"): (2_063_833_435, KRAGAN_REAL),
    ("citation-mismatch", "Kutipan", "D36", "nilai"): (88.98, KRAGAN_REAL / KRAGAN_PAGU * 100),
    ("citation-mismatch", "Kutipan", "D38", "nilai"): (9, 6 + 2 + 2 + 1 + 2),  # "5 Program dan 9 kegiatan"
    ("citation-mismatch", "Kutipan", "D39", "nilai"): (88.98, KRAGAN_MEAN_CAPAIAN),  # PPS "88,98 %"
    ("citation-mismatch", "Kutipan", "D40", "nilai"): (2_739_149_000, KRAGAN_PAGU),
    ("citation-mismatch", "Kutipan", "D41", "nilai"): (2_437_383_089, KRAGAN_REAL),
    # Tabel E.2: each official counted once per breakdown (education = sex = eselon = golongan)
    ("sum-mismatch", "Tabel Bebas", tb("C12"), "SUM(C:F)=SUM(G:H)=SUM(I:L)=SUM(M:O)"): (1 + 1, 1 + 0),
    ("sum-mismatch", "Tabel Bebas", tb("C14"), "SUM(C:F)=SUM(G:H)=SUM(I:L)=SUM(M:O)"): (1 + 4, 2 + 2),
    ("sum-mismatch", "Tabel Bebas", tb("C15"), "SUM(C:F)=SUM(G:H)=SUM(I:L)=SUM(M:O)"): (1 + 1 + 1, 0 + 2),
    ("sum-mismatch", "Tabel Bebas", tb("C16"), "SUM(C:F)=SUM(G:H)=SUM(I:L)=SUM(M:O)"): (3 + 7 + 1, 4 + 4),
    # Tabel E.3: 22 staff by education, 19 by sex
    ("sum-mismatch", "Tabel Bebas", tb("E21"), "SUM(C:D)=SUM(E:I)"): (3 + 10 + 9, 12 + 7),
    ("sum-mismatch", "Tabel Bebas", tb("E22"), "SUM(C:D)=SUM(E:I)"): (3 + 10 + 9, 12 + 7),
}
KRAGAN.update(KRAGAN_EXTRA)

MOJO_PAGU = 4_242_421_788 - 21_249_110
MOJO_REAL = 3_441_896_392 - 21_920_000
MOJO_TOTALS = (86_456, 87_736, 89_844, 85_591, 86_669, 83_017)  # Tabel 1.2, 2016-2021
MOJO_MEAN_GROWTH = sum((b - a) / a * 100 for a, b in zip(MOJO_TOTALS, MOJO_TOTALS[1:], strict=False)) / 5
MOJOKERTO_EXTRA = {
    # Rencana Kinerja Tahunan: a kegiatan pagu that is not the sum of its lines (the program total D6
    # follows it, see MOJOKERTO_CONSEQUENCES; Administrasi Umum 190.000.000 is right: its sub
    # kegiatan "Instalansi" is the Anggaran's "Instalasi")
    ("sum-mismatch", "Renstra", "D23", "pagu"): (40_000_000, 40_000_000 + 26_808_960),
    ("sum-mismatch", "Renstra", "D6", "pagu"): (3_753_334_813, 3_753_334_813 + 26_808_960),
    ("citation-mismatch", "Kutipan", "D4", "nilai"): (4_242_421_788, MOJO_PAGU),
    ("citation-mismatch", "Kutipan", "D5", "nilai"): (3_441_896_392, MOJO_REAL),
    ("citation-mismatch", "Kutipan", "D6", "nilai"): (81.13, MOJO_REAL / MOJO_PAGU * 100),
    ("citation-mismatch", "Kutipan", "D18", "nilai"): (99, 100.0),  # narrative capaian IK1; capped at 100
    ("citation-mismatch", "Kutipan", "D19", "nilai"): (90, 100.0),  # capped at 100 (94,65 / 94,65 ...)
    ("citation-mismatch", "Kutipan", "D21", "nilai"): (95, 98.71),
    ("citation-mismatch", "Kutipan", "D27", "nilai"): (95.34, 94.65),
    ("citation-mismatch", "Kutipan", "D28", "nilai"): (35_000_000, 22_680_000),  # the old IK1 budget
    ("citation-mismatch", "Kutipan", "D29", "nilai"): (0.83, 22_680_000 / MOJO_PAGU * 100),
    ("citation-mismatch", "Kutipan", "D31", "nilai"): (6.08, None),
    ("citation-mismatch", "Kutipan", "D32", "nilai"): (83, 81),
    ("citation-mismatch", "Kutipan", "D47", "nilai"): (97.09, 96_746_724 / 100_000_000 * 100),
    ("citation-mismatch", "Kutipan", "D53", "nilai"): (99.63, 86_811_600 / 87_000_000 * 100),
    ("citation-mismatch", "Kutipan", "D55", "nilai"): (98.71, 22_671_547 / 22_680_000 * 100),
    ("citation-mismatch", "Kutipan", "D57", "nilai"): (94.64, None),
    # Tabel 3.8 against Tabel 1.2 (population 2020 and 2021)
    ("citation-mismatch", "Kutipan", "D59", "nilai"): (43_466, 43_391),
    ("citation-mismatch", "Kutipan", "D60", "nilai"): (42_016, 43_278),
    ("citation-mismatch", "Kutipan", "D61", "nilai"): (85_482, 43_391 + 43_278),
    ("citation-mismatch", "Kutipan", "D62", "nilai"): (44_398, 41_553),
    ("citation-mismatch", "Kutipan", "D63", "nilai"): (43_369, 41_464),
    ("citation-mismatch", "Kutipan", "D64", "nilai"): (87_767, 41_553 + 41_464),
    # the narrative's "pertumbuhan penduduk rata-rata dalam 6 tahun terakhir 1,62 %" against Tabel 1.2:
    # the mean of the yearly rates 2016-2021 (-0,76; the geometric rate -0,81 would be right too)
    ("citation-mismatch", "Kutipan", "D65", "nilai"): (1.62, MOJO_MEAN_GROWTH),
    # Tabel 1.1 luas per desa: 60,56 printed, the desa sum 62,58; PBB % = realisasi / target
    ("sum-mismatch", "Tabel Bebas", tb("D31"), "Luas Daerah*) (Km2)"): (60.56, 62.58),
    ("ratio-mismatch", "Tabel Bebas", tb("E62"), "%"): (76.54, None),
    ("ratio-mismatch", "Tabel Bebas", tb("E64"), "%"): (70.29, None),
}
MOJOKERTO.update(MOJOKERTO_EXTRA)

JOMBANG_REAL = 2_936_629_428 - 9_600_000
JOMBANG_SERAPAN = JOMBANG_REAL / 3_063_438_648 * 100
JOMBANG_P1_SERAPAN = (2_750_979_428 - 9_600_000) / 2_877_788_648 * 100
JOMBANG_EXTRA = {
    ("citation-mismatch", "Kutipan", "D189", "nilai"): (96.7, 94.48),  # PATEN realisasi printed as its target
    ("citation-mismatch", "Kutipan", "D194", "nilai"): (96.7, 94.48),
    ("citation-mismatch", "Kutipan", "D199", "nilai"): (6, 2),  # "6 indikator"; the PK holds 2
    ("citation-mismatch", "Kutipan", "D201", "nilai"): (12, 11),  # "12 kegiatan": the budget table has 11
    ("citation-mismatch", "Kutipan", "D202", "nilai"): (25, 24),  # "25 sub kegiatan": 24 in the table
    **{
        ("citation-mismatch", "Kutipan", f"D{row}", "nilai"): (2_750_979_428, 2_750_979_428 - 9_600_000)
        for row in (213, 237, 268)
    },
    **{
        ("citation-mismatch", "Kutipan", f"D{row}", "nilai"): (95.59, JOMBANG_P1_SERAPAN)
        for row in (214, 228, 238, 269, 301, 309)
    },
    **{
        ("citation-mismatch", "Kutipan", f"D{row}", "nilai"): (2_936_629_428, JOMBANG_REAL)
        for row in (223, 312)
    },
    **{
        ("citation-mismatch", "Kutipan", f"D{row}", "nilai"): (95.86, JOMBANG_SERAPAN)
        for row in (224, 225, 299, 305, 308, 313, 314)
    },
    # Tabel 3.2 "Tidak mencapai target -" (none): IK1 80,15 against 81 is below its target
    ("citation-mismatch", "Kutipan", "D379", "nilai"): (
        0,
        sum(r / t < 1 for r, t in ((80.15, 81), (8.54, 8.22))),
    ),
    # SAKIP components: %Capaian = nilai / bobot; TOTAL of Evaluasi Lapangan
    ("ratio-mismatch", "Tabel Bebas", tb("G13"), "%Capaian (Bobot)"): (72.46, 21.746 / 30 * 100),
    ("sum-mismatch", "Tabel Bebas", tb("D16"), "Evaluasi Lapangan"): (80.74, 16.65 + 13.13 + 11.09),
    # Tabel 3.14 TOTAL tingkat efisiensi: mean capaian of the IKU minus the total serapan (issue 17 item 7)
    ("citation-mismatch", "Kutipan", "D306", "nilai"): (
        3.9,
        (80.15 / 81 * 100 + 8.54 / 8.22 * 100) / 2 - JOMBANG_SERAPAN,
    ),
    # IPP: the narrative's 3,68 typed as an explicit total row under the aspect table; the aspects sum to 3,27
    ("sum-mismatch", "Tabel Bebas", tb("D40"), "Nilai Aspek"): (
        3.68,
        0.71 + 0.85 + 0.65 + 0.37 + 0.33 + 0.36,
    ),
    # renamed total rows at the foot of a table (issue 17 item 3): Tabel 3.7 "RATA-RATA TINGKAT
    # KEMAJUAN" 101,24 for the mean of its 7 rows; Tabel 3.17 "RATA - RATA CAPAIAN IKU" 96,67 (digits
    # swapped), its pooled % ketersediaan (Σ 14 / Σ 47) and the mean efisiensi SDM of its rows
    ("sum-mismatch", "Tabel Bebas", tb("F82"), "Tingkat Kemajuan"): (101.24, (6 * 100 + 110.5) / 7),
    ("sum-mismatch", "Tabel Bebas", tb("E113"), "Persentase Capaian"): (96.67, (6 * 100 + 97.7) / 7),
    ("ratio-mismatch", "Tabel Bebas", tb("H113"), "% Ketersediaan SDM"): (
        32.5,
        (5 + 2 + 1 + 3 + 1 + 2) / (18 + 7 + 4 + 7 + 4 + 7) * 100,
    ),
    ("sum-mismatch", "Tabel Bebas", tb("I113"), "Efisiensi SDM"): (
        64.17,
        (72.22 + 69.13 + 75 + 57.14 + 75 + 71.43) / 6,
    ),
}
JOMBANG.update(JOMBANG_EXTRA)


def _ikm_layanan() -> int:
    """The layanan rows typed for Jombang's IKM table (seed lines 605-614): rows with figures, without the
    mean and sum rows ("Nilai rata-rata per unsur 6", "Total layanan - 6") and the "Kecamatan Ngoro" heading."""
    data = json.loads((SAMPLES / "data" / "ngoro-jombang-2024.json").read_text("utf-8"))
    table = next(
        t for t in data["extra"]["tabel_bebas"] if t["judul"].startswith("Indeks Kepuasan Masyarakat")
    )
    return sum(
        1
        for row in table["rows"]
        if row[1] not in ("Rata-rata", "Jumlah") and any(str(v).strip() for v in row[2:])
    )


# "IKM ... 97,17 dari 5 jenis layanan" (seed lines 601 and 1315, added in session 4): the table lists 6
JOMBANG.update(
    {("citation-mismatch", "Kutipan", f"D{row}", "nilai"): (5, _ikm_layanan()) for row in (382, 383)}
)


# ---------------------------------------------------------------------------
# SPEC 7 root cause: figures computed from a wrong typed figure are its consequences
# ---------------------------------------------------------------------------
# Each entry: the figure, the value it has when computed from the typed figures (arithmetic
# on the printed report: it equals the stated figure at its decimals, so it is right *as
# printed*), the ground value (from the lowest level) and the root error it follows.
# (sheet, cell): (stated, as printed, ground, root "Sheet!A1")
K_I4, K_J4, K_J11 = "Anggaran!I4", "Anggaran!J4", "Anggaran!J11"
KRAGAN_CONSEQUENCES = {
    # selisih of program I = its typed pagu − its typed realisasi
    at("anggaran", "selisih_dilaporkan", 4): (
        8_441_975,
        503_858_200 - 495_416_225,
        KRAGAN_P1_PAGU - KRAGAN_P1_REAL,
        K_I4,
    ),
    # program II: typed realisasi 30.127.900 over pagu 5.072.550 + 25.059.325
    at("anggaran", "persen_dilaporkan", 11): (
        99.99,
        30_127_900 / KRAGAN_P2_PAGU * 100,
        KRAGAN_P2_REAL / KRAGAN_P2_PAGU * 100,
        K_J11,
    ),
    at("anggaran", "selisih_dilaporkan", 11): (
        3_975,
        KRAGAN_P2_PAGU - 30_127_900,
        KRAGAN_P2_PAGU - KRAGAN_P2_REAL,
        K_J11,
    ),
    # Ringkasan sisa and serapan from its own typed totals 2.739.149.000 and 2.437.383.089
    ("Ringkasan", "B6"): (
        301_765_911,
        2_739_149_000 - 2_437_383_089,
        KRAGAN_PAGU - KRAGAN_REAL,
        "Ringkasan!B3",
    ),
    ("Ringkasan", "B5"): (
        88.98,
        2_437_383_089 / 2_739_149_000 * 100,
        KRAGAN_REAL / KRAGAN_PAGU * 100,
        "Ringkasan!B3",
    ),
    # citations repeating a wrong printed figure
    ("Kutipan", "D18"): (95.01, 95.01, 99.99 / 95 * 100, "Indikator!U5"),  # = kemajuan IK2 in Tabel III
    ("Kutipan", "D28"): (127.29, 127.29, 78.56, "Indikator!U7"),  # = kemajuan IK4
    ("Kutipan", "D34"): (2_739_149_000, 2_739_149_000, KRAGAN_PAGU, "Ringkasan!B3"),
    ("Kutipan", "D40"): (2_739_149_000, 2_739_149_000, KRAGAN_PAGU, "Ringkasan!B3"),
    ("Kutipan", "D36"): (
        88.98,
        2_437_383_089 / 2_739_149_000 * 100,
        KRAGAN_REAL / KRAGAN_PAGU * 100,
        "Ringkasan!B3",
    ),
    ("Kutipan", "D41"): (2_437_383_089, 2_437_383_089, KRAGAN_REAL, "Ringkasan!B4"),
    # Tabel E.2 / E.3 Jumlah rows: each column total is right; their breakdowns differ only by the
    # data rows' double counts (Camat 2 vs 1, Kasi 5 vs 4, Kasubag 3 vs 2; Kecamatan Kragan 22 vs 19)
    ("Tabel Bebas", tb("C16")): (11, 8 + (2 - 1) + (5 - 4) + (3 - 2), 8, f"Tabel Bebas!{tb('C12')}"),
    ("Tabel Bebas", tb("E22")): (22, 19 + (22 - 19), 19, f"Tabel Bebas!{tb('E21')}"),
}

M_I4, M_J4 = "Anggaran!I4", "Anggaran!J4"
MOJO_OTHER_PAGU = 4_242_421_788 - 3_961_741_788  # Σ of the other four programs (Tabel 3.9)
MOJO_OTHER_REAL = 3_441_896_392 - 3_164_792_263
# Rencana Kinerja Tahunan program 1: its kegiatan as typed (Perencanaan, Adm. Keuangan, Kepegawaian,
# Adm. Umum, Jasa Penunjang, Pemeliharaan)
MOJO_RKT_P1 = 6_000_000 + 3_404_334_813 + 20_000_000 + 190_000_000 + 40_000_000 + 93_000_000
MOJOKERTO_CONSEQUENCES = {
    # the Ringkasan totals are the Σ of the typed program rows (program I typed 21.249.110 too high)
    ("Ringkasan", "B3"): (4_242_421_788, 3_961_741_788 + MOJO_OTHER_PAGU, MOJO_PAGU, M_I4),
    ("Ringkasan", "B4"): (3_441_896_392, 3_164_792_263 + MOJO_OTHER_REAL, MOJO_REAL, M_J4),
    ("Ringkasan", "B5"): (81.13, 3_441_896_392 / 4_242_421_788 * 100, MOJO_REAL / MOJO_PAGU * 100, M_I4),
    # PK perubahan copies the typed program pagu
    at("pk_anggaran", "anggaran", 9): (3_961_741_788, 3_961_741_788, MOJO_P1_PAGU, M_I4),
    ("Kutipan", "D4"): (4_242_421_788, 4_242_421_788, MOJO_PAGU, M_I4),
    ("Kutipan", "D5"): (3_441_896_392, 3_441_896_392, MOJO_REAL, M_J4),
    ("Kutipan", "D6"): (81.13, 3_441_896_392 / 4_242_421_788 * 100, MOJO_REAL / MOJO_PAGU * 100, M_I4),
    # Tabel 3.6 repeats the (wrong) serapan of Tabel 3.9
    ("Kutipan", "D47"): (97.09, 97.09, 96_746_724 / 100_000_000 * 100, "Anggaran!M34"),
    ("Kutipan", "D53"): (99.63, 99.63, 86_811_600 / 87_000_000 * 100, "Anggaran!M42"),
    # Tabel 3.5: IK2's share 258.000.000 (programs 3-5) of the typed total pagu (errors.md: correct as printed)
    ("Kutipan", "D31"): (6.08, 258_000_000 / 4_242_421_788 * 100, 258_000_000 / MOJO_PAGU * 100, M_I4),
    # Rencana Kinerja Tahunan: program 1 = Σ of its typed kegiatan, one of which (Jasa Penunjang
    # 40.000.000) leaves out its sub kegiatan 26.808.960
    ("Renstra", "D6"): (3_753_334_813, MOJO_RKT_P1, MOJO_RKT_P1 + 26_808_960, "Renstra!D23"),
    # Tabel 3.7: efisiensi = capaian 100 − the serapan printed beside it in the same table (98,71 /
    # 94,64: the realisasi kinerja copied into the serapan column, errors at those citations)
    at("indikator", "efisiensi_dilaporkan", 4): (
        1.29,
        100 - 98.71,
        100 - 22_671_547 / 22_680_000 * 100,
        "Kutipan!D55",
    ),
    at("indikator", "efisiensi_dilaporkan", 5): (
        5.36,
        100 - 94.64,
        100 - (96_746_724 + 70_874_258 + 86_811_600) / (100_000_000 + 71_000_000 + 87_000_000) * 100,
        "Kutipan!D57",
    ),
}

J_J4 = "Anggaran!J4"
JOMBANG_TYPED_REAL = 2_750_979_428 + 7_195_000 + 90_895_000 + 21_515_000 + 14_390_000 + 51_655_000
JOMBANG_CONSEQUENCES = {
    # program Penunjang: 95,59 = its typed realisasi / pagu (the seed lists it as correct as printed)
    at("anggaran", "persen_dilaporkan", 4): (
        95.59,
        2_750_979_428 / 2_877_788_648 * 100,
        JOMBANG_P1_SERAPAN,
        J_J4,
    ),
    ("Ringkasan", "B4"): (2_936_629_428, JOMBANG_TYPED_REAL, JOMBANG_REAL, J_J4),
    ("Ringkasan", "B5"): (95.86, JOMBANG_TYPED_REAL / 3_063_438_648 * 100, JOMBANG_SERAPAN, J_J4),
    **{
        ("Kutipan", f"D{row}"): (2_750_979_428, 2_750_979_428, 2_750_979_428 - 9_600_000, J_J4)
        for row in (213, 237, 268)
    },
    **{
        ("Kutipan", f"D{row}"): (95.59, 2_750_979_428 / 2_877_788_648 * 100, JOMBANG_P1_SERAPAN, J_J4)
        for row in (214, 228, 238, 269, 301, 309)
    },
    **{("Kutipan", f"D{row}"): (2_936_629_428, JOMBANG_TYPED_REAL, JOMBANG_REAL, J_J4) for row in (223, 312)},
    **{
        ("Kutipan", f"D{row}"): (95.86, JOMBANG_TYPED_REAL / 3_063_438_648 * 100, JOMBANG_SERAPAN, J_J4)
        for row in (224, 225, 299, 305, 308, 313, 314)
    },
}
CONSEQUENCES = {
    "kragan-rembang-2021": KRAGAN_CONSEQUENCES,
    "ngoro-mojokerto-2021": MOJOKERTO_CONSEQUENCES,
    "ngoro-jombang-2024": JOMBANG_CONSEQUENCES,
}
# a consequence is no error: take it out of the errors expected before the rule
for _expected, _consequences in (
    (KRAGAN, KRAGAN_CONSEQUENCES),
    (MOJOKERTO, MOJOKERTO_CONSEQUENCES),
    (JOMBANG, JOMBANG_CONSEQUENCES),
):
    for _key in [k for k in _expected if (k[1], k[2]) in _consequences]:
        del _expected[_key]


@pytest.mark.parametrize("name", sorted(CONSEQUENCES))
def test_seed_samples_link_consequences_to_their_root(name: str) -> None:
    """A figure right as printed (computed from a wrong typed figure) is a follows-root warning
    naming its root error and the value after the fix; the root lists it among its consequences."""
    _, report = check_json(name)
    by_cell = {(f["sheet"], f["cell"]): f for f in report["findings"] if f["code"] == "follows-root"}
    roots = {f"{f['sheet']}!{f['cell']}": f for f in report["findings"] if f["severity"] == "error"}
    for where, (stated, as_printed, ground, root) in CONSEQUENCES[name].items():
        # right as printed: the stated figure is the value from the typed figures, at its decimals
        decimals = 0 if float(stated).is_integer() and abs(stated) > 1000 else 2
        assert round(as_printed, decimals) == pytest.approx(stated), where
        found = by_cell[where]
        assert found["severity"] == "warning", where
        assert found["stated"] == pytest.approx(stated), where
        assert found["expected"] == pytest.approx(ground, abs=1e-6), where
        assert found["caused_by"] == root, where
        assert f"{where[0]}!{where[1]}" in roots[root]["consequences"], where


@pytest.mark.parametrize(
    "name, expected",
    [("kragan-rembang-2021", KRAGAN), ("ngoro-mojokerto-2021", MOJOKERTO), ("ngoro-jombang-2024", JOMBANG)],
)
def test_seed_samples_report_their_real_errors(name: str, expected: dict) -> None:
    code, report = check_json(name)
    assert code == 1
    assert report["ok"] is False
    errors = {
        (f["code"], f["sheet"], f["cell"], f["field"]): f
        for f in report["findings"]
        if f["severity"] == "error"
    }
    # every known wrong figure is found, and nothing else is called an error
    assert set(errors) == set(expected)
    for key, (stated, value) in expected.items():
        found = errors[key]
        assert found["stated"] == pytest.approx(stated), key
        if value is not None:
            assert found["expected"] == pytest.approx(value, abs=1e-6), key
            assert found["difference"] == pytest.approx(stated - value, abs=1e-5), key
        assert found["cell"] in found["message"]
    assert report["summary"]["error"] == len(expected)


def test_kragan_hints_name_the_slips() -> None:
    _, report = check_json("kragan-rembang-2021")
    hints = {(f["cell"], f["field"]): f["hint"] for f in report["findings"]}
    for row in (4, 5, 6, 7):
        cell = at("indikator", "kemajuan_dilaporkan", row)[1]
        assert hints[(cell, "kemajuan_dilaporkan")] == "Rasio terbalik: target / realisasi × 100."
    # the program selisih computed from the program's own typed (wrong) pagu is no slip of its own:
    # it follows the typed pagu, and says what it becomes after the fix
    selisih = next(
        f for f in report["findings"] if (f["sheet"], f["cell"]) == at("anggaran", "selisih_dilaporkan", 4)
    )
    assert (selisih["code"], selisih["caused_by"]) == ("follows-root", "Anggaran!I4")
    assert (
        "Anggaran!I4" in selisih["message"] and "23.119.654" in selisih["message"]
    )  # 2.633.856.425 − 2.610.736.771


def test_kragan_correct_capaian_figures_raise_nothing() -> None:
    """Tabel III.1-III.4 capaian (98,32 / 99,99 / 100 / 78,56) are right: no finding on them."""
    _, report = check_json("kragan-rembang-2021")
    flagged = {(f["sheet"], f["cell"]) for f in report["findings"]}
    for row in (4, 5, 6, 7):
        assert at("indikator", "capaian_dilaporkan", row) not in flagged


def test_mojokerto_rounding_is_info_not_error() -> None:
    _, report = check_json("ngoro-mojokerto-2021")
    rounding = {(f["sheet"], f["cell"]) for f in report["findings"] if f["code"] == "rounding"}
    persen = column_of("anggaran", "persen_dilaporkan")
    # serapan printed truncated (or rounded the other way) in the budget table; row 10 is exactly half a
    # unit (4.999.750 / 5.000.000 × 100 = 99,995: half-up 100,00, printed 99,99)
    rows = (10, 15, 30, 32)
    assert rounding == {("Anggaran", f"{persen}{row}") for row in rows}
    assert all(f["severity"] == "info" for f in report["findings"] if f["code"] == "rounding")


def test_jombang_sisa_anggaran_hint_points_at_pk_total() -> None:
    _, report = check_json("ngoro-jombang-2024")
    sisa = next(f for f in report["findings"] if f["field"] == "sisa_anggaran_dilaporkan")
    # 3.063.438.646 (total PK) - 2.936.629.428 (stated realisasi) = 126.809.218, exactly the stated sisa
    assert 3_063_438_646 - 2_936_629_428 == sisa["stated"]
    assert "PK" in sisa["hint"]


def test_clean_sample_passes() -> None:
    code, report = check_json("contoh-bersih")
    assert code == 0
    assert report["ok"] is True
    assert report["summary"] == {"error": 0, "warning": 0, "info": 0}
