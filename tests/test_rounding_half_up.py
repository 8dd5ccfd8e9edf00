"""Rounding half-up at exactly half a unit, and rounding chains (issue 17; SPEC 5 "rounding half-up",
SPEC 7 "rounding ... (truncation instead of rounding) → info").

A figure is right when it is its expected value rounded half-up to the decimals it shows.  At exactly
half a unit only the figure farther from zero is (Excel's ROUND): Mojokerto's "Penyediaan
Administrasi Pelaksanaan Tugas ASN" prints 99,99 for 4.999.750 / 5.000.000 × 100 = 99,995, which
rounds to 100,00 (a truncation: info, never an error).  The live Cek column of the template judges
the same way (one LibreOffice recalculation).

A figure computed from printed figures that are rounded (and right) is right, unless it shows more
decimals than they do and differs from the value from the unrounded figures: Jombang Tabel 3.16
prints efisiensi SDM 67,54 = 103,9 − 36,36 for 8,54 / 8,22 × 100 − 8 / 22 × 100 = 67,53 (info).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from helpers import fill_template, write_blank_template

from sakip_xlsx import precision
from sakip_xlsx.description import TEMPLATE
from sakip_xlsx.live import OK, WRONG
from sakip_xlsx.pipeline import check_file
from sakip_xlsx.precision import compare, judge, within_half_unit

ASN = 4_999_750 / 5_000_000 * 100  # 99,995 (Mojokerto, Tabel Realisasi Anggaran)


def test_exactly_half_a_unit_rounds_half_up() -> None:
    assert abs(ASN - 99.995) < 1e-9
    assert within_half_unit(100.00, ASN, 2)
    assert not within_half_unit(99.99, ASN, 2)
    verdict = compare(99.99, ASN, 2)
    assert (verdict.severity, verdict.rounding) == ("info", True)
    assert "dipotong" in precision.rounding_note(99.99, ASN, 2)
    # away from zero, as Excel's ROUND: -0,765 -> -0,77
    assert within_half_unit(-0.77, -0.765, 2) and not within_half_unit(-0.76, -0.765, 2)
    assert compare(-0.76, -0.765, 2).severity == "info"
    # 94,5 shown without decimals is 95; 94 is a truncation
    assert within_half_unit(95, 94.5, 0) and compare(94, 94.5, 0).severity == "info"


def test_less_than_half_a_unit_and_large_figures_unchanged() -> None:
    # the other truncated serapan of the same table (14.999.808 / 15.000.000: 99,99872) stays info
    assert compare(99.99, 14_999_808 / 15_000_000 * 100, 2).severity == "info"
    assert compare(99.96, 22_671_547 / 22_680_000 * 100, 2).severity is None  # 99,9627
    # a rupiah total equal to its sum: the relative float slack must not swallow the half unit
    total = 3_961_741_788 + 22_680_000 + 100_000_000 + 71_000_000 + 87_000_000
    assert within_half_unit(float(total), float(total), 0)
    big = 677_887_778_000.0
    assert within_half_unit(big, big, 0) and compare(big, big + 1, 0).severity == "error"
    assert within_half_unit(1234.0, 1234.3, 0) and not within_half_unit(1234.0, 1234.5, 0)


def test_rounding_chain() -> None:
    capaian, ketersediaan = 8.54 / 8.22 * 100, 8 / 22 * 100  # Jombang Tabel 3.16, IKPP
    printed = round(capaian, 1) - round(ketersediaan, 2)  # 103,9 − 36,36
    unrounded = capaian - ketersediaan
    assert round(printed, 2) == 67.54 and round(unrounded, 2) == 67.53
    # 67,54 shows two decimals, computed from 103,9 (one decimal): a rounding chain, info
    chain = judge("67,54", 67.54, printed, unrounded=unrounded, rounded_decimals=1)
    assert chain.verdict == precision.ROUNDING and chain.chain == pytest.approx(printed)
    assert chain.ground == pytest.approx(unrounded)
    found = precision.judged_finding(
        chain, precision.Where("Tabel Bebas", "I1"), code="x", what="a", explain=""
    )
    assert found is not None and found.severity == "info" and "dibulatkan" in found.message
    # the unrounded value is right; so is the value from figures that show as many decimals
    assert judge("67,53", 67.53, printed, unrounded=unrounded, rounded_decimals=1).verdict == precision.OK
    assert judge("67,54", 67.54, printed, unrounded=unrounded, rounded_decimals=2).verdict == precision.OK
    # a figure that is neither is judged against the value from the printed figures, as before
    wrong = judge("64,17", 64.17, printed, unrounded=unrounded, rounded_decimals=1)
    assert wrong.verdict == precision.ERROR and wrong.ground == pytest.approx(printed)


def _persen(report, sheet: str, cell: str) -> list:
    return [f for f in report.findings if (f.sheet, f.cell) == (sheet, cell)]


@pytest.fixture(scope="module")
def half_unit_workbook(tmp_path_factory) -> tuple[Path, Path]:
    """A budget with Mojokerto's Adm. Tugas ASN line printed 99,99 (truncated) and 100,00 (rounded
    half-up), built from the template and recalculated by LibreOffice."""
    from recalc import recalculate, require_soffice

    require_soffice()
    folder = tmp_path_factory.mktemp("half-unit")
    rows = [
        {"kode": "7.01.01", "tingkat": "Program", "uraian": "Program A"},
        {"kode": "7.01.01.2.01", "tingkat": "Kegiatan", "uraian": "Kegiatan A"},
        {
            "kode": "7.01.01.2.01.0001",
            "tingkat": "Sub Kegiatan",
            "uraian": "Penyediaan Administrasi Pelaksanaan Tugas ASN",
            "pagu": 5_000_000,
            "realisasi": 4_999_750,
            "persen_dilaporkan": "99,99",
        },
        {
            "kode": "7.01.01.2.01.0002",
            "tingkat": "Sub Kegiatan",
            "uraian": "Sama, dibulatkan setengah ke atas",
            "pagu": 5_000_000,
            "realisasi": 4_999_750,
            "persen_dilaporkan": "100,00",
        },
    ]
    path = fill_template(
        write_blank_template(folder / "setengah.xlsx"),
        {"pemda": "Kabupaten Mojokerto", "instansi": "Kecamatan Ngoro", "tahun": 2021},
        {"anggaran": rows},
    )
    return path, recalculate([path], folder / "recalculated")[path]


def test_check_and_live_cek_agree_at_half_a_unit(half_unit_workbook) -> None:
    path, copy = half_unit_workbook
    anggaran = TEMPLATE.table["anggaran"]
    first, letter = anggaran.first_data_row, anggaran.letter("persen_dilaporkan")
    truncated, rounded = f"{letter}{first + 2}", f"{letter}{first + 3}"
    report = check_file(path)
    found = _persen(report, "Anggaran", truncated)
    assert [(f.code, f.severity) for f in found] == [("rounding", "info")]
    assert found[0].expected == pytest.approx(ASN)
    assert _persen(report, "Anggaran", rounded) == []
    # the Cek column beside the typed figure says the same: a rounding note, not red; ✓
    sheet = openpyxl.load_workbook(copy, data_only=True)["Anggaran"]
    texts = {
        str(cell.value)
        for row in sheet.iter_rows(min_row=first + 2, max_row=first + 2)
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(OK)
    }
    assert any("pembulatan" in text for text in texts), texts
    cek_rounded = [
        str(cell.value)
        for row in sheet.iter_rows(min_row=first + 3, max_row=first + 3)
        for cell in row
        if isinstance(cell.value, str) and (cell.value.startswith(OK) or cell.value.startswith(WRONG))
    ]
    assert OK in cek_rounded and not any(text.startswith(WRONG) for text in cek_rounded)
