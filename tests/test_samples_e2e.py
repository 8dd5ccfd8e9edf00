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


# Kragan / Rembang 2021, LAPORAN REALISASI ANGGARAN (Program I and II) and Tabel III.1-III.4
KRAGAN_P1_PAGU = 14_060_000 + 1_991_620_000 + 67_500_000 + 182_896_425 + 207_540_000 + 170_240_000
KRAGAN_P1_REAL = 9_430_000 + 1_991_620_000 + 67_500_000 + 180_704_600 + 198_005_321 + 163_476_850
KRAGAN_P2_PAGU = 5_072_550 + 25_059_325
KRAGAN_P2_REAL = 5_069_300 + 24_464_600
KRAGAN_PAGU = KRAGAN_P1_PAGU + KRAGAN_P2_PAGU + 23_724_000 + 26_100_000 + 25_200_000
KRAGAN_REAL = KRAGAN_P1_REAL + KRAGAN_P2_REAL + 20_824_000 + 25_830_000 + 25_199_300

KRAGAN = {
    # (code, sheet, cell, field): (stated, expected)
    ("sum-mismatch", "Anggaran", "I4", "pagu"): (503_858_200, KRAGAN_P1_PAGU),
    ("sum-mismatch", "Anggaran", "J4", "realisasi"): (495_416_225, KRAGAN_P1_REAL),
    ("sum-mismatch", "Anggaran", "J11", "realisasi"): (30_127_900, KRAGAN_P2_REAL),
    ("ratio-mismatch", "Anggaran", "M4", "persen_dilaporkan"): (98.82, KRAGAN_P1_REAL / KRAGAN_P1_PAGU * 100),
    ("ratio-mismatch", "Anggaran", "M11", "persen_dilaporkan"): (99.99, KRAGAN_P2_REAL / KRAGAN_P2_PAGU * 100),
    ("ratio-mismatch", "Anggaran", "M13", "persen_dilaporkan"): (100.0, 24_464_600 / 25_059_325 * 100),
    ("difference-mismatch", "Anggaran", "L4", "selisih_dilaporkan"): (8_441_975, KRAGAN_P1_PAGU - KRAGAN_P1_REAL),
    ("difference-mismatch", "Anggaran", "L11", "selisih_dilaporkan"): (3_975, KRAGAN_P2_PAGU - KRAGAN_P2_REAL),
    # "capaian s/d" printed as target / realisasi: 95 / 98,32 etc.
    ("ratio-mismatch", "Indikator", "T4", "kemajuan_dilaporkan"): (96.62, 98.32 / 95 * 100),
    ("ratio-mismatch", "Indikator", "T5", "kemajuan_dilaporkan"): (95.01, 99.99 / 95 * 100),
    ("ratio-mismatch", "Indikator", "T6", "kemajuan_dilaporkan"): (95.0, 100 / 95 * 100),
    ("ratio-mismatch", "Indikator", "T7", "kemajuan_dilaporkan"): (127.29, 78.56 / 100 * 100),
    ("total-mismatch", "Ringkasan", "B3", "total_pagu_dilaporkan"): (2_739_149_000, KRAGAN_PAGU),
    ("total-mismatch", "Ringkasan", "B4", "total_realisasi_dilaporkan"): (2_437_383_089, KRAGAN_REAL),
    ("difference-mismatch", "Ringkasan", "B6", "sisa_anggaran_dilaporkan"): (301_765_911, KRAGAN_PAGU - KRAGAN_REAL),
    ("ratio-mismatch", "Ringkasan", "B5", "persen_serapan_dilaporkan"): (88.98, KRAGAN_REAL / KRAGAN_PAGU * 100),
    # PK budgets against the DPA pagu of the same program
    ("pk-budget-mismatch", "PK Anggaran", "C4", "anggaran"): (2_741_121_350, KRAGAN_P1_PAGU),
    ("pk-budget-mismatch", "PK Anggaran", "C5", "anggaran"): (66_479_350, 23_724_000),
    ("pk-budget-mismatch", "PK Anggaran", "C7", "anggaran"): (95_920_000, 25_200_000),
    ("pk-budget-mismatch", "PK Anggaran", "C8", "anggaran"): (52_500_000, 26_100_000),
}

