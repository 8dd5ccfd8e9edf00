"""Known wrong figures of the seed reports found in session 3 of issue 17, and the figures beside
them that stay quiet.  Every expected value is arithmetic on figures printed in ../shared/seeds.

* Ngoro/Mojokerto 2021, Realisasi Anggaran: "Penyediaan Administrasi Pelaksanaan Tugas ASN"
  99,99 for 4.999.750 / 5.000.000 × 100 = 99,995 (half-up: 100,00): a truncation, rounding info.
* Ngoro/Jombang 2024, Tabel 3.16: IKPP efisiensi SDM 67,54 = 103,9 − 36,36 (printed, rounded) for
  8,54 / 8,22 × 100 − 8 / 22 × 100 = 67,53: a rounding chain, info.  Its mean capaian 101,4 (the
  unrounded mean 101,42) and the SAKIP table's TOTAL nilai 80,15 (Σ of the unrounded nilai) are
  right: no finding.
* Jombang Tabel 3.15: PATEN capaian printed "-" beside target 96,7 and realisasi 94,48: a figure
  missing where one is required, a warning naming 97,70 (not an error: "-" may mean "not
  applicable").
* Jombang Tabel 3.2: "Tidak mencapai target -" (none) although IK1 (80,15 against 81) is below its
  target: an error; "Sesuai target -" (none at target) is right.
"""

from __future__ import annotations

import pytest
from helpers import column_of
from test_kutipan_kinds import INDIKATOR, cite
from test_samples_e2e import check_json, tb

ASN = 4_999_750 / 5_000_000 * 100


def _at(report: dict, sheet: str, cell: str) -> list[dict]:
    return [f for f in report["findings"] if (f["sheet"], f["cell"]) == (sheet, cell)]


@pytest.fixture(scope="module")
def mojokerto() -> dict:
    return check_json("ngoro-mojokerto-2021")[1]


@pytest.fixture(scope="module")
def jombang() -> dict:
    return check_json("ngoro-jombang-2024")[1]


def test_mojokerto_half_a_unit_truncated_is_rounding_info(mojokerto) -> None:
    cell = f"{column_of('anggaran', 'persen_dilaporkan')}10"
    found = _at(mojokerto, "Anggaran", cell)
    assert [(f["code"], f["severity"]) for f in found] == [("rounding", "info")]
    assert found[0]["stated"] == 99.99
    assert found[0]["expected"] == pytest.approx(ASN, abs=1e-6)
    assert "dipotong" in found[0]["message"]


def test_jombang_rounding_chain_in_tabel_3_16(jombang) -> None:
    capaian, ketersediaan = 8.54 / 8.22 * 100, 8 / 22 * 100
    found = _at(jombang, "Tabel Bebas", tb("I100"))
    assert [(f["code"], f["severity"]) for f in found] == [("rounding", "info")]
    assert found[0]["stated"] == 67.54 == round(103.9 - 36.36, 2)
    assert found[0]["expected"] == pytest.approx(capaian - ketersediaan, abs=1e-6)
    assert "dibulatkan" in found[0]["message"]
    # the mean capaian 101,4 of 99,0 and 103,9 (101,45 from the printed figures): right
    mean = (80.15 / 81 * 100 + capaian) / 2
    assert round(mean, 1) == 101.4 and round((99.0 + 103.9) / 2, 2) == 101.45
    assert _at(jombang, "Tabel Bebas", tb("E101")) == []


def test_jombang_sakip_total_from_unrounded_nilai_is_right(jombang) -> None:
    nilai = [0.8 * 26.41 + 0.2 * 16.65, 0.8 * 23.90 + 0.2 * 13.13, 0.8 * 14.46 + 0.2 * 11.09, 20.16]
    assert round(sum(nilai), 2) == 80.15  # printed 80,15; the printed nilai add up to 80,156
    assert round(24.46 + 21.746 + 13.79 + 20.16, 3) == 80.156
    assert _at(jombang, "Tabel Bebas", tb("F16")) == []


def test_jombang_dashes_in_the_kutipan(jombang) -> None:
    kutipan = {f["cell"]: f for f in jombang["findings"] if f["sheet"] == "Kutipan"}
    paten = kutipan["D377"]
    assert (paten["code"], paten["severity"], paten["stated"]) == ("required-missing", "warning", "-")
    assert paten["expected"] == pytest.approx(94.48 / 96.7 * 100, abs=1e-6)
    assert "D378" not in kutipan  # "Sesuai target -": no indicator exactly at its target
    below = kutipan["D379"]
    targets = [(80.15, 81), (8.54, 8.22)]
    assert (below["code"], below["severity"]) == ("citation-mismatch", "error")
    assert (below["stated"], below["expected"]) == (0, sum(r / t * 100 < 100 for r, t in targets))
    # no "wajib diisi" error for a "-" typed as printed
    assert not [
        f for f in jombang["findings"] if f["code"] == "required-missing" and f["severity"] == "error"
    ]


PATEN = [
    {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program Penunjang Urusan Pemerintahan Daerah"},
    {
        "kode": "7.01.02",
        "tingkat": "Program",
        "uraian": "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik",
        "pagu": "7.195.000",
        "realisasi": "7.195.000",
        "target": "96,7",
        "realisasi_kinerja": "94,48",
    },
]


def test_dash_citation_of_a_figure_the_data_give(filled_template) -> None:
    found = cite(
        filled_template,
        ("capaian", "7.01.02", "-"),  # Tabel 3.15: PATEN capaian printed "-"
        ("capaian", "7.01.02", "97,7"),  # Tabel 3.13 prints it
        ("pagu", "7.01.01", "-"),  # nothing to compute from: quiet
        ("jumlah indikator sesuai target", None, "–"),
        ("jumlah indikator di bawah target", None, "-"),
        anggaran=PATEN,
        indikator=INDIKATOR,
        everything=True,
    )
    kutipan = [(f["code"], f["severity"], f["stated"]) for f in found if f["table"] == "kutipan"]
    assert kutipan == [("required-missing", "warning", "-"), ("citation-mismatch", "error", 0)]
    warning = next(f for f in found if f["code"] == "required-missing")
    assert warning["expected"] == pytest.approx(94.48 / 96.7 * 100, abs=1e-6)
    assert "97,70" in warning["message"] and "nihil" not in warning["message"]
    error = next(f for f in found if f["code"] == "citation-mismatch")
    assert error["expected"] == 1 and "nihil" in error["message"]


def test_blank_citation_is_still_required(filled_template) -> None:
    found = cite(filled_template, ("capaian", "IK1", None), everything=True)
    assert [(f["code"], f["severity"]) for f in found if f["table"] == "kutipan"] == [
        ("required-missing", "error")
    ]
