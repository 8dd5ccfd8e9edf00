"""Number formats and colours shared by the template and results writers."""

from __future__ import annotations

import math
from collections.abc import Iterable
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

#: a table's column header in every generated workbook: white bold on dark blue, centred
TABLE_HEADER = {
    "bold": True,
    "text_wrap": True,
    "align": "center",
    "valign": "vcenter",
    "font_color": HEADER_FONT,
    "bg_color": HEADER_FILL,
    "border": 1,
}
#: a table cell's thin grey border (top aligned)
CELL_BORDER = {"border": 1, "border_color": "#BFBFBF", "valign": "top"}
#: the wrapped grey note under a sheet's title
NOTE_WRAP = {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"}


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
        self.header = add(TABLE_HEADER)
        self.note_wrap = add(NOTE_WRAP)


def wrapped_lines(text: Any, width: float, bold: bool = False) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    On the safe side for the widest rendering (LibreOffice without Calibri): a line holds
    about ``width`` lower-case characters, fewer in bold or capitals.
    """
    if not isinstance(text, str) or not text:
        return 1
    factor = 1.0
    if bold:
        factor *= 0.9
    if text.isupper():
        factor *= 0.8
    per_line = max(1.0, width * factor)
    if len(text) <= per_line and "\n" not in text:
        return 1  # one line (most cells: skip the split)
    lines = 0
    for part in text.split("\n"):  # words wrap whole: pack them line by line
        used = 0.0
        lines += 1
        for word in part.split():
            if used and used + 1 + len(word) > per_line:
                lines += 1
                used = 0.0
            if len(word) > per_line:  # a word longer than the line is broken
                lines += math.ceil(len(word) / per_line) - 1
                used = len(word) % per_line
            else:
                used += (1 if used else 0) + len(word)
    return lines


def fit_row(ws, row: int, texts: list[tuple[Any, float]]) -> None:
    """Give a row the height its longest wrapped text needs (spreadsheets do not always autofit).

    ``texts`` pairs each wrapped text of the row with its column width in characters.
    """
    lines = max((wrapped_lines(text, width) for text, width in texts), default=1)
    if lines > 1:
        ws.set_row(row, 15 * min(lines, 15))


#: The smallest text a printed page may show, in points (the tests assert at least 7 on A4).
MIN_PRINT_POINTS = 7.5
#: A4 in points (portrait width, height); print margins left and right in inches
A4_POINTS = (595.3, 841.9)
PRINT_MARGIN = 0.4


def column_points(width: float) -> float:
    """The printed width at 100 % of a column ``width`` characters wide.

    Measured in LibreOffice without Calibri (the widest case: it measures a character of the
    fallback font, DejaVu Sans, at about 7 points); Excel with Calibri prints narrower.
    """
    return 0.0 if width <= 0 else 7.05 * width + 4.5


def print_layout(
    widths: Iterable[float], smallest_font: float = 11.0, repeat_columns: int = 0
) -> tuple[bool, int]:
    """(landscape, pages across) for columns of ``widths`` on A4: portrait at full size when
    they fit across it, else landscape fitted to as many pages across as the columns fill at
    the smallest legible scale (text at least MIN_PRINT_POINTS; 0 pages: printed at full size).

    Columns are never split across pages and the ``repeat_columns`` first ones are printed
    again on every page, so the pages are counted by packing whole columns.
    """
    points = [column_points(width) for width in widths]
    total = sum(points)
    margins = 2 * PRINT_MARGIN * 72
    portrait, landscape = A4_POINTS[0] - margins, A4_POINTS[1] - margins
    if total <= portrait:
        return False, 0
    if total <= landscape:
        return True, 0
    room = landscape * smallest_font / MIN_PRINT_POINTS  # a page's width in unscaled points
    repeated = sum(points[:repeat_columns])
    pages, used = 1, 0.0
    for width in points:
        if used and used + width > room:
            pages, used = pages + 1, repeated
        used += width
    return True, pages


def set_print(
    ws,
    widths: Iterable[float],
    *,
    smallest_font: float = 11.0,
    repeat_row: int | None = None,
    repeat_columns: int = 0,
) -> None:
    """Print setup shared by every generated sheet: A4, legible, headers repeated.

    ``widths`` are the printed columns' widths (characters; hidden columns left out, the
    width of a chart counted as columns it covers); ``smallest_font`` the smallest font the
    sheet prints.
    """
    landscape, pages_across = print_layout(widths, smallest_font, repeat_columns)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if pages_across:
        ws.fit_to_pages(pages_across, 0)
        if pages_across > 1:
            ws.print_across()
            if repeat_columns:
                ws.repeat_columns(0, repeat_columns - 1)
    ws.set_margins(left=PRINT_MARGIN, right=PRINT_MARGIN, top=0.6, bottom=0.6)
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)


def set_page(
    ws, widths: Iterable[float], title: str, *, smallest_font: float = 11.0, repeat_row: int | None = None
):
    """:func:`set_print` with the first column repeated, plus the page header (``title`` left,
    the sheet's name right) and footer (``sakip-xlsx``, page numbers) of the results and rekap
    workbooks."""
    set_print(ws, widths, smallest_font=smallest_font, repeat_row=repeat_row, repeat_columns=1)
    ws.set_header(f"&L&11{title.replace('&', '&&')[:60]}&R&11&A")
    ws.set_footer("&L&11sakip-xlsx&R&11Halaman &P dari &N")
