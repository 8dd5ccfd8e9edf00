"""A1 cell addresses: column letters and indexes (the one place the package converts them).

Rows are 1-based as Excel shows them; column indexes are 0-based (as xlsxwriter and
openpyxl's ``iter_rows`` count them).
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """Excel column letter of a 0-based column index (0 -> A, 26 -> AA); memoised."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def split_cell(cell: str) -> tuple[int, int]:
    """0-based column index and 1-based row of an A1 address ("C12" -> (2, 12)); ValueError if not one."""
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters) :]
    if not (1 <= len(letters) <= 3 and letters.isalpha() and letters.isupper() and digits.isdigit()):
        raise ValueError(f"not an A1 cell address: {cell!r}")
    return column_index(letters), int(digits)


@functools.lru_cache(maxsize=4096)
def column_index(letters: str) -> int:
    """0-based column index of an Excel column letter (A -> 0); memoised: a workbook uses few columns."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - 64)
    return index - 1


def cell_name(row: int, col: int) -> str:
    """A1 name of 1-based ``row`` and 0-based column ``col`` (3, 2 -> "C3")."""
    return f"{column_letter(col)}{row}"