# Ngoro / Mojokerto 2021 (capaian capped at 100)
MOJO_P1_PAGU = 3_961_741_788 - 21_249_110  # the printed program total exceeds its sub kegiatan by 21.249.110
MOJO_P1_REAL = 3_164_792_263 - 21_920_000
MOJOKERTO = {
    ("sum-mismatch", "Anggaran", "I4", "pagu"): (3_961_741_788, MOJO_P1_PAGU),
    ("sum-mismatch", "Anggaran", "J4", "realisasi"): (3_164_792_263, MOJO_P1_REAL),
    ("ratio-mismatch", "Anggaran", "M4", "persen_dilaporkan"): (95.47, MOJO_P1_REAL / MOJO_P1_PAGU * 100),
    ("ratio-mismatch", "Anggaran", "M7", "persen_dilaporkan"): (82.67, 2_999_700 / 3_000_000 * 100),
    ("ratio-mismatch", "Anggaran", "M34", "persen_dilaporkan"): (97.09, 96_746_724 / 100_000_000 * 100),
    ("ratio-mismatch", "Anggaran", "M42", "persen_dilaporkan"): (99.63, 86_811_600 / 87_000_000 * 100),
    ("total-mismatch", "Ringkasan", "B3", "total_pagu_dilaporkan"): (4_242_421_788, 4_242_421_788 - 21_249_110),
    ("total-mismatch", "Ringkasan", "B4", "total_realisasi_dilaporkan"): (3_441_896_392, 3_441_896_392 - 21_920_000),
    ("ratio-mismatch", "Ringkasan", "B5", "persen_serapan_dilaporkan"): (
        81.13,
        (3_441_896_392 - 21_920_000) / (4_242_421_788 - 21_249_110) * 100,
    ),
    # Tabel 3.7: efisiensi = capaian (capped 100) - serapan of the indicator's programs
    ("difference-mismatch", "Indikator", "U4", "efisiensi_dilaporkan"): (1.29, None),
    ("difference-mismatch", "Indikator", "U5", "efisiensi_dilaporkan"): (5.36, None),
    ("pk-budget-mismatch", "PK Anggaran", "C9", "anggaran"): (3_961_741_788, MOJO_P1_PAGU),
}

# Ngoro / Jombang 2024
JOMBANG_ADM_UMUM = None  # Σ of its six sub kegiatan, checked through the stated-vs-expected difference below
JOMBANG = {
    ("sum-mismatch", "Anggaran", "J12", "realisasi"): (71_636_200, 74_101_968),
    ("sum-mismatch", "Anggaran", "J4", "realisasi"): (2_750_979_428, 2_750_979_428 - 9_600_000),
    ("ratio-mismatch", "Anggaran", "M4", "persen_dilaporkan"): (95.59, (2_750_979_428 - 9_600_000) / 2_877_788_648 * 100),
    ("total-mismatch", "Ringkasan", "B4", "total_realisasi_dilaporkan"): (2_936_629_428, 2_936_629_428 - 9_600_000),
    ("ratio-mismatch", "Ringkasan", "B5", "persen_serapan_dilaporkan"): (
        95.86,
        (2_936_629_428 - 9_600_000) / 3_063_438_648 * 100,
    ),
    ("difference-mismatch", "Ringkasan", "B6", "sisa_anggaran_dilaporkan"): (
        126_809_218,
        3_063_438_648 - (2_936_629_428 - 9_600_000),
    ),
    # PK 2.877.788.646 against the DPA pagu 2.877.788.648
    ("pk-budget-mismatch", "PK Anggaran", "C4", "anggaran"): (2_877_788_646, 2_877_788_648),
}


@pytest.mark.parametrize(
    "name, expected",
    [("kragan-rembang-2021", KRAGAN), ("ngoro-mojokerto-2021", MOJOKERTO), ("ngoro-jombang-2024", JOMBANG)],
)
def test_seed_samples_report_their_real_errors(name: str, expected: dict) -> None:
    code, report = check_json(name)
    assert code == 1
    assert report["ok"] is False
    errors = {
        (f["code"], f["sheet"], f["cell"], f["field"]): f for f in report["findings"] if f["severity"] == "error"
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
    for cell in ("T4", "T5", "T6", "T7"):
        assert hints[(cell, "kemajuan_dilaporkan")] == "Rasio terbalik: target / realisasi × 100."
    assert "baris ini yang tertulis" in hints[("L4", "selisih_dilaporkan")]


def test_kragan_correct_capaian_figures_raise_nothing() -> None:
    """Tabel III.1-III.4 capaian (98,32 / 99,99 / 100 / 78,56) are right: no finding on them."""
    _, report = check_json("kragan-rembang-2021")
    flagged = {(f["sheet"], f["cell"]) for f in report["findings"]}
    for cell in ("S4", "S5", "S6", "S7"):
        assert ("Indikator", cell) not in flagged


def test_mojokerto_rounding_is_info_not_error() -> None:
    _, report = check_json("ngoro-mojokerto-2021")
    rounding = {f["cell"] for f in report["findings"] if f["code"] == "rounding"}
    assert rounding == {"M15", "M30", "M32"}
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
