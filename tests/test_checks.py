"""Every check in ``CHECKS`` and every input finding of the reader: one case that fires it, one that keeps it quiet.

Workbooks are filled through the published schema (``filled_template``) with
values in the styles staff type them; every expected figure is computed here
with plain Python arithmetic, never taken from the package.  A finding is
asserted field by field: code, severity, sheet, cell, field, row_key, stated,
expected, difference, an Indonesian message naming the cell, and the hint
when the stated value matches a known slip.

Known bugs are written as ``xfail(strict=True)`` tests in the "Known bugs" section.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from helpers import ENGLISH_WORDS, INDONESIAN_WORDS, cell_of, cell_schema, column_of, table_schema

from sakip_xlsx.checks import CHECKS, run_checks
from sakip_xlsx.compute import compute
from sakip_xlsx.findings import KINDS, Finding
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.rules import Rules, load_rules

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

# ---------------------------------------------------------------------------
# Building blocks (values as staff type them)
# ---------------------------------------------------------------------------

IDENTITAS = {"pemda": "Kabupaten Uji", "instansi": "Kecamatan Uji", "tahun": 2024}
SASARAN = [{"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya kualitas pelayanan publik"}]


def indikator(**changes: Any) -> dict[str, Any]:
    """IK1: target 100 %, realisasi 98,32 % (capaian 98,32 %)."""
    row = {
        "kode": "IK1",
        "sasaran_kode": "S1",
        "uraian": "Persentase pelayanan selesai tepat waktu",
        "satuan": "%",
        "polaritas": "Positif",
        "target": "100",
        "realisasi": "98,32",
    }
    row.update(changes)
    return row


def program(kode: str = "7.01.01", **changes: Any) -> dict[str, Any]:
    row = {"kode": kode, "tingkat": "Program", "uraian": "Program Penunjang Urusan Pemerintahan"}
    row.update(changes)
    return row


def kegiatan(kode: str, **changes: Any) -> dict[str, Any]:
    row = {"kode": kode, "tingkat": "Kegiatan", "uraian": f"Kegiatan {kode}"}
    row.update(changes)
    return row


def sub_kegiatan(kode: str, **changes: Any) -> dict[str, Any]:
    row = {"kode": kode, "tingkat": "Sub Kegiatan", "uraian": f"Sub Kegiatan {kode}"}
    row.update(changes)
    return row


#: One program, pagu 1.000.000, realisasi 900.000 (serapan 90 %, selisih 100.000).
ONE_PROGRAM = [program(pagu="1.000.000", realisasi="900.000")]


def tables(indikator_rows=None, anggaran=None, **others: Any) -> dict[str, Any]:
    """Sasaran S1, the given indicators (default IK1) and budget (default ONE_PROGRAM)."""
    result = {
        "sasaran": SASARAN,
        "indikator": indikator_rows if indikator_rows is not None else [indikator()],
        "anggaran": anggaran if anggaran is not None else ONE_PROGRAM,
    }
    result.update(others)
    return result


def analyse(path: Path, rules: str | Rules | None = None):
    if isinstance(rules, str):
        rules = load_rules(rules)
    submission = read_workbook(path, rules=rules)
    return submission, compute(submission)


def where(spec: tuple) -> tuple[str, str]:
    """(sheet, cell) of ``("cell", field)`` or ``(table, field, index)`` through the schema."""
    if spec[0] == "cell":
        cell = cell_schema(spec[1])
        return cell["sheet"], cell["cell"]
    table_id, field_id, index = spec
    return cell_of(table_id, field_id, index)


def approx(value: float | None):
    return None if value is None else pytest.approx(value, abs=1e-6)


def pct(value: float, decimals: int = 2) -> str:
    """A percentage as an Indonesian report prints it: half-up, comma decimals."""
    quantum = Decimal(1).scaleb(-decimals)
    text = str(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))
    return text.replace(".", ",")


def rupiah(value: int) -> str:
    return f"{value:,}".replace(",", ".")


#: Words of the check messages that the shared list (helpers.INDONESIAN_WORDS) lacks.
MORE_INDONESIAN = frozenset(
    """
    melebihi seharusnya hitung hasil rincian menjadi periksa jauh tahun lalu ditautkan padahal porsi makro
    pastikan bukan dibaca tertukar dipotong dibulatkan terbalik kutipan predikat menurut skala
    """.split()
)


def is_indonesian(message: str) -> bool:
    """helpers.is_indonesian with a few more Indonesian words (short messages such as 'realisasi ... melebihi pagu')."""
    words = set(re.findall(r"[a-z]+", message.lower()))
    return bool(words & (INDONESIAN_WORDS | MORE_INDONESIAN)) and not (words & ENGLISH_WORDS)


def assert_message(item: Finding) -> None:
    """Indonesian, and naming the sheet and cell (or the sheet when there is no cell)."""
    assert is_indonesian(item.message), item.message
    if item.cell:
        assert item.cell in item.message, item.message
        assert f"{item.sheet}!{item.cell}" in item.message or item.sheet in item.message, item.message
    elif item.sheet:
        assert item.sheet.split()[0].lower() in item.message.lower() or item.table, item.message


# ---------------------------------------------------------------------------
# Firing and quiet cases, per check
# ---------------------------------------------------------------------------

NO_HINT = "<no hint>"
#: row_key left unasserted here (see the xfail tests on row_key at the end)
UNASSERTED = "<not asserted>"


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


def renstra_targets(last: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """IK1 target 12 dokumen in each year 2020–2024 (Jumlah: kondisi akhir 60)."""
    rows = [{"kode": "IK1", "tahun": year, "target": "12"} for year in range(2020, 2025)]
    rows[-1].update(last or {})
    return rows


DOKUMEN = dict(satuan="Dokumen", target="12", realisasi="12", agregasi="Jumlah")

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


# ---------------------------------------------------------------------------
# Comparison at the stated precision (rounding)
# ---------------------------------------------------------------------------


def capaian_findings(filled_template, realisasi: Any, stated: Any, rules: str | None = None) -> list[Finding]:
    path = filled_template(
        cells=IDENTITAS, tables=tables([indikator(realisasi=realisasi, capaian_dilaporkan=stated)])
    )
    return run_checks(*analyse(path, rules), only=["indikator-capaian"])


def test_one_decimal_within_half_a_unit_is_fine(filled_template) -> None:
    assert capaian_findings(filled_template, "98,32", "98,3") == []


def test_truncated_last_digit_is_an_info_rounding_finding(filled_template) -> None:
    (item,) = capaian_findings(filled_template, "98,3199", "98,31")
    assert (item.code, item.severity) == ("rounding", "info")
    assert (item.sheet, item.cell) == cell_of("indikator", "capaian_dilaporkan")
    assert (item.field, item.row_key, item.table) == ("capaian_dilaporkan", "IK1", "indikator")
    assert item.stated == approx(98.31)
    assert item.expected == approx(98.3199 / 100 * 100)
    assert item.difference == approx(98.31 - 98.3199)
    assert_message(item)
    assert "98,31" in item.message and "98,32" in item.message


def test_two_hundredths_off_at_two_decimals_is_an_error(filled_template) -> None:
    (item,) = capaian_findings(filled_template, "98,32", "98,30")
    assert (item.code, item.severity) == ("ratio-mismatch", "error")
    assert item.difference == approx(-0.02)


def test_trailing_zeros_count_as_shown_digits(filled_template) -> None:
    """'98,30' shows two decimals: 98,3 is fine against 98,32 but 98,30 is not."""
    assert capaian_findings(filled_template, "98,32", "98,3") == []
    assert [item.code for item in capaian_findings(filled_template, "98,32", "98,30")] == ["ratio-mismatch"]


def test_whole_percent_is_compared_at_whole_precision(filled_template) -> None:
    assert capaian_findings(filled_template, "98,32", "98") == []
    assert capaian_findings(filled_template, "98,32", "98 %") == []


@pytest.mark.parametrize("stored", [0.9832, 0.983, 1.0])
def test_percent_stored_as_excel_fraction_is_not_flagged(filled_template, stored: float) -> None:
    """A percent-formatted cell holds 98,32 % as 0.9832; the reader cannot see the format."""
    realisasi = "100" if stored == 1.0 else "98,32"
    assert capaian_findings(filled_template, realisasi, stored) == []


def test_wrong_percent_stored_as_excel_fraction_is_still_flagged(filled_template) -> None:
    (item,) = capaian_findings(filled_template, "98,32", 0.9632)
    assert item.code == "ratio-mismatch"


def test_fraction_for_serapan_and_ringkasan(filled_template) -> None:
    path = filled_template(
        cells={**IDENTITAS, "persen_serapan_dilaporkan": 0.9, "rata_capaian_dilaporkan": 0.9832},
        tables=tables(anggaran=[program(pagu=1_000_000, realisasi=900_000, persen_dilaporkan=0.9)]),
    )
    assert run_checks(*analyse(path), only=["budget-ratios", "ringkasan-totals"]) == []


def test_rupiah_compared_exactly(filled_template) -> None:
    """Amounts are integers: one rupiah off is an error, not a rounding note."""
    path = filled_template(cells={**IDENTITAS, "total_pagu_dilaporkan": "1.000.001"}, tables=tables())
    (item,) = run_checks(*analyse(path), only=["ringkasan-totals"])
    assert (item.code, item.severity, item.difference) == ("total-mismatch", "error", approx(1))


# ---------------------------------------------------------------------------
# More firing cases that need a hand-made setting
# ---------------------------------------------------------------------------


def test_capaian_below_zero_is_implausible(filled_template, tmp_path: Path) -> None:
    rules_file = tmp_path / "tanpa-batas-bawah.toml"
    rules_file.write_text(
        'nama = "Uji"\n[capaian]\nbatas_atas = "tidak ada"\nbatas_bawah = "tidak ada"\n', "utf-8"
    )
    path = filled_template(cells=IDENTITAS, tables=tables([indikator(target="10", realisasi="-5")]))
    (item,) = run_checks(*analyse(path, load_rules(rules_file)), only=["capaian-plausible"])
    assert (item.code, item.severity) == ("capaian-implausible", "warning")
    assert (item.sheet, item.cell, item.field, item.row_key) == (
        *cell_of("indikator", "realisasi"),
        "realisasi",
        "IK1",
    )
    assert item.stated == approx(-5.0)
    assert "-50,00" in item.message
    assert_message(item)


def test_pk_murni_only_program_is_compared_while_revised_one_is_not(filled_template) -> None:
    """Program A has Murni and Perubahan (only Perubahan is compared); program B has only Murni."""
    budget = [
        program(pagu="1.000.000", realisasi="900.000"),
        program("7.01.02", uraian="Program B", pagu="500.000", realisasi="450.000"),
    ]
    pk = [
        {"program_kode": "7.01.01", "uraian": "A", "anggaran": "800.000", "versi": "Murni"},
        {"program_kode": "7.01.01", "uraian": "A", "anggaran": "1.000.000", "versi": "Perubahan"},
        {"program_kode": "7.01.02", "uraian": "B", "anggaran": "600.000", "versi": "Murni"},
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget, pk_anggaran=pk))
    found = run_checks(*analyse(path), only=["pk-vs-dpa"])
    assert [(item.code, item.cell, item.stated, item.expected) for item in found] == [
        ("pk-budget-mismatch", cell_of("pk_anggaran", "anggaran", 2)[1], 600_000, 500_000)
    ]
    assert "Murni" in found[0].message


def test_pk_name_that_matches_two_programs_is_not_guessed(filled_template) -> None:
    budget = [
        program(pagu="1.000.000", realisasi="900.000"),
        program("7.01.02", pagu="500.000", realisasi="450.000"),
    ]  # same uraian twice
    pk = [
        {
            "program_kode": None,
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "anggaran": "1.000.000",
            "versi": "Murni",
        }
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget, pk_anggaran=pk))
    found = run_checks(*analyse(path), only=["pk-vs-dpa"])
    assert [item for item in found if item.code == "pk-budget-mismatch"] == []


def test_parent_serapan_uses_the_rolled_up_amounts(filled_template) -> None:
    """% is recomputed at every level from Σ children, never summed or averaged."""
    budget = [
        program(persen_dilaporkan="91,25"),  # mean of 90 and 92,5, not 2.750.000 / 3.000.000
        kegiatan("7.01.01.2.01", pagu="1.000.000", realisasi="900.000"),
        kegiatan("7.01.01.2.02", pagu="2.000.000", realisasi="1.850.000"),
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget))
    (item,) = run_checks(*analyse(path), only=["budget-ratios"])
    assert item.expected == approx(2_750_000 / 3_000_000 * 100)
    assert item.cell == cell_of("anggaran", "persen_dilaporkan", 0)[1]


def test_orphan_line_with_an_output_indicator_is_still_checked(filled_template, tmp_path: Path) -> None:
    """A sub kegiatan whose kegiatan is missing has no place in the budget tree (nor in the program
    analysis), but its own capaian is still in the Capaian Program table and still checked."""
    budget = [
        program(pagu="1.000.000", realisasi="900.000"),
        sub_kegiatan(
            "7.02.05.2.01.0001",
            pagu="500.000",
            realisasi="400.000",
            indikator_keluaran="Jumlah dokumen",
            satuan="Dokumen",
            target="4",
            realisasi_kinerja="3",
            capaian_dilaporkan="80",
            target_renstra_akhir="10",  # an analysis field on a line outside the tree also once stopped it
        ),
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget))
    outcome = check_file(path, results_dir=tmp_path)
    codes = {(item.code, item.cell) for item in outcome.findings}
    assert ("orphan-budget-line", cell_of("anggaran", "tingkat", 1)[1]) in codes
    (capaian,) = [item for item in outcome.findings if item.field == "capaian_dilaporkan"]
    assert (capaian.code, capaian.stated, capaian.expected) == ("ratio-mismatch", 80, approx(75.0))
    assert capaian.cell == cell_of("anggaran", "capaian_dilaporkan", 1)[1]
    results = openpyxl.load_workbook(outcome.results_path, data_only=True)
    rows = [
        row for row in results["Capaian Program"].iter_rows(values_only=True) if row[0] == "7.02.05.2.01.0001"
    ]
    assert len(rows) == 1 and rows[0][7] == approx(75.0)


def test_budget_without_kode_follows_row_order(filled_template) -> None:
    """A printed report without kode: the hierarchy follows tingkat and row order."""
    budget = [
        {"tingkat": "Program", "uraian": "Program A", "pagu": "3.000.000", "realisasi": "2.750.000"},
        {"tingkat": "Kegiatan", "uraian": "Kegiatan A.1", "pagu": "1.000.000", "realisasi": "900.000"},
        {"tingkat": "Kegiatan", "uraian": "Kegiatan A.2", "pagu": "2.000.000", "realisasi": "1.850.000"},
        {"tingkat": "Program", "uraian": "Program B", "pagu": "600.000", "realisasi": "500.000"},
        {"tingkat": "Kegiatan", "uraian": "Kegiatan B.1", "pagu": "500.000", "realisasi": "500.000"},
    ]
    path = filled_template(cells=IDENTITAS, tables=tables(anggaran=budget))
    found = run_checks(*analyse(path), only=["budget-sums"])
    assert [(item.code, item.cell, item.stated, item.expected) for item in found] == [
        ("sum-mismatch", cell_of("anggaran", "pagu", 3)[1], 600_000, 500_000)
    ]
    assert found[0].row_key is None and "Program B" in found[0].message


# ---------------------------------------------------------------------------
# Input findings of the reader: each fires, each stays quiet on good input
# ---------------------------------------------------------------------------


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
    if case.row_key != UNASSERTED:  # row_key of a cell's own finding: see the xfail tests at the end
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


# ---------------------------------------------------------------------------
# A fully correct workbook, under every preset: no error, no warning
# ---------------------------------------------------------------------------


def clean_workbook(rules: Rules) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every table filled and every *_dilaporkan stated correctly for ``rules`` (own arithmetic)."""

    def capped(value: float) -> float:
        if rules.cap is not None:
            value = min(value, rules.cap)
        if rules.floor is not None:
            value = max(value, rules.floor)
        return value

    def efisiensi(capaian: float, serapan: float) -> float:
        return 100 - serapan if rules.efisiensi_formula == "100 - serapan" else capaian - serapan

    assert rules.negative_formula == "T/R"
    # indicators: (kode, sasaran, satuan, polaritas, target, realisasi, uncapped capaian)
    capaian = {
        "IK1": capped(98.32 / 100 * 100),
        "IK2": capped(10 / 8 * 100),  # negative polarity, T/R
        "IK3": capped(100.0),  # range 60 – 70, realisasi 65,5 inside
        "IK4": capped(84 / 80 * 100),  # Kinerja Lainnya: not in the rata-rata
    }
    kemajuan = {"IK1": capped(98.32 / 100 * 100), "IK2": capped(6 / 8 * 100)}
    # budget: P1 600.000 / 540.000 (IK1); P2 = K2 (IK2: 300.000 + 100.000 / 270.000 + 90.000)
    #         + K3 (IK3: 200.000 / 192.000); P3 50.000 / 50.000
    serapan = {"IK1": 540_000 / 600_000 * 100, "IK2": 360_000 / 400_000 * 100, "IK3": 192_000 / 200_000 * 100}
    total_pagu = 600_000 + 400_000 + 200_000 + 50_000
    total_realisasi = 540_000 + 360_000 + 192_000 + 50_000
    rata = (capaian["IK1"] + capaian["IK2"] + capaian["IK3"]) / 3
    indikator_rows = [
        {
            "kode": "IK1",
            "sasaran_kode": "S1",
            "uraian": "Persentase pelayanan tepat waktu",
            "satuan": "%",
            "polaritas": "Positif",
            "target": "100",
            "realisasi": "98,32",
            "target_renstra_akhir": "100",
            "kumulatif": "Tidak",
            "realisasi_lalu_1": "97,50",
            "realisasi_lalu_2": "96",
            "realisasi_lalu_3": "95,1",
            "pembanding_kabupaten": "97",
            "pembanding_provinsi": "96,5",
            "pembanding_nasional": "95",
            "kebutuhan_sdm": 10,
            "ketersediaan_sdm": 8,
            "capaian_dilaporkan": pct(capaian["IK1"]) + " %",
            "kemajuan_dilaporkan": pct(kemajuan["IK1"]),
            "efisiensi_dilaporkan": pct(efisiensi(capaian["IK1"], serapan["IK1"])),
        },
        {
            "kode": "IK2",
            "sasaran_kode": "S1",
            "uraian": "Jumlah pengaduan masyarakat",
            "satuan": "Kali",
            "polaritas": "Negatif",
            "target": "10",
            "realisasi": "8",
            "target_renstra_akhir": "6",
            "realisasi_lalu_1": "9",
            "capaian_dilaporkan": pct(capaian["IK2"]),
            "kemajuan_dilaporkan": pct(kemajuan["IK2"]),
            "efisiensi_dilaporkan": pct(efisiensi(capaian["IK2"], serapan["IK2"])),
        },
        {
            "kode": "IK3",
            "sasaran_kode": "S2",
            "uraian": "Nilai SAKIP kecamatan",
            "satuan": "Nilai",
            "polaritas": "Positif",
            "target": "60 – 70",
            "realisasi": "65,5",
            "realisasi_lalu_1": "62",
            "capaian_dilaporkan": capaian["IK3"],
            "efisiensi_dilaporkan": pct(efisiensi(capaian["IK3"], serapan["IK3"])),
        },
        {
            "kode": "IK4",
            "sasaran_kode": "S3",
            "uraian": "Indeks ketertiban umum",
            "satuan": "Indeks",
            "polaritas": "Positif",
            "target": 80,
            "realisasi": 84,
            "capaian_dilaporkan": capaian["IK4"] / 100,
        },
    ]
    anggaran = [
        {
            "kode": "7.01.01",
            "tingkat": "Program",
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "indikator_kode": "IK1",
            "pagu": "Rp 600.000",
            "realisasi": "Rp 540.000",
            "sumber_dana": "APBD",
            "selisih_dilaporkan": "60.000",
            "persen_dilaporkan": "90,00",
        },
        {
            "kode": "7.01.01.2.01",
            "tingkat": "Kegiatan",
            "uraian": "Administrasi Keuangan",
            "indikator_keluaran": "Laporan keuangan tersusun",
            "satuan": "Dokumen",
            "target": "12 Dokumen",
            "realisasi_kinerja": "12 Dokumen",
            "capaian_dilaporkan": "100",
        },
        {
            "kode": "7.01.01.2.01.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Penyediaan Gaji dan Tunjangan ASN",
            "pagu": 600_000,
            "realisasi": 540_000,
            "selisih_dilaporkan": 60_000,
            "persen_dilaporkan": 0.9,
            "sumber_dana": "DAU",
        },
        {
            "kode": "7.01.02",
            "tingkat": "Program",
            "uraian": "Program Penyelenggaraan Pemerintahan",
            "pagu": "600.000",
            "realisasi": "552.000",
            "selisih_dilaporkan": "48.000",
            "persen_dilaporkan": "92",
        },
        {
            "kode": "7.01.02.2.01",
            "tingkat": "Kegiatan",
            "uraian": "Pelayanan Publik",
            "indikator_kode": "IK2",
            "pagu": "400.000,00",
            "realisasi": "360.000,00",
            "persen_dilaporkan": "90 %",
            "indikator_keluaran": "Layanan selesai",
            "satuan": "Layanan",
            "target": "1.100 Layanan",
            "realisasi_kinerja": "1.045 Layanan",
            "capaian_dilaporkan": pct(capped(1045 / 1100 * 100)),
        },
        {
            "kode": "7.01.02.2.01.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Pelayanan A",
            "pagu": "300,000",
            "realisasi": "270,000",
            "selisih_dilaporkan": "30.000,-",
            "persen_dilaporkan": "90,00",
        },
        {
            "kode": "7.01.02.2.01.0002",
            "tingkat": "Sub Kegiatan",
            "uraian": "Pelayanan B",
            "pagu": 100_000,
            "realisasi": 90_000,
        },
        {
            "kode": "7.01.02.2.02",
            "tingkat": "Kegiatan",
            "uraian": "Evaluasi Kinerja",
            "indikator_kode": "IK3",
        },
        {
            "kode": "7.01.02.2.02.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Penyusunan LKjIP",
            "pagu": 200_000,
            "realisasi": 192_000,
            "persen_dilaporkan": "96,00",
            "selisih_dilaporkan": "Rp 8.000",
        },
        {
            "kode": "7.01.03",
            "tingkat": "Program",
            "uraian": "Program Ketentraman dan Ketertiban Umum",
            "pagu": 50_000,
            "realisasi": 50_000,
            "persen_dilaporkan": "100",
            "selisih_dilaporkan": "-",
        },
    ]
    pk = [
        {
            "program_kode": "7.01.01",
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "anggaran": "550.000",
            "versi": "Murni",
        },
        {
            "program_kode": "7.01.01",
            "uraian": "Program Penunjang Urusan Pemerintahan",
            "anggaran": "600.000",
            "versi": "Perubahan",
        },
        {
            "program_kode": "7.01.02",
            "uraian": "Program Penyelenggaraan Pemerintahan",
            "anggaran": "600.000",
            "versi": "Murni",
        },
        {
            "program_kode": None,
            "uraian": "Program Ketentraman dan Ketertiban Umum",
            "anggaran": "50.000",
            "versi": "Murni",
        },
    ]
    cells = {
        **IDENTITAS,
        "renstra_awal": 2021,
        "renstra_akhir": 2026,
        "kepala_nama": "Budi Santoso, S.Sos",
        "kepala_nip": "19671212 198806 1 002",
        "kepala_jabatan": "Camat Uji",
        "total_pagu_dilaporkan": "Rp " + rupiah(total_pagu),
        "total_realisasi_dilaporkan": rupiah(total_realisasi),
        "persen_serapan_dilaporkan": pct(total_realisasi / total_pagu * 100) + " %",
        "sisa_anggaran_dilaporkan": rupiah(total_pagu - total_realisasi),
        "rata_capaian_dilaporkan": pct(rata),
        "total_pk_dilaporkan": "600.000",  # Perubahan, the last PK
    }
    data = {
        "sasaran": [
            {"kode": "S1", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya kualitas pelayanan publik"},
            {"kode": "S2", "jenis": "Sasaran Strategis", "uraian": "Meningkatnya akuntabilitas kinerja"},
            {"kode": "S3", "jenis": "Kinerja Lainnya", "uraian": "Meningkatnya ketertiban umum"},
        ],
        "indikator": indikator_rows,
        "anggaran": anggaran,
        "pk_anggaran": pk,
        "penduduk": [
            {
                "tahun": 2023,
                "laki_laki": "10.250",
                "perempuan": "10.000",
                "total_dilaporkan": "20.250",
                "rasio_dilaporkan": "102,5",
            },
            {
                "tahun": 2024,
                "laki_laki": 10_300,
                "perempuan": 10_020,
                "total_dilaporkan": 20_320,
                "rasio_dilaporkan": pct(10_300 / 10_020 * 100),
            },
        ],
    }
    return cells, data


@pytest.mark.parametrize("preset", ["default", "jombang", "mojokerto", "rembang"])
def test_fully_correct_workbook_has_no_error_or_warning(filled_template, preset: str) -> None:
    rules = load_rules(preset)
    cells, data = clean_workbook(rules)
    path = filled_template(cells=cells, tables=data)
    submission, computation = analyse(path, rules)
    findings = submission.findings + run_checks(submission, computation)
    assert [item.to_dict() for item in findings if item.severity in ("error", "warning")] == []
    # every *_dilaporkan field above was really read and compared (not silently skipped)
    stated = [
        entry
        for record in submission.records("indikator") + submission.records("anggaran")
        for name, entry in record.entries.items()
        if name.endswith("_dilaporkan") and entry.is_number
    ]
    assert len(stated) >= 20
    assert all(submission.cells[name].is_number for name in cells if name.endswith("_dilaporkan"))


def test_fully_correct_workbook_through_check_file(filled_template) -> None:
    cells, data = clean_workbook(load_rules("default"))
    outcome = check_file(filled_template(cells=cells, tables=data))
    assert outcome.unreadable is None
    assert outcome.summary["error"] == 0 and outcome.summary["warning"] == 0, [
        item.to_dict() for item in outcome.findings
    ]


def test_clean_sample_has_no_error_or_warning(tmp_path: Path) -> None:
    sample = SAMPLES / "contoh-bersih.xlsx"
    if not sample.exists():
        pytest.skip("samples/contoh-bersih.xlsx not built (python samples/build.py)")
    copy = tmp_path / sample.name
    shutil.copyfile(sample, copy)
    outcome = check_file(copy)
    assert outcome.unreadable is None
    bad = [item.to_dict() for item in outcome.findings if item.severity in ("error", "warning")]
    assert bad == []


# ---------------------------------------------------------------------------
# Known bugs (strict xfail: they pass once the package is fixed)
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# free-tables: a table pasted into the "Tabel Bebas" sheet
# ---------------------------------------------------------------------------


def with_free_table(path: Path, rows: list[list[Any]]) -> Path:
    """Paste ``rows`` into the free-table sheet from its first table row (text '=...' stays text)."""
    from sakip_xlsx.freetables import FIRST_TABLE_ROW, FREE_SHEET

    workbook = openpyxl.load_workbook(path)
    sheet = workbook[FREE_SHEET]
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, 1):
            cell = sheet.cell(row=FIRST_TABLE_ROW + offset, column=column, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed as '=B+C in Excel: text, not a formula
    workbook.save(path)
    return path


def free_cell(offset: int, column: str) -> str:
    from sakip_xlsx.freetables import FIRST_TABLE_ROW

    return f"{column}{FIRST_TABLE_ROW + offset}"


PENDUDUK_DESA = ["Tabel 2.1 Jumlah Penduduk per Desa"], ["Desa", "Laki-laki", "Perempuan", "Jumlah"]


@pytest.mark.parametrize(
    ("rows", "offset", "row_key", "stated", "expected", "hint"),
    [
        # Jumlah row: 2.500 + 1.550 = 4.050, printed 4.000
        (
            [
                *PENDUDUK_DESA,
                ["Kragan", 1200, 1300, 2500],
                ["Sumbersari", 800, 750, 1550],
                ["Jumlah", 2000, 2050, 4000],
            ],
            4,
            "Jumlah",
            4000,
            2500 + 1550,
            None,
        ),
        # rule row =B+C: Sumbersari 800 + 750 = 1.550, printed 1.505 (digits swapped)
        (
            [
                *PENDUDUK_DESA,
                ["Rumus", None, None, "=B+C"],
                ["Kragan", 1200, 1300, 2500],
                ["Sumbersari", 800, 750, 1505],
                ["Jumlah", 2000, 2050, 4005],
            ],
            4,
            "Sumbersari",
            1505,
            800 + 750,
            "bertukar",
        ),
    ],
    ids=["jumlah-row", "rule-row"],
)
def test_free_table_fires(filled_template, rows, offset, row_key, stated, expected, hint) -> None:
    path = with_free_table(filled_template(cells=IDENTITAS, tables=tables()), rows)
    submission, computation = analyse(path)
    found = run_checks(submission, computation, only=["free-tables"])
    assert len(found) == 1, [item.to_dict() for item in found]
    (item,) = found
    assert (item.code, item.severity, item.sheet, item.cell) == (
        "sum-mismatch",
        "error",
        "Tabel Bebas",
        free_cell(offset, "D"),
    )
    assert item.field == "Jumlah" and item.row_key.endswith(row_key) and item.row_key.startswith("Tabel 2.1")
    assert (item.stated, item.expected, item.difference) == (
        approx(stated),
        approx(expected),
        approx(stated - expected),
    )
    assert_message(item)
    assert (hint is None and item.hint is None) or (hint and hint in (item.hint or "").lower())


def test_free_table_quiet(filled_template) -> None:
    rows = [
        ["Tabel 2.1 Jumlah Penduduk per Desa"],
        ["Desa", "Laki-laki", "Perempuan", "Jumlah", "Rasio"],
        ["Rumus", None, None, "=B+C", "=B/C*100"],
        ["Kragan", "1.200", "1.300", "2.500", "92,31"],
        ["Sumbersari", 800, 750, 1550, "106,67"],
        ["Jumlah", 2000, 2050, 4050, "97,56"],
    ]  # pooled 2.000 / 2.050 × 100, not a sum of ratios
    path = with_free_table(filled_template(cells=IDENTITAS, tables=tables()), rows)
    submission, computation = analyse(path)
    assert run_checks(submission, computation, only=["free-tables"]) == []
    assert [item.to_dict() for item in submission.findings if item.severity != "info"] == []


@pytest.mark.parametrize(
    ("raw", "value", "decimals"),
    [
        (98.71, 98.71, 2),
        (12.5, 12.5, 1),
        (3.0, 3.0, 0),
        (0.1 + 0.2, 0.1 + 0.2, 6),  # 0.30000000000000004: at most six
        (1e-05, 1e-05, 6),
        (1.5e-07, 1.5e-07, 6),
        (1e22, 1e22, 0),
        (7, 7, 0),
        (True, True, 0),
        (None, None, 0),
        ("98,71 %", 98.71, 2),
        ("94,00", 94.0, 2),  # trailing zeros are shown digits
        ("1.250", 1250, 0),  # read as thousands
        ("Rp 1.250.000,-", 1250000, 0),
        ("84,5 (A)", 84.5, 1),
    ],
)
def test_decimals_shown_by_stored_and_typed_figures(raw: Any, value: Any, decimals: int) -> None:
    from sakip_xlsx.precision import decimals_shown

    assert decimals_shown(raw, value) == decimals
