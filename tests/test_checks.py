"""Every check in ``CHECKS`` and every input finding of the reader: one case that fires it, one that keeps it quiet.

Workbooks are filled through the published schema (``filled_template``) with
values in the styles staff type them; every expected figure is computed here
with plain Python arithmetic, never taken from the package.  A finding is
asserted field by field: code, severity, sheet, cell, field, row_key, stated,
expected, difference, an Indonesian message naming the cell, and the hint
when the stated value matches a known slip.

The other families of check tests are in test_checks_*.py, test_reader_findings.py,
test_clean_workbook.py, test_known_bugs.py and test_free_table_checks.py (helpers:
check_helpers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from check_helpers import (
    DOKUMEN,
    IDENTITAS,
    UNASSERTED,
    analyse,
    approx,
    assert_message,
    indikator,
    kegiatan,
    program,
    renstra_targets,
    tables,
    where,
)

from sakip_xlsx.checks import CHECKS, run_checks

NO_HINT = "<no hint>"


@dataclass(frozen=True)
class Case:
    """A workbook that makes ``check`` report one finding, and what that finding must say."""

    id: str
    check: str
    tables: dict[str, Any]
    code: str
    severity: str
    at: tuple  # ("cell", field) or (table, field, index)
    row_key: str | None
    stated: Any
    expected: Any
    difference: float | None
    #: substring the hint must contain (case-insensitive); NO_HINT: the hint must be empty; None: not asserted
    hint: str | None = None
    cells: dict[str, Any] = field(default_factory=dict)
    rules: str | None = None


@dataclass(frozen=True)
class Quiet:
    """A workbook on which ``check`` must report nothing at all."""

    id: str
    check: str
    tables: dict[str, Any]
    cells: dict[str, Any] = field(default_factory=dict)
    rules: str | None = None


# Budget with children: program typed, two kegiatan.  Σ pagu 3.000.000, Σ realisasi 2.750.000.
def two_kegiatan(**program_changes: Any) -> list[dict[str, Any]]:
    return [
        program(**program_changes),
        kegiatan("7.01.01.2.01", pagu="1.000.000", realisasi="900.000"),
        kegiatan("7.01.01.2.02", pagu="2.000.000", realisasi="1.850.000"),
    ]


LINKED = [program(indikator_kode="IK1", pagu="1.000.000", realisasi="900.000")]  # serapan 90 %


IK2 = {
    "kode": "IK2",
    "uraian": "Indeks kepuasan masyarakat",
    "satuan": "Indeks",
    "target": "80",
    "realisasi": "84",
}


FIRING: list[Case] = [
    # --- budget-sums: typed parent ≠ Σ children -----------------------------------
    Case(
        "budget-sums/pagu-minus-one-child",
        "budget-sums",
        tables(anggaran=two_kegiatan(pagu="2.000.000")),
        "sum-mismatch",
        "error",
        ("anggaran", "pagu", 0),
        "7.01.01",
        2_000_000,
        1_000_000 + 2_000_000,
        2_000_000 - 3_000_000,
        hint="7.01.01.2.01",
    ),
    Case(
        "budget-sums/realisasi-transposed",
        "budget-sums",
        tables(anggaran=two_kegiatan(realisasi="2.570.000")),
        "sum-mismatch",
        "error",
        ("anggaran", "realisasi", 0),
        "7.01.01",
        2_570_000,
        900_000 + 1_850_000,
        2_570_000 - 2_750_000,
        hint="bertukar",
    ),
    Case(
        "budget-sums/child-counted-twice",
        "budget-sums",
        tables(anggaran=two_kegiatan(pagu="4.000.000")),
        "sum-mismatch",
        "error",
        ("anggaran", "pagu", 0),
        "7.01.01",
        4_000_000,
        3_000_000,
        1_000_000,
        hint="dua kali",
    ),
    # --- budget-ratios: serapan ---------------------------------------------------
    Case(
        "budget-ratios/wrong",
        "budget-ratios",
        tables(anggaran=[program(pagu="1.000.000", realisasi="900.000", persen_dilaporkan="91,00")]),
        "ratio-mismatch",
        "error",
        ("anggaran", "persen_dilaporkan", 0),
        "7.01.01",
        91.0,
        900_000 / 1_000_000 * 100,
        91.0 - 90.0,
        hint=NO_HINT,
    ),
    Case(
        "budget-ratios/inverted",
        "budget-ratios",
        tables(anggaran=[program(pagu="1.000.000", realisasi="900.000", persen_dilaporkan="111,11 %")]),
        "ratio-mismatch",
        "error",
        ("anggaran", "persen_dilaporkan", 0),
        "7.01.01",
        111.11,
        90.0,
        111.11 - 90.0,
        hint="terbalik",
    ),
    # --- budget-differences: selisih ----------------------------------------------
    Case(
        "budget-differences/reversed",
        "budget-differences",
        tables(anggaran=[program(pagu="1.000.000", realisasi="900.000", selisih_dilaporkan="-100.000")]),
        "difference-mismatch",
        "error",
        ("anggaran", "selisih_dilaporkan", 0),
        "7.01.01",
        -100_000,
        1_000_000 - 900_000,
        -100_000 - 100_000,
        hint="terbalik",
    ),
    Case(
        "budget-differences/wrong",
        "budget-differences",
        tables(anggaran=[program(pagu="1.000.000", realisasi="900.000", selisih_dilaporkan="Rp 110.000")]),
        "difference-mismatch",
        "error",
        ("anggaran", "selisih_dilaporkan", 0),
        "7.01.01",
        110_000,
        100_000,
        10_000,
        hint=NO_HINT,
    ),
    # --- budget-capaian: the line's own output indicator ----------------------------
    Case(
        "budget-capaian/inverted",
        "budget-capaian",
        tables(
            anggaran=[
                program(
                    pagu="1.000.000",
                    realisasi="900.000",
                    satuan="Dokumen",
                    target="12",
                    realisasi_kinerja="10",
                    capaian_dilaporkan="120",
                )
            ]
        ),
        "ratio-mismatch",
        "error",
        ("anggaran", "capaian_dilaporkan", 0),
        "7.01.01",
        120.0,
        10 / 12 * 100,
        120 - 10 / 12 * 100,
        hint="terbalik",
    ),
    # --- realisasi-over-pagu ---------------------------------------------------------
    Case(
        "realisasi-over-pagu",
        "realisasi-over-pagu",
        tables(anggaran=[program(pagu="1.000.000", realisasi="1.200.000")]),
        "realisasi-over-pagu",
        "warning",
        ("anggaran", "realisasi", 0),
        "7.01.01",
        1_200_000,
        1_000_000,
        200_000,
    ),
    # --- indikator-capaian -----------------------------------------------------------
    Case(
        "indikator-capaian/off-by-two-hundredths",
        "indikator-capaian",
        tables([indikator(capaian_dilaporkan="98,30")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        98.30,
        98.32 / 100 * 100,
        98.30 - 98.32,
        hint=NO_HINT,
    ),
    Case(
        "indikator-capaian/inverted-T-over-R",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="60", capaian_dilaporkan="133,33")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        133.33,
        60 / 80 * 100,
        133.33 - 75.0,
        hint="terbalik",
    ),
    Case(
        "indikator-capaian/realisasi-copied",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="60", capaian_dilaporkan="60")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        60.0,
        75.0,
        60.0 - 75.0,
        hint="realisasi, bukan capaian",
    ),
    Case(
        "indikator-capaian/difference-R-minus-T",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="60", capaian_dilaporkan="-20")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        -20.0,
        75.0,
        -20.0 - 75.0,
        hint="selisih",
    ),
    Case(
        "indikator-capaian/uncapped-under-mojokerto",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="88", capaian_dilaporkan="110,00")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        110.0,
        min(88 / 80 * 100, 100.0),
        110.0 - 100.0,
        hint="batas",
        rules="mojokerto",
    ),
    Case(
        "indikator-capaian/capped-under-jombang",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="88", capaian_dilaporkan="100,00")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        100.0,
        88 / 80 * 100,
        100.0 - 110.0,
        hint="tidak membatasi",
        rules="jombang",
    ),
    Case(
        "indikator-capaian/neighbouring-year",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="72", realisasi_lalu_1="70", capaian_dilaporkan="70")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        70.0,
        72 / 80 * 100,
        70.0 - 90.0,
        hint="tahun lalu",
    ),
    Case(
        "indikator-capaian/negative-polarity",
        "indikator-capaian",
        tables(
            [
                indikator(
                    satuan="Kali", polaritas="Negatif", target="10", realisasi="8", capaian_dilaporkan="120"
                )
            ]
        ),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        120.0,
        10 / 8 * 100,
        120.0 - 125.0,
        hint=NO_HINT,
    ),
    Case(
        "indikator-capaian/negative-polarity-inverted",
        "indikator-capaian",
        tables(
            [
                indikator(
                    satuan="Kali", polaritas="Negatif", target="10", realisasi="8", capaian_dilaporkan="80"
                )
            ]
        ),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        80.0,
        10 / 8 * 100,
        80.0 - 125.0,
        hint="realisasi / target",
    ),
    Case(
        "indikator-capaian/range-target-below",
        "indikator-capaian",
        tables([indikator(satuan="Nilai", target="60 – 70", realisasi="54", capaian_dilaporkan="77,14")]),
        "ratio-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        77.14,
        54 / 60 * 100,
        77.14 - 90.0,
    ),
    # --- indikator-kemajuan ----------------------------------------------------------
    Case(
        "indikator-kemajuan/inverted",
        "indikator-kemajuan",
        tables([indikator(target_renstra_akhir="95", kemajuan_dilaporkan="96,62")]),
        "ratio-mismatch",
        "error",
        ("indikator", "kemajuan_dilaporkan", 0),
        "IK1",
        96.62,
        98.32 / 95 * 100,
        96.62 - 98.32 / 95 * 100,
        hint="terbalik",
    ),
    # --- indikator-efisiensi ---------------------------------------------------------
    Case(
        "indikator-efisiensi/other-rule",
        "indikator-efisiensi",
        tables([indikator(efisiensi_dilaporkan="10")], anggaran=LINKED),
        "difference-mismatch",
        "error",
        ("indikator", "efisiensi_dilaporkan", 0),
        "IK1",
        10.0,
        98.32 - 90.0,
        10.0 - 8.32,
        hint="100",
    ),
    Case(
        "indikator-efisiensi/rembang",
        "indikator-efisiensi",
        tables([indikator(efisiensi_dilaporkan="8,32")], anggaran=LINKED),
        "difference-mismatch",
        "error",
        ("indikator", "efisiensi_dilaporkan", 0),
        "IK1",
        8.32,
        100 - 90.0,
        8.32 - 10.0,
        hint="capaian",
        rules="rembang",
    ),
    Case(
        "indikator-efisiensi/no-budget-linked",
        "indikator-efisiensi",
        tables([indikator(efisiensi_dilaporkan="8,32")]),
        "no-value",
        "warning",
        ("indikator", "efisiensi_dilaporkan", 0),
        "IK1",
        8.32,
        None,
        None,
    ),
    # --- capaian-plausible -----------------------------------------------------------
    Case(
        "capaian-plausible/above-150",
        "capaian-plausible",
        tables([indikator(target="40", realisasi="98")]),
        "capaian-implausible",
        "warning",
        ("indikator", "realisasi", 0),
        "IK1",
        98.0,
        None,
        None,
    ),
    # --- realisasi-jump --------------------------------------------------------------
    Case(
        "realisasi-jump",
        "realisasi-jump",
        tables([indikator(realisasi_lalu_1="40")]),
        "realisasi-jump",
        "info",
        ("indikator", "realisasi", 0),
        "IK1",
        98.32,
        40.0,
        98.32 - 40,
    ),
    # --- ringkasan-totals ------------------------------------------------------------
    Case(
        "ringkasan-totals/total-pagu",
        "ringkasan-totals",
        tables(),
        "total-mismatch",
        "error",
        ("cell", "total_pagu_dilaporkan"),
        None,
        1_100_000,
        1_000_000,
        100_000,
        cells={"total_pagu_dilaporkan": "Rp 1.100.000"},
    ),
    Case(
        "ringkasan-totals/total-realisasi-transposed",
        "ringkasan-totals",
        tables(anggaran=[program(pagu="3.000.000", realisasi="2.750.000")]),
        "total-mismatch",
        "error",
        ("cell", "total_realisasi_dilaporkan"),
        None,
        2_570_000,
        2_750_000,
        2_570_000 - 2_750_000,
        hint="bertukar",
        cells={"total_realisasi_dilaporkan": "Rp. 2.570.000,-"},
    ),
    Case(
        "ringkasan-totals/serapan-inverted",
        "ringkasan-totals",
        tables(),
        "ratio-mismatch",
        "error",
        ("cell", "persen_serapan_dilaporkan"),
        None,
        111.11,
        90.0,
        111.11 - 90.0,
        hint="terbalik",
        cells={"persen_serapan_dilaporkan": "111,11 %"},
    ),
    Case(
        "ringkasan-totals/sisa",
        "ringkasan-totals",
        tables(),
        "difference-mismatch",
        "error",
        ("cell", "sisa_anggaran_dilaporkan"),
        None,
        150_000,
        1_000_000 - 900_000,
        50_000,
        cells={"sisa_anggaran_dilaporkan": "150.000"},
    ),
    Case(
        "ringkasan-totals/rata-capaian-is-serapan",
        "ringkasan-totals",
        tables(),
        "ratio-mismatch",
        "error",
        ("cell", "rata_capaian_dilaporkan"),
        None,
        90.0,
        98.32,
        90.0 - 98.32,
        hint="serapan",
        cells={"rata_capaian_dilaporkan": "90,00"},
    ),
    Case(
        "ringkasan-totals/total-pk-murni-instead-of-perubahan",
        "ringkasan-totals",
        tables(
            pk_anggaran=[
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "900.000",
                    "versi": "Murni",
                },
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "1.000.000",
                    "versi": "Perubahan",
                },
            ]
        ),
        "total-mismatch",
        "error",
        ("cell", "total_pk_dilaporkan"),
        None,
        900_000,
        1_000_000,
        -100_000,
        hint="murni",
        cells={"total_pk_dilaporkan": "900.000"},
    ),
    # --- pk-vs-dpa -------------------------------------------------------------------
    Case(
        "pk-vs-dpa/murni-only",
        "pk-vs-dpa",
        tables(
            pk_anggaran=[
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "1.100.000",
                    "versi": "Murni",
                }
            ]
        ),
        "pk-budget-mismatch",
        "error",
        ("pk_anggaran", "anggaran", 0),
        UNASSERTED,
        1_100_000,
        1_000_000,
        100_000,
    ),
    Case(
        "pk-vs-dpa/perubahan-compared-murni-skipped",
        "pk-vs-dpa",
        tables(
            pk_anggaran=[
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "1.000.000",
                    "versi": "Murni",
                },
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "950.000",
                    "versi": "Perubahan",
                },
            ]
        ),
        "pk-budget-mismatch",
        "error",
        ("pk_anggaran", "anggaran", 1),
        UNASSERTED,
        950_000,
        1_000_000,
        -50_000,
    ),
    Case(
        "pk-vs-dpa/matched-by-name",
        "pk-vs-dpa",
        tables(
            pk_anggaran=[
                {
                    "program_kode": None,
                    "uraian": "PROGRAM  Penunjang Urusan Pemerintahan",
                    "anggaran": "Rp 1.250.000",
                    "versi": "Murni",
                }
            ]
        ),
        "pk-budget-mismatch",
        "error",
        ("pk_anggaran", "anggaran", 0),
        UNASSERTED,
        1_250_000,
        1_000_000,
        250_000,
    ),
    # --- allocation-shares -----------------------------------------------------------
    Case(
        "allocation-shares/overlap",
        "allocation-shares",
        tables(
            [indikator(), indikator(**IK2)],
            anggaran=[
                program(indikator_kode="IK1"),
                kegiatan("7.01.01.2.01", indikator_kode="IK2", pagu="1.000.000", realisasi="900.000"),
            ],
        ),
        "overlapping-allocation",
        "warning",
        ("anggaran", "indikator_kode", 1),
        "7.01.01.2.01",
        "IK2",
        "IK1",
        None,
    ),
    Case(
        "allocation-shares/over-100",
        "allocation-shares",
        tables(
            [indikator(), indikator(**IK2)],
            anggaran=[
                program("7.01.01", indikator_kode="IK1", pagu="1.000.000", realisasi="900.000"),
                program(
                    "7.01.02", uraian="Program B", indikator_kode="IK2", pagu="500.000", realisasi="400.000"
                ),
                program("7.01.03", uraian="Program C", pagu="-600.000", realisasi="0"),
            ],
        ),
        "share-sum",
        "error",
        None,
        None,
        (1_000_000 + 500_000) / 900_000 * 100,
        100.0,
        (1_500_000 / 900_000 * 100) - 100,
    ),
    # --- penduduk --------------------------------------------------------------------
    Case(
        "penduduk/total-transposed",
        "penduduk",
        tables(
            penduduk=[
                {"tahun": 2024, "laki_laki": "10.250", "perempuan": "10.000", "total_dilaporkan": "20.520"}
            ]
        ),
        "sum-mismatch",
        "error",
        ("penduduk", "total_dilaporkan", 0),
        UNASSERTED,
        20_520,
        10_250 + 10_000,
        20_520 - 20_250,
        hint="bertukar",
    ),
    Case(
        "penduduk/rasio-inverted",
        "penduduk",
        tables(
            penduduk=[
                {"tahun": 2024, "laki_laki": "10.250", "perempuan": "10.000", "rasio_dilaporkan": "97,56"}
            ]
        ),
        "ratio-mismatch",
        "error",
        ("penduduk", "rasio_dilaporkan", 0),
        UNASSERTED,
        97.56,
        10_250 / 10_000 * 100,
        97.56 - 102.5,
        hint="terbalik",
    ),
]


# --- section 11: program analysis, Renstra matrix, citations, labels ------------------------
ANALYSED = dict(
    pagu="1.000.000",
    realisasi="900.000",
    satuan="Dokumen",
    target="12",
    realisasi_kinerja="10",
    target_renstra_akhir="20",
)  # capaian 83,33 %, serapan 90 %, kemajuan 50 %


TWO_KEGIATAN_2023 = [
    {"kode": "7.01.01", "tahun": 2023, "pagu": "3.000.000"},
    {"kode": "7.01.01.2.01", "tahun": 2023, "pagu": "1.000.000"},
    {"kode": "7.01.01.2.02", "tahun": 2023, "pagu": "1.500.000"},
]


FIRING += [
    Case(
        "program-analysis/kemajuan-inverted",
        "program-analysis",
        tables(anggaran=[program(**ANALYSED, kemajuan_dilaporkan="200")]),
        "ratio-mismatch",
        "error",
        ("anggaran", "kemajuan_dilaporkan", 0),
        "7.01.01",
        200.0,
        10 / 20 * 100,
        200 - 50.0,
        hint="terbalik",
    ),
    Case(
        "program-analysis/efisiensi",
        "program-analysis",
        tables(anggaran=[program(**ANALYSED, efisiensi_dilaporkan="6,67")]),
        "difference-mismatch",
        "error",
        ("anggaran", "efisiensi_dilaporkan", 0),
        "7.01.01",
        6.67,
        10 / 12 * 100 - 90,
        6.67 - (10 / 12 * 100 - 90),
    ),
    Case(
        "renstra/pagu-per-year",
        "renstra",
        tables(anggaran=two_kegiatan(), renstra=TWO_KEGIATAN_2023),
        "sum-mismatch",
        "error",
        ("renstra", "pagu", 0),
        "7.01.01",
        3_000_000,
        1_000_000 + 1_500_000,
        500_000,
    ),
    Case(
        "renstra/pagu-akhir",
        "renstra",
        tables(
            anggaran=two_kegiatan(),
            renstra=[
                {"kode": "7.01.01", "tahun": 2022, "pagu": "2.000.000"},
                {"kode": "7.01.01", "tahun": 2023, "pagu": "2.000.000", "pagu_akhir_dilaporkan": "4.500.000"},
            ],
        ),
        "sum-mismatch",
        "error",
        ("renstra", "pagu_akhir_dilaporkan", 1),
        "7.01.01",
        4_500_000,
        2_000_000 + 2_000_000,
        500_000,
    ),
    Case(
        "renstra/pagu-year-n-vs-dpa",
        "renstra",
        tables(anggaran=two_kegiatan(), renstra=[{"kode": "7.01.01", "tahun": 2024, "pagu": "2.400.000"}]),
        "renstra-mismatch",
        "warning",
        ("renstra", "pagu", 0),
        "7.01.01",
        2_400_000,
        1_000_000 + 2_000_000,
        2_400_000 - 3_000_000,
    ),
    Case(
        "renstra/kondisi-akhir-jumlah",
        "renstra",
        tables([indikator(**DOKUMEN)], renstra=renstra_targets({"target_akhir_dilaporkan": "50"})),
        "renstra-mismatch",
        "error",
        ("renstra", "target_akhir_dilaporkan", 4),
        "IK1",
        50.0,
        12 * 5,
        50 - 60.0,
    ),
    Case(
        "renstra/target-renstra-akhir-of-indicator",
        "renstra",
        tables([indikator(**DOKUMEN, target_renstra_akhir="50")], renstra=renstra_targets()),
        "renstra-mismatch",
        "warning",
        ("indikator", "target_renstra_akhir", 0),
        "IK1",
        50.0,
        12 * 5,
        50 - 60.0,
    ),
    Case(
        "renstra/target-year-n-vs-indicator",
        "renstra",
        tables([indikator(**DOKUMEN)], renstra=renstra_targets({"target": "15"})),
        "renstra-mismatch",
        "warning",
        ("renstra", "target", 4),
        "IK1",
        15.0,
        12.0,
        3.0,
    ),
    Case(
        "citations/total-pagu",
        "citations",
        tables(kutipan=[{"lokasi": "Bab IV alinea 1", "besaran": "total pagu", "nilai": "Rp 1.100.000"}]),
        "citation-mismatch",
        "error",
        ("kutipan", "nilai", 0),
        None,
        1_100_000,
        1_000_000,
        100_000,
    ),
    Case(
        "citations/capaian-is-serapan",
        "citations",
        tables(
            kutipan=[{"lokasi": "Bab III alinea 3", "besaran": "capaian", "kode": "IK1", "nilai": "90,00 %"}]
        ),
        "citation-mismatch",
        "error",
        ("kutipan", "nilai", 0),
        "IK1",
        90.0,
        98.32,
        90.0 - 98.32,
    ),
    Case(
        "citations/unknown-kode",
        "citations",
        tables(kutipan=[{"lokasi": "Bab III", "besaran": "capaian", "kode": "IK9", "nilai": "93,60"}]),
        "unknown-reference",
        "warning",
        ("kutipan", "nilai", 0),
        "IK9",
        93.6,
        None,
        None,
    ),
    Case(
        "labels/indikator-predikat",
        "labels",
        tables([indikator(predikat_dilaporkan="Rendah")]),
        "label-mismatch",
        "error",
        ("indikator", "predikat_dilaporkan", 0),
        "IK1",
        "Rendah",
        "Sangat Tinggi",
        None,
    ),
    Case(
        "labels/grade-typed-with-capaian",
        "labels",
        tables([indikator(capaian_dilaporkan="98,32 (Sedang)")]),
        "label-mismatch",
        "error",
        ("indikator", "capaian_dilaporkan", 0),
        "IK1",
        "Sedang",
        "Sangat Tinggi",
        None,
    ),
    Case(
        "labels/ringkasan-predikat-rembang",
        "labels",
        tables([indikator(realisasi="85")]),
        "label-mismatch",
        "error",
        ("cell", "predikat_dilaporkan"),
        None,
        "Kurang",
        "Baik",
        None,
        cells={"predikat_dilaporkan": "Kurang"},
        rules="rembang",
    ),
]


QUIET: list[Quiet] = [
    Quiet(
        "budget-sums", "budget-sums", tables(anggaran=two_kegiatan(pagu="3.000.000", realisasi="2.750.000"))
    ),
    Quiet("budget-sums/parent-left-empty", "budget-sums", tables(anggaran=two_kegiatan())),
    Quiet(
        "budget-ratios",
        "budget-ratios",
        tables(anggaran=[program(pagu="1.000.000", realisasi="900.000", persen_dilaporkan="90,00 %")]),
    ),
    Quiet(
        "budget-ratios/excel-fraction",
        "budget-ratios",
        tables(anggaran=[program(pagu=1_000_000, realisasi=900_000, persen_dilaporkan=0.9)]),
    ),
    Quiet(
        "budget-ratios/rolled-up",
        "budget-ratios",
        tables(
            anggaran=[
                program(persen_dilaporkan="91,67"),
                kegiatan("7.01.01.2.01", pagu="1.000.000", realisasi="900.000", persen_dilaporkan="90"),
                kegiatan("7.01.01.2.02", pagu="2.000.000", realisasi="1.850.000", persen_dilaporkan="92,5"),
            ]
        ),
    ),
    Quiet(
        "budget-differences",
        "budget-differences",
        tables(anggaran=[program(pagu="1.000.000", realisasi="900.000", selisih_dilaporkan="100.000,-")]),
    ),
    Quiet(
        "budget-capaian",
        "budget-capaian",
        tables(
            anggaran=[
                program(
                    pagu="1.000.000",
                    realisasi="900.000",
                    satuan="Dokumen",
                    target="12 Dokumen",
                    realisasi_kinerja="10 Dokumen",
                    capaian_dilaporkan="83,33",
                )
            ]
        ),
    ),
    Quiet(
        "realisasi-over-pagu",
        "realisasi-over-pagu",
        tables(anggaran=[program(pagu="1.000.000", realisasi="1.000.000")]),
    ),
    Quiet("indikator-capaian", "indikator-capaian", tables([indikator(capaian_dilaporkan="98,32 %")])),
    Quiet(
        "indikator-capaian/excel-fraction",
        "indikator-capaian",
        tables([indikator(capaian_dilaporkan=0.9832)]),
    ),
    Quiet(
        "indikator-capaian/number-cell", "indikator-capaian", tables([indikator(capaian_dilaporkan=98.32)])
    ),
    Quiet(
        "indikator-capaian/capped-under-mojokerto",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="88", capaian_dilaporkan="100,00")]),
        rules="mojokerto",
    ),
    Quiet(
        "indikator-capaian/uncapped-under-jombang",
        "indikator-capaian",
        tables([indikator(target="80", realisasi="88", capaian_dilaporkan="110,00")]),
        rules="jombang",
    ),
    Quiet(
        "indikator-capaian/negative-polarity",
        "indikator-capaian",
        tables(
            [
                indikator(
                    satuan="Kali", polaritas="Negatif", target="10", realisasi="8", capaian_dilaporkan="125"
                )
            ]
        ),
    ),
    Quiet(
        "indikator-capaian/range-target",
        "indikator-capaian",
        tables(
            [
                indikator(satuan="Nilai", target="60 – 70", realisasi="65", capaian_dilaporkan="100"),
                indikator(
                    kode="IK2", satuan="Nilai", target="60-70", realisasi="77", capaian_dilaporkan="110"
                ),
                indikator(
                    kode="IK3",
                    satuan="Nilai",
                    target="60",
                    target_atas="70",
                    realisasi="54",
                    capaian_dilaporkan="90",
                ),
            ]
        ),
    ),
    Quiet(
        "indikator-kemajuan",
        "indikator-kemajuan",
        tables([indikator(target_renstra_akhir="95", kemajuan_dilaporkan="103,49")]),
    ),
    Quiet(
        "indikator-efisiensi",
        "indikator-efisiensi",
        tables([indikator(efisiensi_dilaporkan="8,32")], anggaran=LINKED),
    ),
    Quiet(
        "indikator-efisiensi/rembang",
        "indikator-efisiensi",
        tables([indikator(efisiensi_dilaporkan="10,00")], anggaran=LINKED),
        rules="rembang",
    ),
    Quiet(
        "capaian-plausible/exactly-150", "capaian-plausible", tables([indikator(target="40", realisasi="60")])
    ),
    Quiet("realisasi-jump", "realisasi-jump", tables([indikator(realisasi_lalu_1="97,50")])),
    Quiet(
        "ringkasan-totals",
        "ringkasan-totals",
        tables(),
        cells={
            "total_pagu_dilaporkan": "Rp. 1.000.000,-",
            "total_realisasi_dilaporkan": "900.000",
            "persen_serapan_dilaporkan": "90 %",
            "sisa_anggaran_dilaporkan": "100.000",
            "rata_capaian_dilaporkan": "98,32",
        },
    ),
    Quiet(
        "ringkasan-totals/total-pk",
        "ringkasan-totals",
        tables(
            pk_anggaran=[
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "900.000",
                    "versi": "Murni",
                },
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "1.000.000",
                    "versi": "Perubahan",
                },
            ]
        ),
        cells={"total_pk_dilaporkan": "1.000.000"},
    ),
    Quiet(
        "pk-vs-dpa",
        "pk-vs-dpa",
        tables(
            pk_anggaran=[
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "1.000.000",
                    "versi": "Murni",
                }
            ]
        ),
    ),
    Quiet(
        "pk-vs-dpa/murni-differs-but-perubahan-equals-dpa",
        "pk-vs-dpa",
        tables(
            pk_anggaran=[
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "900.000",
                    "versi": "Murni",
                },
                {
                    "program_kode": "7.01.01",
                    "uraian": "Program Penunjang",
                    "anggaran": "1.000.000",
                    "versi": "Perubahan",
                },
            ]
        ),
    ),
    Quiet(
        "pk-vs-dpa/matched-by-name",
        "pk-vs-dpa",
        tables(
            pk_anggaran=[
                {
                    "program_kode": None,
                    "uraian": "Program Penunjang Urusan Pemerintahan",
                    "anggaran": "1.000.000",
                    "versi": "Murni",
                }
            ]
        ),
    ),
    Quiet(
        "allocation-shares",
        "allocation-shares",
        tables(
            [indikator(), indikator(**IK2)],
            anggaran=[
                program(indikator_kode="IK1"),
                kegiatan("7.01.01.2.01", pagu="1.000.000", realisasi="900.000"),
                program(
                    "7.01.02", uraian="Program B", indikator_kode="IK2", pagu="500.000", realisasi="400.000"
                ),
            ],
        ),
    ),
    Quiet(
        "penduduk",
        "penduduk",
        tables(
            penduduk=[
                {
                    "tahun": 2024,
                    "laki_laki": "10.250",
                    "perempuan": "10.000",
                    "total_dilaporkan": "20.250",
                    "rasio_dilaporkan": "102,50",
                }
            ]
        ),
    ),
]


QUIET += [
    Quiet(
        "program-analysis",
        "program-analysis",
        tables(
            anggaran=[
                program(
                    **ANALYSED,
                    kemajuan_dilaporkan="50",
                    efisiensi_dilaporkan="-6,67",
                    capaian_dilaporkan="83,33",
                )
            ]
        ),
    ),
    Quiet(
        "program-analysis/rembang",
        "program-analysis",
        tables(anggaran=[program(**ANALYSED, kemajuan_dilaporkan="50,00", efisiensi_dilaporkan="10")]),
        rules="rembang",
    ),
    Quiet(
        "renstra",
        "renstra",
        tables(
            [indikator(**DOKUMEN, target_renstra_akhir="60")],
            anggaran=two_kegiatan(),
            renstra=[
                {"kode": "7.01.01", "tahun": 2023, "pagu": "2.500.000"},
                {"kode": "7.01.01.2.01", "tahun": 2023, "pagu": "1.000.000"},
                {"kode": "7.01.01.2.02", "tahun": 2023, "pagu": "1.500.000"},
                {"kode": "7.01.01", "tahun": 2024, "pagu": "3.000.000", "pagu_akhir_dilaporkan": "5.500.000"},
                *renstra_targets({"target_akhir_dilaporkan": "60"}),
            ],
        ),
        cells={"renstra_awal": 2020, "renstra_akhir": 2024},
    ),
    Quiet(
        "renstra/nilai-akhir",
        "renstra",
        tables(
            [
                indikator(
                    satuan="Indeks",
                    target="80",
                    realisasi="84",
                    agregasi="Nilai Akhir",
                    target_renstra_akhir="85",
                )
            ],
            renstra=[
                {"kode": "IK1", "tahun": 2023, "target": "78"},
                {"kode": "IK1", "tahun": 2024, "target": "80"},
                {"kode": "IK1", "tahun": 2025, "target": "85", "target_akhir_dilaporkan": "85"},
            ],
        ),
    ),
    Quiet(
        "citations",
        "citations",
        tables(
            anggaran=[program(pagu="1.000.000", realisasi="900.000")],
            kutipan=[
                {"lokasi": "Bab IV", "besaran": "total pagu", "nilai": "1.000.000"},
                {"lokasi": "Bab IV", "besaran": "total serapan", "nilai": "90 %"},
                {"lokasi": "Bab III", "besaran": "capaian", "kode": "IK1", "nilai": "98,32"},
                {"lokasi": "Bab III", "besaran": "serapan", "kode": "7.01.01", "nilai": "90,00"},
                {"lokasi": "Bab III", "besaran": "realisasi kinerja", "kode": "IK1", "nilai": "98,32"},
                {"lokasi": "Bab II", "besaran": "jumlah program", "nilai": "1"},
                {"lokasi": "Bab II", "besaran": "jumlah indikator", "nilai": "1"},
                {"lokasi": "Bab I", "besaran": "rata-rata capaian", "nilai": "98,32"},
            ],
        ),
    ),
    Quiet(
        "labels",
        "labels",
        tables([indikator(predikat_dilaporkan="Sangat Tinggi", capaian_dilaporkan="98,32 (Sangat Tinggi)")]),
        cells={"predikat_dilaporkan": "Sangat Tinggi"},
    ),
    Quiet(
        "labels/rembang",
        "labels",
        tables([indikator(realisasi="85", predikat_dilaporkan="Baik")]),
        cells={"predikat_dilaporkan": "baik"},
        rules="rembang",
    ),
]


@pytest.mark.parametrize("case", FIRING, ids=[case.id for case in FIRING])
def test_check_fires(case: Case, filled_template) -> None:
    path = filled_template(cells={**IDENTITAS, **case.cells}, tables=case.tables)
    submission, computation = analyse(path, case.rules)
    found = run_checks(submission, computation, only=[case.check])
    if case.at is None:
        matching = [item for item in found if item.code == case.code]
        sheet = cell = None
    else:
        sheet, cell = where(case.at)
        matching = [item for item in found if item.code == case.code and item.cell == cell]
    assert len(matching) == 1, [item.to_dict() for item in found]
    item = matching[0]
    assert item.severity == case.severity
    if case.at is not None:
        assert (item.sheet, item.cell) == (sheet, cell)
        assert item.field == case.at[1]
        assert item.table == (case.at[0] if case.at[0] != "cell" else "ringkasan")
    if case.row_key != UNASSERTED:
        assert item.row_key == case.row_key
    if isinstance(case.stated, str):
        assert item.stated == case.stated
        assert item.expected == case.expected
    else:
        assert item.stated == approx(case.stated)
        assert item.expected == approx(case.expected)
    assert item.difference == approx(case.difference)
    assert_message(item)
    if case.hint == NO_HINT:
        assert item.hint is None, item.hint
    elif case.hint is not None:
        assert item.hint and case.hint.lower() in item.hint.lower(), item.hint
    # the check reports nothing else on this workbook
    assert len(found) == 1, [other.to_dict() for other in found]


@pytest.mark.parametrize("case", QUIET, ids=[case.id for case in QUIET])
def test_check_quiet(case: Quiet, filled_template) -> None:
    path = filled_template(cells={**IDENTITAS, **case.cells}, tables=case.tables)
    submission, computation = analyse(path, case.rules)
    assert run_checks(submission, computation, only=[case.check]) == []
    assert [item.to_dict() for item in submission.findings if item.severity != "info"] == []


def test_every_check_has_a_firing_and_a_quiet_case() -> None:
    fired = {case.check for case in FIRING} | {"free-tables"}  # free tables: the dedicated tests below
    quiet = {case.check for case in QUIET} | {"free-tables"}
    assert set(CHECKS) - fired == set(), "checks without a test that makes them fire"
    assert set(CHECKS) - quiet == set(), "checks without a quiet test"
