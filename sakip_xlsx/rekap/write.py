"""Writing the rekap workbook (xlsxwriter): the laid-out cells, headings, charts and print setup.

Rows of the layout are 1-based (as Excel shows them); xlsxwriter counts from 0, so every
row is turned into its index (``row - 1``) here and nowhere else.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..expr import Expr, cell_formula, guarded_value
from ..formats import (
    A4_POINTS,
    CELL_BORDER,
    PRINT_MARGIN,
    SEVERITY_FILL,
    BaseFormats,
    column_points,
    kind_format,
    set_page,
    wrapped_lines,
)
from ..output import REKAP_SUBJECT, atomic_output
from .build import NothingToConsolidate, Rekap
from .layout import (
    DATA_INDICATOR,
    DATA_INDICATOR_SHEET,
    DATA_PROGRAM,
    DATA_PROGRAM_SHEET,
    DECIMALS,
    HEADER_ROW,
    INDICATOR,
    INDICATOR_SHEET,
    MAIN_JENIS,
    NOTE_FIRST_ROW,
    NOTE_ROW,
    NOTE_ROWS,
    PROGRAM,
    PROGRAM_SHEET,
    RANKING,
    RANKING_SHEET,
    RULES_SHEET,
    RULES_WIDTHS,
    SUMMARY,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
    TITLE_ROW,
    UNREADABLE,
    UNREADABLE_SHEET,
    Cell,
    Columns,
    SheetCells,
)
from .matching import Summary
from .report import json_report

#: characters XML 1.0 cannot hold (a formula's cached string is written as it is)
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

#: cell styles written in bold (formats of _Formats.cell)
_BOLD_STYLES = frozenset({"group", "total", "flag"})


def write_rekap(
    summaries: Sequence[Summary],
    path: str | Path,
    overwrite: bool = False,
    inputs: Iterable[str | Path] = (),
) -> dict[str, Any]:
    """Write the rekap workbook for the summaries of :func:`summarise_file` (atomically).

    Returns the JSON summary (also what ``--format json`` prints).  Raises
    :class:`NothingToConsolidate` (a ValueError) when no summary is readable (nothing to consolidate).
    """
    import xlsxwriter

    rekap = Rekap(list(summaries))
    if not rekap.readable:
        raise NothingToConsolidate("Tidak ada berkas yang dapat dibaca; rekap tidak dibuat.")
    rekap.build()
    sources = [*inputs, *(summary["path"] for summary in summaries)]
    with atomic_output(path, overwrite=overwrite, inputs=sources, suffixes=(".xlsx",)) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        _Writer(workbook, rekap).write()
        workbook.close()
    report = json_report(rekap)
    report["output"] = str(path)
    report["written"] = True
    return report


class _Writer:
    def __init__(self, workbook, rekap: Rekap):
        self.workbook = workbook
        self.rekap = rekap
        self.f = _Formats(workbook)

    def write(self) -> None:
        rekap = self.rekap
        self.workbook.set_properties(
            {
                "title": "Rekap LKjIP kecamatan",
                "subject": REKAP_SUBJECT,
                "comments": f"Dibuat oleh sakip-xlsx dari {len(rekap.summaries)} berkas",
            }
        )
        sheets = {name: self.workbook.add_worksheet(name) for name in rekap.sheets}
        self._summary(sheets[SUMMARY_SHEET])
        mixed = (
            "PERHATIAN: tahun laporan bercampur; bandingkan peringkat hanya antar berkas dengan tahun yang "
            "sama. "
            if rekap.mixed_years
            else ""
        )
        self._table(
            sheets[RANKING_SHEET],
            RANKING_SHEET,
            RANKING,
            "Peringkat Kecamatan",
            mixed + "Kiri: menurut serapan anggaran; kanan: menurut rata-rata capaian Sasaran Strategis "
            "(aturan tiap berkas). Nilai dan peringkat (RANK) dirujuk dari lembar Ringkasan.",
        )
        self._table(
            sheets[PROGRAM_SHEET],
            PROGRAM_SHEET,
            PROGRAM,
            "Pagu, Realisasi dan Serapan per Program di Semua Kecamatan",
            'Program dicocokkan menurut nama (huruf kecil, tanda baca dan kata awal "Program" diabaikan) '
            "atau kode yang sama. Baris tebal = jumlah semua kecamatan; baris di bawahnya = tiap kecamatan "
            "(dapat dilipat). Serapan = realisasi / pagu × 100.",
        )
        self._table(
            sheets[INDICATOR_SHEET],
            INDICATOR_SHEET,
            INDICATOR,
            "Indikator yang Dipakai Bersama oleh Beberapa Kecamatan",
            "Indikator dicocokkan menurut uraiannya (huruf kecil, tanda baca dan nama kecamatan sendiri "
            "diabaikan). Baris tebal: rata-rata capaian antar kecamatan; capaian tiap kecamatan menurut "
            "aturan berkasnya.",
        )
        self._table(
            sheets[DATA_PROGRAM_SHEET],
            DATA_PROGRAM_SHEET,
            DATA_PROGRAM,
            "Data Program per Berkas",
            "Pagu dan realisasi tiap program seperti dihitung dari berkasnya (program = jumlah rinciannya). "
            "Total tiap berkas di Ringkasan = SUM baris-barisnya di sini.",
            autofilter=True,
        )
        self._table(
            sheets[DATA_INDICATOR_SHEET],
            DATA_INDICATOR_SHEET,
            DATA_INDICATOR,
            "Data Indikator per Berkas",
            "Target dan realisasi dari berkas; capaian dan predikat dihitung ulang dengan rumus menurut "
            "aturan tiap berkas (polaritas, target rentang, batas atas/bawah).",
            autofilter=True,
        )
        self._table(
            sheets[UNREADABLE_SHEET],
            UNREADABLE_SHEET,
            UNREADABLE,
            "Berkas yang Tidak Dapat Dibaca",
            "Berkas ini tidak ikut direkap. Perbaiki atau minta kirim ulang, lalu jalankan rekap lagi.",
        )
        self._rules(sheets[RULES_SHEET])
        sheets[SUMMARY_SHEET].activate()

    # -- cells ---------------------------------------------------------------------------------------
    def _write(self, ws, row: int, col: int, cell: Cell) -> None:
        fmt = self.f.cell(cell.kind, cell.style)
        content = cell.content
        index = row - 1
        if isinstance(content, Expr):
            value = guarded_value(content)
            if isinstance(value, str):  # a cached string is written raw: no control characters in XML
                value = _CONTROL_CHARACTERS.sub("", value)
            ws.write_formula(index, col, cell_formula(content), fmt, "" if value is None else value)
        elif content is None or content == "":
            ws.write_blank(index, col, None, fmt)
        elif isinstance(content, bool):
            ws.write_string(index, col, str(content), fmt)
        elif isinstance(content, (int, float)):
            if math.isfinite(content):
                ws.write_number(index, col, content, fmt)
            else:
                ws.write_blank(index, col, None, fmt)
        else:
            ws.write_string(index, col, str(content)[:32000], fmt)

    def _cells(self, ws, sheet: SheetCells, widths: Sequence[float]) -> None:
        lines: dict[int, int] = {}
        for (row, col), cell in sheet.cells.items():
            if cell.kind == "wrap" and col < len(widths):
                content = guarded_value(cell.content) if isinstance(cell.content, Expr) else cell.content
                bold = cell.style in _BOLD_STYLES
                lines[row] = max(lines.get(row, 1), _lines(content, widths[col], bold))
        for row in sorted(set(lines) | set(sheet.levels)):
            height = 15 * min(lines.get(row, 1), 8) if lines.get(row, 1) > 1 else None
            options = {"level": sheet.levels[row]} if row in sheet.levels else None
            if height is not None or options:
                ws.set_row(row - 1, height, None, options)
        for (row, col), cell in sorted(sheet.cells.items()):
            self._write(ws, row, col, cell)

    def _heading(self, ws, title: str, note: str, widths: Sequence[float]) -> None:
        ws.write_string(TITLE_ROW - 1, 0, title, self.f.title)
        # the note wraps across the sheet's columns (text running past them would widen the page)
        warn = note.startswith("PERHATIAN")
        last = _first_page_columns(widths) - 1
        if last > 0:
            ws.merge_range(
                NOTE_ROW - 1, 0, NOTE_ROW - 1, last, note, self.f.warn_note if warn else self.f.note_wrap
            )
        else:
            ws.write_string(NOTE_ROW - 1, 0, note, self.f.warn_note if warn else self.f.note_wrap)
        lines = _lines(note, sum(widths[: last + 1]), bold=warn)
        if lines > 1:
            ws.set_row(NOTE_ROW - 1, 15 * min(lines, 6))

    def _header(self, ws, row: int, columns: Columns) -> None:
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width)
            if column.header:
                ws.write_string(row - 1, col, column.header, self.f.header)
        # bold, centred header text needs a little more room than body text
        needed = max((_lines(c.header, c.width * 0.85) for c in columns if c.header), default=1)
        ws.set_row(row - 1, 15 * needed + 4)

    def _print(self, ws, header_row: int | None, widths: Sequence[float]) -> None:
        """A4, legible (see formats.set_page); ``widths`` of the printed columns."""
        set_page(ws, widths, "Rekap LKjIP", repeat_row=None if header_row is None else header_row - 1)

    def _table(
        self, ws, name: str, columns: Columns, title: str, note: str, autofilter: bool = False
    ) -> None:
        sheet = self.rekap.sheets[name]
        self._heading(ws, title, note, columns.widths)
        self._header(ws, HEADER_ROW, columns)
        self._cells(ws, sheet, columns.widths)
        if autofilter and sheet.cells:
            last = max(row for row, _ in sheet.cells)
            ws.autofilter(HEADER_ROW - 1, 0, last - 1, len(columns) - 1)
        ws.freeze_panes(HEADER_ROW, 0)
        self._print(ws, HEADER_ROW, columns.widths)

    # -- summary -----------------------------------------------------------------------------------
    def _summary(self, ws) -> None:
        rekap, f = self.rekap, self.f
        counts = rekap.file_counts()
        self._heading(
            ws,
            "Rekap LKjIP Kecamatan",
            f"Dibuat oleh sakip-xlsx dari {counts['total']} berkas: {counts['read']} terbaca"
            + (f" ({counts['superseded']} diganti kiriman yang lebih baru)" if counts["superseded"] else "")
            + f", {counts['unreadable']} tidak terbaca. Angka turunan adalah rumus atas lembar Data Program dan "
            "Data Indikator; capaian dan predikat menurut aturan tiap berkas.",
            SUMMARY.widths,
        )
        notes = [n["message"] for n in rekap.notes]
        if len(notes) > NOTE_ROWS:
            notes = notes[: NOTE_ROWS - 1] + [" ".join(notes[NOTE_ROWS - 1 :])]
        if not notes:
            year = rekap.main_year if rekap.main_year is not None else "-"
            notes = [f"Tidak ada catatan: semua berkas tahun {year}, template versi {rekap.main_version}."]
        span = _first_page_columns(SUMMARY.widths)
        width = sum(SUMMARY.widths[:span])
        for offset, message in enumerate(notes):
            fmt = f.warn if message.startswith("PERHATIAN") else f.remark
            index = NOTE_FIRST_ROW - 1 + offset
            ws.merge_range(index, 0, index, span - 1, message, fmt)
            needed = _lines(message, width)
            if needed > 1:
                ws.set_row(index, 15 * min(needed, 4))
        self._header(ws, SUMMARY_HEADER_ROW, SUMMARY)
        self._cells(ws, rekap.sheets[SUMMARY_SHEET], SUMMARY.widths)
        ws.freeze_panes(SUMMARY_HEADER_ROW, 2)
        self._charts(ws)
        self._print(ws, SUMMARY_HEADER_ROW, SUMMARY.widths)

    def _charts(self, ws) -> None:
        rekap = self.rekap
        n = len(rekap.readable)
        height = max(260, 70 + 22 * n)
        anchor = rekap.summary.chart - 1
        ws.set_h_pagebreaks([anchor])  # the charts start a page: a page edge would cut one in two
        for value, col, title, label in (
            ("serapan", RANKING["serapan"], "Serapan Anggaran per Kecamatan (%)", "Serapan (%)"),
            (
                "capaian",
                RANKING["capaian"],
                f"Rata-rata Capaian {MAIN_JENIS} per Kecamatan (%)",
                "Rata-rata capaian (%)",
            ),
        ):
            first, last = rekap.rankings[value][0] - 1, rekap.rankings[value][-1] - 1
            name_col = RANKING["instansi"] if value == "serapan" else RANKING["instansi_c"]
            chart = self.workbook.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": label,
                    "categories": [RANKING_SHEET, first, name_col, last, name_col],
                    "values": [RANKING_SHEET, first, col, last, col],
                    "fill": {"color": "#2E75B6" if value == "serapan" else "#548235"},
                    "data_labels": {"value": True, "num_format": "0.00"},
                }
            )
            chart.set_title({"name": title})
            chart.set_x_axis({"min": 0, "num_format": "0"})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_size({"width": _chart_width(SUMMARY.widths), "height": height})
            ws.insert_chart(anchor, 1, chart)
            anchor += math.ceil(height / 20) + 2

    def _rules(self, ws) -> None:
        sheet = self.rekap.sheets[RULES_SHEET]
        self._heading(
            ws,
            "Aturan Perhitungan yang Dipakai",
            "Capaian, predikat dan jumlah indikator di atas/di bawah target tiap berkas dihitung menurut "
            "aturan yang tertanam di berkas itu (atau --rules bila diberikan).",
            RULES_WIDTHS,
        )
        for col, width in enumerate(RULES_WIDTHS):
            ws.set_column(col, col, width)
        self._cells(ws, sheet, RULES_WIDTHS)
        self._print(ws, None, RULES_WIDTHS)


class _Formats(BaseFormats):
    """The rekap's cell formats, created once per workbook (titles, headers, notes from BaseFormats)."""

    def __init__(self, workbook):
        super().__init__(workbook, DECIMALS)
        add = self.add
        self.warn_note = add({"bold": True, "font_color": "#9C0006", "text_wrap": True, "valign": "top"})
        self.remark = add({"font_color": "#1F4E78", "text_wrap": True, "valign": "top"})
        self.warn = add(
            {
                "bold": True,
                "font_color": "#9C0006",
                "bg_color": SEVERITY_FILL["warning"],
                "text_wrap": True,
                "valign": "top",
            }
        )
        self._cells: dict[tuple[str, str], Any] = {}

    def cell(self, kind: str, style: str):
        key = (kind, style)
        if key not in self._cells:
            props: dict[str, Any] = dict(CELL_BORDER)
            if kind_format(kind, DECIMALS):
                props["num_format"] = kind_format(kind, DECIMALS)
            elif kind == "wrap":
                props["text_wrap"] = True
            if style in ("group", "total"):
                props["bold"] = True
                props["bg_color"] = "#DDEBF7" if style == "group" else "#F2F2F2"
            if style == "total":
                props["top"] = 2
            if style == "flag":
                props["bg_color"] = SEVERITY_FILL["warning"]
                props["bold"] = True
            if style == "detail" and kind in ("wrap", "text"):
                props["indent"] = 1
            self._cells[key] = self.add(props)
        return self._cells[key]


def _chart_width(widths: Sequence[float], most: int = 760) -> int:
    """Pixels of a chart anchored in the second column that stays within the columns printed
    on the first page at full size (a chart across a page edge is cut in two)."""
    room = A4_POINTS[1] - 2 * PRINT_MARGIN * 72
    used = column_points(widths[0]) if widths else 0.0
    pixels = 0
    for width in widths[1:]:
        used += column_points(width)
        if used > room:
            break
        pixels += int(width * 7 + 0.5) + 5  # the column's pixels in Excel (narrower than printed here)
    return max(300, min(most, pixels))


def _first_page_columns(widths: Sequence[float], room: float = 150) -> int:
    """How many leading columns a note may span and still print on the first page (about
    ``room`` characters: an A4 landscape page at the smallest legible scale)."""
    used, count = 0.0, 0
    for width in widths:
        if count and used + width > room:
            break
        used += width
        count += 1
    return count


def _lines(text: Any, width: float, bold: bool = False) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide."""
    return wrapped_lines(None if text is None else str(text), width, bold)
