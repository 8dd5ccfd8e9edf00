"""A PDF page's characters and rulings from pypdfium2, in the shapes pdfplumber works on.

pdfplumber finds the tables and assembles the text, as the issue asks; only the
reading of each page's content (characters with their boxes, drawn lines) is
done by PDFium (pypdfium2, which pdfplumber itself depends on), because
pdfminer's pure-Python page interpretation takes ~15x longer: a 100-page
report is read in about half a second instead of eight.

The page object offers what :mod:`.pdf` uses of a ``pdfplumber.page.Page``:
``chars``, ``edges``, ``bbox``, ``find_tables()`` and
``filter(...).extract_text_lines()``; the same reader code runs on either.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

#: a drawn path no thicker than this is a ruling line (points)
_THIN = 3.0


class PdfiumPage:
    """One page: characters (pdfplumber's char dicts) and ruling edges, top-down coordinates."""

    def __init__(self, page: Any) -> None:
        import pypdfium2.raw as raw

        self.width = float(page.get_width())
        self.height = float(page.get_height())
        self.bbox = (0.0, 0.0, self.width, self.height)
        self.chars = _chars(raw, page, self.height)
        self.edges = _edges(raw, page, self.height)

    def find_tables(self) -> list:
        from pdfplumber.table import TableFinder, TableSettings

        return TableFinder(self, TableSettings.resolve(None)).tables

    def filter(self, keep: Callable[[dict], bool]) -> _Chars:
        return _Chars([char for char in self.chars if keep(char)], self)

    def extract_text_lines(self, return_chars: bool = False) -> list[dict]:
        return _Chars(self.chars, self).extract_text_lines(return_chars=return_chars)


class _Chars:
    """Some characters of a page, as text lines (pdfplumber's text map)."""

    def __init__(self, chars: list[dict], page: PdfiumPage) -> None:
        self.chars = chars
        self.page = page

    def extract_text_lines(self, return_chars: bool = False) -> list[dict]:
        from pdfplumber.utils.text import chars_to_textmap

        if not self.chars:
            return []
        textmap = chars_to_textmap(
            self.chars,
            layout_bbox=self.page.bbox,
            layout_width=self.page.width,
            layout_height=self.page.height,
        )
        return textmap.extract_text_lines(strip=True, return_chars=return_chars)


def _chars(raw: Any, page: Any, height: float) -> list[dict]:
    textpage = raw.FPDFText_LoadPage(page.raw)
    if not textpage:
        return []
    try:
        count = raw.FPDFText_CountChars(textpage)
        box = raw.FS_RECTF()
        origin_x, origin_y = ctypes.c_double(), ctypes.c_double()
        chars: list[dict] = []
        # the page's text in one call: one UTF-16 unit per character index
        buffer = (ctypes.c_ushort * (count + 1))()
        written = raw.FPDFText_GetText(textpage, 0, count, buffer)
        codes = list(buffer[:count]) if written == count + 1 else None
        for index in range(count):
            if raw.FPDFText_IsGenerated(textpage, index):
                continue  # spaces and line ends PDFium adds itself
            code = codes[index] if codes is not None else raw.FPDFText_GetUnicode(textpage, index)
            if code in (0, 10, 13) or 0xD800 <= code <= 0xDFFF:
                continue
            if code in (2, 0xFFFE):  # PDFium's mark for a hyphen that ends a line
                code = 0x2D
            # across: the glyph's advance (loose box); up and down: from the baseline by the font size,
            # so that every character of a line has the same top whatever its font or shape
            if not raw.FPDFText_GetLooseCharBox(textpage, index, box):
                continue
            if not raw.FPDFText_GetCharOrigin(textpage, index, origin_x, origin_y):
                continue
            size = raw.FPDFText_GetFontSize(textpage, index) or (box.top - box.bottom)
            top = height - origin_y.value - 0.8 * size
            bottom = top + size
            chars.append(
                {
                    "object_type": "char",
                    "text": chr(code),
                    "x0": box.left,
                    "x1": box.right,
                    "top": top,
                    "bottom": bottom,
                    "doctop": top,
                    "width": box.right - box.left,
                    "height": size,
                    "size": size,
                    "upright": True,
                }
            )
        return chars
    finally:
        raw.FPDFText_ClosePage(textpage)


def _edges(raw: Any, page: Any, height: float) -> list[dict]:
    """Ruling lines: thin drawn paths, and the straight sides of other paths (rectangles, borders)."""
    edges: list[dict] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    x, y = ctypes.c_float(), ctypes.c_float()
    matrix = raw.FS_MATRIX()
    for index in range(raw.FPDFPage_CountObjects(page.raw)):
        obj = raw.FPDFPage_GetObject(page.raw, index)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if not raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            continue
        x0, x1 = left.value, right.value
        y0, y1 = height - top.value, height - bottom.value
        if y1 - y0 <= _THIN and x1 - x0 > y1 - y0:
            middle = (y0 + y1) / 2
            edges.append(_edge("h", x0, x1, middle, middle))
            continue
        if x1 - x0 <= _THIN:
            middle = (x0 + x1) / 2
            edges.append(_edge("v", middle, middle, y0, y1))
            continue
        # a larger path (a rectangle, a polyline): its straight horizontal and vertical segments
        if not raw.FPDFPageObj_GetMatrix(obj, matrix):
            continue
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        for number in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, number)
            if not raw.FPDFPathSegment_GetPoint(segment, x, y):
                continue
            point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
            kind = raw.FPDFPathSegment_GetType(segment)
            if kind == raw.FPDF_SEGMENT_MOVETO or not points:
                points = [point]
                start = point
            else:
                _segment_edge(edges, points[-1], point)
                points.append(point)
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                _segment_edge(edges, points[-1], start)
    return edges


def _segment_edge(edges: list[dict], p: tuple[float, float], q: tuple[float, float]) -> None:
    (px, py), (qx, qy) = p, q
    if abs(py - qy) < 0.5 and abs(px - qx) >= 0.5:
        edges.append(_edge("h", min(px, qx), max(px, qx), py, py))
    elif abs(px - qx) < 0.5 and abs(py - qy) >= 0.5:
        edges.append(_edge("v", px, px, min(py, qy), max(py, qy)))


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict:
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }
