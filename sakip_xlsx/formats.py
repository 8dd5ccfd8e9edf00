"""Number formats and colours shared by the template and results writers."""

from __future__ import annotations

import math
from typing import Any

RUPIAH_FORMAT = "#,##0"
INTEGER_FORMAT = "#,##0"
YEAR_FORMAT = "0"

HEADER_FILL = "#1F4E78"
HEADER_FONT = "#FFFFFF"
REPORTED_FILL = "#EDEDED"
TITLE_FONT = "#1F4E78"
SEVERITY_FILL = {"error": "#F8CBAD", "warning": "#FFE699", "info": "#DDEBF7"}
SEVERITY_LABEL = {"error": "Kesalahan", "warning": "Peringatan", "info": "Info"}


def percent_format(decimals: int) -> str:
    """Number format for values already in percent units (98.71 shows as 98.71)."""
    return "0" if decimals == 0 else "0." + "0" * decimals


def kind_format(kind: str, decimals: int = 2) -> str | None:
    """Number format of a derived cell of ``kind`` (rupiah, percent, integer, year, number)."""
    return {
        "rupiah": RUPIAH_FORMAT,
        "percent": percent_format(decimals),
        "integer": INTEGER_FORMAT,
        "year": YEAR_FORMAT,
        "number": "#,##0.##########",
    }.get(kind)


def number_format(value_type: str, decimals: int = 2) -> str | None:
    """Number format of an input column of ``value_type`` (None: General)."""
    return {
        "rupiah": RUPIAH_FORMAT,
        "integer": INTEGER_FORMAT,
        "year": YEAR_FORMAT,
        "percent": percent_format(decimals),
    }.get(value_type)


class BaseFormats:
    """The text formats every generated workbook shares (titles, notes, plain, wrapped, code)."""

    def __init__(self, workbook, decimals: int):
        add = workbook.add_format
        self.workbook = workbook
        self.add = add
        self.decimals = decimals
        self.title = add({"bold": True, "font_size": 14, "font_color": TITLE_FONT})
        self.section = add({"bold": True, "font_size": 12, "font_color": TITLE_FONT})
        self.note = add({"italic": True, "font_color": "#595959"})
        self.bold = add({"bold": True, "valign": "top"})
        self.plain = add({"valign": "top"})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        self.code = add({"text_wrap": True, "valign": "top", "font_name": "Courier New", "font_size": 9})


def fit_row(ws, row: int, texts: list[tuple[Any, float]]) -> None:
    """Give a row the height its longest wrapped text needs (spreadsheets do not always autofit).

    ``texts`` pairs each wrapped text of the row with its column width in characters.
    """
    lines = 1
    for text, width in texts:
        if isinstance(text, str) and text:
            per_line = max(1.0, width * 1.05)
            if len(text) <= per_line and "\n" not in text:
                continue  # one line (most cells: skip the split)
            lines = max(lines, sum(math.ceil(max(1, len(part)) / per_line) for part in text.split("\n")))
    if lines > 1:
        ws.set_row(row, 15 * min(lines, 15))
