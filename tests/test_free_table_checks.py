"""Checks of free tables: a table pasted into the "Tabel Bebas" sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from check_helpers import IDENTITAS, analyse, approx, assert_message, tables

from sakip_xlsx.checks import run_checks


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
