"""Comparing a stated figure at its shown precision (rounding, fractions, rupiah)."""

from __future__ import annotations

from typing import Any

import pytest
from check_helpers import IDENTITAS, analyse, approx, assert_message, capaian_findings, program, tables
from helpers import cell_of

from sakip_xlsx.checks import run_checks


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
