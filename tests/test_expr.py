"""Direct tests of the range expressions of :mod:`sakip_xlsx.expr` the rekap builds on:
``RangeSum``, ``SumIf`` and ``Rank`` (value and formula), each against plain arithmetic.

Their formulas are also recalculated by LibreOffice in tests/test_rekap.py; here each
value is derived by hand from the cells, blanks and text skipped as a spreadsheet does.
"""

from __future__ import annotations

import math

import pytest

from sakip_xlsx.expr import RangeSum, Rank, Ref, SumIf, cell_formula, exact_sum, guarded_value

SHEET = "Data Program"


def refs(values: list[object], column: str = "H", first: int = 4) -> tuple[Ref, ...]:
    return tuple(
        Ref(SHEET, f"{column}{first + i}", v, text=isinstance(v, str) and bool(v))
        for i, v in enumerate(values)
    )


def test_range_sum_skips_blanks_and_text_and_keeps_counts_exact():
    cells = refs([3, None, "x", 5, True])
    total = RangeSum(SHEET, "H4", "H8", cells)
    assert total.value() == 8 and isinstance(total.value(), int)  # counts stay whole numbers
    assert total.formula() == "SUM('Data Program'!H4:H8)"
    mixed = RangeSum(SHEET, "H4", "H6", refs([0.1, 0.2, 0.3]))
    assert mixed.value() == math.fsum([0.1, 0.2, 0.3]) == 0.6  # exactly rounded, not 0.6000000000000001
    assert RangeSum(SHEET, "H4", "H5", refs([None, "x"])).value() == 0


def test_exact_sum_is_a_spreadsheet_sum():
    assert exact_sum([1, 2, None, "3", float("nan"), float("inf")]) == 3
    assert exact_sum([1, 2.5]) == 3.5


def test_sum_if_sums_the_rows_whose_criterion_cell_equals_the_number():
    years = refs([2024, 2023, 2024, "2024", None], column="D")
    amounts = refs([100, 10, 1_000, 50, 7], column="L")
    total = SumIf(SHEET, ("D4", "D8"), years, ("L4", "L8"), amounts, 2024)
    assert total.value() == 100 + 1_000  # the text "2024" is no number: not matched, as in Excel
    assert total.formula() == "SUMIF('Data Program'!D4:D8,2024,'Data Program'!L4:L8)"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([90.0, 75.5, 90.0, None, 60], [1, 3, 1, None, 4]),  # ties share the better rank
        ([5], [1]),
    ],
)
def test_rank_is_one_for_the_largest_and_ties_share(values, expected):
    cells = refs(values)
    last = f"H{4 + len(values) - 1}"
    ranks = [Rank(cell, SHEET, "H4", last, cells) for cell in cells]
    assert [guarded_value(rank) for rank in ranks] == expected
    # a blank target gives no rank in the sheet either: the formula is guarded by its own cell
    assert (
        cell_formula(ranks[0])
        == f"=IF(COUNT('Data Program'!H4)<1,\"\",IFERROR(RANK('Data Program'!H4,'Data Program'!H4:{last}),\"\"))"
    )
