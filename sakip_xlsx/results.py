"""Write the results workbook: summary with charts, checks, Bab III tables, input copies, rules.

Every derived cell is a live formula with its cached value (computed by the
same expression), so Excel, LibreOffice, WPS, pandas and mail previews all
show numbers.  The input sheets are copied under their own names at their own
cell addresses, so every finding's cell and every formula reference is valid
in this workbook too.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

try:  # xlsxwriter's record of a formula cell
    from xlsxwriter.worksheet import CellFormulaTuple as _FORMULA_CELL
except ImportError:  # older versions (3.1)
    from xlsxwriter.worksheet import cell_formula_tuple as _FORMULA_CELL

from .cells import column_index, column_letter, split_cell
from .compute import Computation
from .description import (
    RULES_TEXT_FIELD,
    RULES_VERSION_FIELD,
    TEMPLATE,
)
from .errors import show_path
from .expr import Expr, Ref, cell_formula, guarded_value, quote_sheet
from .findings import KINDS, Finding, count_by_severity, count_roots, roots_first
from .formats import (
    CELL_BORDER,
    RUPIAH_FORMAT,
    SEVERITY_FILL,
    SEVERITY_LABEL,
    BaseFormats,
    fit_row,
    kind_format,
    percent_format,
    set_page,
)
from .model import Submission
from .output import RESULTS_SUBJECT, atomic_output
from .precision import decimals_shown
from .tables import (
    CHECKS_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    NOTE_ROW,
    RULES_SHEET,
    SUMMARY_SHEET,
    DerivedTable,
    input_sheets,
    unique_sheet_name,
)

MAX_COMMENTS = 400

#: The Pemeriksaan sheet's columns: (id, header, width, printed).  The printed ones come first
#: and make the print area, one A4 landscape page wide; the rest are for filtering on screen.
CHECK_COLUMNS = (
    ("no", "No", 4, True),
    ("severity", "Tingkat", 10, True),
    ("location", "Lokasi (klik)", 14, True),
    ("row_key", "Baris", 22, True),
    ("field", "Isian", 16, True),
    ("stated", "Tertulis", 13, True),
    ("expected", "Seharusnya", 13, True),
    ("message", "Keterangan", 40, True),
    ("hint", "Kemungkinan Penyebab", 24, True),
    ("difference", "Selisih", 13, False),
    ("title", "Jenis Temuan", 28, False),
    ("caused_by", "Akibat dari", 18, False),
)
#: Tables whose rows have an uraian: a kode cited elsewhere is named from them, in this order
_NAMED_TABLES = ("anggaran", "indikator", "sasaran")
#: Field types whose figures are whole rupiah or counts (no decimals shown)
_WHOLE_TYPES = frozenset({"rupiah", "integer", "year"})


def write_results(
    submission: Submission,
    computation: Computation,
    findings: list[Finding],
    path: str | Path,
    overwrite: bool = False,
    inputs: Iterable[str | Path] = (),
) -> Path:
    """Write the results workbook for one submission (atomically; never onto ``inputs`` or the submission)."""
    streamed = _cell_count(submission, computation) > STREAM_CELLS
    sources = [submission.path, *inputs]
    with atomic_output(path, overwrite=overwrite, inputs=sources, suffixes=(".xlsx",)) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
                "constant_memory": streamed,
                # a small workbook's parts are assembled in memory, not in temporary files
                "in_memory": not streamed,
            },
        )
        _ResultsWriter(workbook, submission, computation, findings).write()
        workbook.close()
    return Path(path)


#: Above this many cells the sheets are streamed: xlsxwriter's constant_memory mode writes each
#: row out once the next one starts (strings inline) instead of keeping a record of every cell
#: until the end, a third of a gigabyte for a 50,000-line workbook.  Smaller workbooks keep the
#: default mode, which is faster.  Either way every sheet is written row by row, top to bottom.
STREAM_CELLS = 300_000


def _cell_count(submission: Submission, computation: Computation) -> int:
    """About how many cells the results workbook holds (input copies and derived tables)."""
    copied = sum(len(row) for grid in submission.grids.values() for row in grid)
    return copied + sum(table.row_count * len(table.columns) for table in computation.tables)


class _FormulaSheet(Worksheet):
    """A worksheet for our own formulas, which use only classic functions (SUM, IF, COUNT,
    IFERROR, AVERAGE, COUNTIF, MIN, MAX, AND): xlsxwriter's rewriting of newer functions
    (about thirty regular expressions per formula) is skipped."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        return formula[1:] if formula.startswith("=") else formula

    def _write_formula(self, row: int, col: int, formula: str, cell_format=None, value=0) -> int:
        """Store a formula cell as xlsxwriter does, without looking for dynamic-array functions
        (FILTER, SORT, ...: a regular expression of thirty names, several microseconds per
        formula, a tenth of the writer's time) or array braces, which our formulas never use."""
        if self._check_dimensions(row, col):
            return -1
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        self.table[row][col] = _FORMULA_CELL(self._prepare_formula(formula), cell_format, value)
        return 0

    def _write_cell(self, row: int, col: int, cell) -> None:
        """Write one ``<c>`` element exactly as xlsxwriter does, for the cells this writer makes
        (number, string, formula or blank, always with a format), without its generic
        per-attribute escaping: a cell reference and a style number never need escaping.

        This is the innermost loop of saving (once per cell); anything else goes the library's
        way.  tests/test_results_writer.py checks that both ways write the same XML.
        """
        kind = cell.__class__.__name__
        cell_format = cell.format
        if cell_format is None or kind not in _PLAIN_CELLS:
            super()._write_cell(row, col, cell)
            return
        if kind == "String" and self.constant_memory and _NEEDS_INLINE_ESCAPES.search(cell.string):
            super()._write_cell(row, col, cell)
            return
        start = f'<c r="{column_letter(col)}{row + 1}" s="{cell_format._get_xf_index()}"'
        if kind == "Formula":
            value = cell.value
            if isinstance(value, bool):
                start += ' t="b"'
                value = 1 if value else 0
            elif isinstance(value, str) and value:
                start += ' t="e"' if value in _ERROR_VALUES else ' t="str"'
                value = _escape_text(value)
            self.fh.write(f"{start}><f>{_escape_text(cell.formula)}</f><v>{value}</v></c>")
        elif kind == "Number":
            self.fh.write(f"{start}><v>{cell.number:.16G}</v></c>")
        elif kind == "String" and self.constant_memory:
            self.fh.write(f'{start} t="inlineStr"><is><t>{_escape_text(cell.string)}</t></is></c>')
        elif kind == "String":
            self.fh.write(f'{start} t="s"><v>{cell.string}</v></c>')
        else:
            self.fh.write(f"{start}/>")


#: xlsxwriter's cell records (named tuples) that _FormulaSheet writes itself
_PLAIN_CELLS = frozenset({"Number", "String", "Formula", "Blank"})
#: what xlsxwriter escapes in an inline string or marks with xml:space="preserve": escape-like
#: text (_x0041_), control characters, non-characters, leading or trailing white space
_NEEDS_INLINE_ESCAPES = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]|^\s|\s$")
_ERROR_VALUES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})


def _escape_text(text: str) -> str:
    """XML-escape element text as xlsxwriter does (``&``, ``<`` and ``>``; quotes stay)."""
    if "&" in text or "<" in text or ">" in text:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text


class _InputCopies:
    """The copies of the submitted sheets: values as read, flagged cells shaded, messages as comments.

    Part of :class:`_ResultsWriter` (its state and cell writing are set there)."""

    def _input_copy(self, ws, name: str) -> None:
        values = self._copied_values(name)
        # a column is as wide as its longest value (at least 8, at most 50 characters)
        longest: dict[int, int] = {}
        for (_, c), value in values.items():
            length = len(value) if isinstance(value, str) else len(str(value))
            if length > longest.get(c, -1):
                longest[c] = length
        # the template's hidden rows and columns of field ids stay hidden
        hidden_rows, hidden_columns = _field_id_lines(values)
        widths: dict[int, float] = {}
        for c, length in longest.items():
            widths[c] = max(8, min(50, length + 2))
            ws.set_column(c, c, widths[c], None, {"hidden": c in hidden_columns})
        for r in sorted(hidden_rows):
            ws.set_row(r, None, None, {"hidden": True})
        flags = self._flagged_positions(name)
        messages = self._messages_by_cell(name) if flags else {}
        plain_formats = {False: self.f.copy(None, False), True: self.f.copy(None, True)}
        comments = 0
        write = self._write
        # row by row, flagged empty cells in their place (sorting the keys alone: a large sheet
        # copies a million cells)
        positions = list(values)
        positions += [position for position in flags if position not in values]
        positions.sort()
        for position in positions:
            r, c = position
            if position not in values:  # a flagged empty cell still shows
                ws._write_blank(r, c, None, self.f.copy(flags[position], False))
                continue
            value = values[position]
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            severity = flags.get(position) if flags else None
            if severity is None:
                write(ws, r, c, value, plain_formats[numeric])
                continue
            write(ws, r, c, value, self.f.copy(severity, numeric))
            cell = f"{column_letter(c)}{r + 1}"
            if comments < MAX_COMMENTS and (name, cell) in messages:
                ws.write_comment(r, c, messages[(name, cell)][:1000], {"x_scale": 2.5, "y_scale": 2})
                comments += 1
        ws.freeze_panes(3, 0)
        printed = [widths.get(c, 8.43) for c in range(max(widths, default=-1) + 1) if c not in hidden_columns]
        if positions:
            # the copied cells only: a long note overflowing to the right would otherwise widen the
            # printed page and shrink every page of the sheet below a legible size (LibreOffice)
            ws.print_area(0, 0, positions[-1][0], max(c for _, c in positions))
        self._print(ws, None, printed)

    def _copied_values(self, name: str) -> dict[tuple[int, int], Any]:
        """(row, column) -> value of every non-blank cell of an input sheet, as copied."""
        values: dict[tuple[int, int], Any] = {}
        grid = self.sub.grids.get(name, [])
        # the template's live-check columns (their field ids or "Cek" on row 2) and its status line
        # on row 1 are the template's own formulas, not submitted data
        live = _live_ids()
        skipped = {c for c, value in enumerate(grid[1]) if value in live} if len(grid) > 1 else set()
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                if value is not None and value != "" and c not in skipped and (r or not c):
                    values[(r, c)] = value
        # parsed values replace what was typed, so formulas see numbers
        for row, letter, value, raw, reading in self._cells_of(name):
            position = (row - 1, column_index(letter))
            if reading is not None and getattr(reading, "kind", None) == "range":
                value = reading.value
            if value is None:
                if raw not in (None, ""):
                    values[position] = raw  # unreadable: keep the text as typed
                else:
                    values.pop(position, None)
            else:
                values[position] = value
        return values

    def _flagged_positions(self, sheet: str) -> dict[tuple[int, int], str]:
        """(row, column) -> worst severity of the cells of ``sheet`` that carry a finding."""
        return {
            _cell_position(cell): severity
            for (flagged_sheet, cell), severity in self._worst_by_cell().items()
            if flagged_sheet == sheet
        }

    def _cells_of(self, sheet: str) -> Iterator[tuple[int, str, Any, Any, Any]]:
        """The cells read from ``sheet``: (row, column letter, value, raw, reading)."""
        for entry in self.sub.cells.values():
            if entry.sheet == sheet:
                yield entry.row, entry.column, entry.value, entry.raw, entry.parsed
        for table in self.sub.tables.values():
            if table.sheet == sheet:
                yield from table.cells()
        for free in self.sub.free_tables:
            if free.sheet == sheet:
                for row in free.rows:
                    for entry in row.cells.values():
                        yield entry.row, entry.column, entry.value, entry.raw, entry.parsed

    def _messages_by_cell(self, sheet: str) -> dict[tuple[str, str], str]:
        messages: dict[tuple[str, str], str] = {}
        for item in self.findings:
            if item.sheet == sheet and item.cell:
                key = (sheet, item.cell)
                text = item.message + (f" ({item.hint})" if item.hint else "")
                messages[key] = messages[key] + "\n" + text if key in messages else text
        return messages


class _ChecksSheet:
    """The Pemeriksaan sheet: one row per finding, each root error above the findings it causes.

    Part of :class:`_ResultsWriter` (its state and cell writing are set there)."""

    def _checks(self, ws) -> None:
        f = self.f
        printed = [column for column in CHECK_COLUMNS if column[3]]
        ws.write_string(0, 0, "Hasil Pemeriksaan", f.title)
        counts = count_by_severity(self.findings)
        ws.write_string(
            1,
            0,
            f"{show_path(self.sub.path.name)}: {counts['error']} kesalahan (akar masalah), "
            f"{count_roots(self.findings)[1]} akibat dari kesalahan itu, {counts['warning']} peringatan "
            f"(termasuk akibat), {counts['info']} info. Klik lokasi untuk melompat ke sel yang diperiksa; "
            "baris akibat ada tepat di bawah kesalahan yang menyebabkannya.",
            f.note,
        )
        for col, (_, header, width, _printed) in enumerate(CHECK_COLUMNS):
            ws.set_column(col, col, width)
            ws.write_string(2, col, header, f.header)
        ws.set_row(2, 30)
        if not self.findings:
            ws.merge_range(
                3,
                0,
                3,
                len(printed) - 1,
                "Tidak ada temuan: semua angka yang diperiksa sesuai dengan hasil hitung ulang.",
                f.ok,
            )
        order = {"error": 0, "warning": 1, "info": 2}
        # each root error first, the findings it causes right under it ("Akibat dari" links back)
        ordered = roots_first(
            self.findings,
            key=lambda item: (order[item.severity], item.code, item.sheet or "", _cell_sort_key(item.cell)),
        )
        widths = {column_id: width for column_id, _, width, _ in CHECK_COLUMNS}
        labels = _FieldLabels(self.sub)
        root_row = {
            item.location: 3 + index for index, item in enumerate(ordered) if item.severity == "error"
        }
        for index, item in enumerate(ordered):
            self._check_row(ws, 3 + index, index + 1, item, labels, widths, root_row)
        if self.findings:
            ws.autofilter(2, 0, 2 + len(self.findings), len(CHECK_COLUMNS) - 1)
        ws.freeze_panes(3, 0)
        self.checks_last_row = 3 + len(self.findings)
        # on paper the printed columns only, one page wide, legible
        ws.print_area(0, 0, max(3, 2 + len(self.findings)), len(printed) - 1)
        self._print(ws, 2, [width for _, _, width, _ in printed])

    def _check_row(
        self,
        ws,
        row: int,
        number: int,
        item: Finding,
        labels: _FieldLabels,
        widths: dict[str, float],
        root_row: dict[str, int],
    ) -> None:
        """One finding's row of the Pemeriksaan sheet (``number`` is its No)."""
        f = self.f
        fmt = f.severity_row[item.severity]
        cells = {
            "no": number,
            "severity": SEVERITY_LABEL[item.severity],
            "title": KINDS[item.code].title,
            "row_key": labels.row(item.table, item.row_key, item.cell),
            "field": labels.field(item.table, item.field),
            "stated": _display(item.stated),
            "expected": _display(item.expected),
            "difference": item.difference,
            "message": item.message,
            "hint": item.hint,
        }
        fit_row(ws, row, [(cells[c], widths[c]) for c in ("message", "hint", "row_key", "field", "title")])
        decimals = labels.decimals(item)
        for col, (column_id, _, _, _) in enumerate(CHECK_COLUMNS):
            if column_id in ("stated", "expected", "difference") and isinstance(
                cells[column_id], (int, float)
            ):
                shown = decimals[("stated", "expected", "difference").index(column_id)]
                self._write(ws, row, col, cells[column_id], f.severity_number(item.severity, shown))
            elif column_id == "caused_by":
                if item.caused_by and item.caused_by in root_row:
                    target = root_row[item.caused_by]
                    ws.write_url(
                        row,
                        col,
                        f"internal:{quote_sheet(ws.name)}!A{target + 1}",
                        f.severity_link[item.severity],
                        f"No {target - 2}: {item.caused_by}",
                    )
                else:
                    self._write(ws, row, col, item.caused_by or "", fmt)
            elif column_id == "location":
                if item.sheet and item.cell and item.sheet in self.input_sheets:
                    ws.write_url(
                        row,
                        col,
                        f"internal:{quote_sheet(item.sheet)}!{item.cell}",
                        f.severity_link[item.severity],
                        f"{item.sheet}!{item.cell}",
                    )
                else:
                    self._write(ws, row, col, item.location, fmt)
            else:
                self._write(ws, row, col, cells[column_id], fmt)


class _SummarySheet:
    """The Ikhtisar sheet: the key figures, the counts of findings, and the charts.

    Part of :class:`_ResultsWriter` (its state and cell writing are set there)."""

    def _summary(self, ws) -> None:
        f = self.f
        for col, width in enumerate(SUMMARY_WIDTHS):
            ws.set_column(col, col, width)
        ws.write_string(0, 0, "Ikhtisar Hasil LKjIP", f.title)
        ws.write_string(1, 0, f"Dibuat oleh sakip-xlsx dari {show_path(self.sub.path.name)}", f.note)
        row = 3

        def line(label: str, content: Any, fmt=None) -> None:
            nonlocal row
            ws.write_string(row, 0, label, f.bold)
            self._write(ws, row, 1, content, fmt or f.plain)
            row += 1

        for label, field_id in (("Pemerintah daerah", "pemda"), ("Perangkat daerah", "instansi")):
            line(label, self.sub.cell_value(field_id))
        line("Tahun laporan", self._tahun())
        line("Berkas", show_path(self.sub.path.name))
        line("Versi template", self.sub.template_version)
        line("Aturan perhitungan", self.sub.rules.name)
        row += 1
        ws.write_string(row, 0, "Hasil pemeriksaan", f.section)
        row += 1
        last = max(getattr(self, "checks_last_row", 3), 4)
        counts = count_by_severity(self.findings)
        for severity in ("error", "warning", "info"):
            label = SEVERITY_LABEL[severity]
            expr = _CountText(self.checks_sheet, f"B4:B{last}", label, counts[severity])
            line(f"Jumlah {label.lower()}", expr, f.integer)
        row += 1
        ws.write_string(row, 0, "Anggaran", f.section)
        row += 1
        s = self.comp.summary
        line("Total pagu (Rp)", s.get("total_pagu"), f.rupiah)
        line("Total realisasi (Rp)", s.get("total_realisasi"), f.rupiah)
        line("Sisa anggaran (Rp)", s.get("total_selisih"), f.rupiah)
        line("Serapan anggaran (%)", s.get("total_serapan"), f.percent)
        for key in sorted(k for k in s if k.startswith("total_pk:")):
            line(f"Total anggaran PK {key.split(':', 1)[1]} (Rp)", s[key], f.rupiah)
        row += 1
        ws.write_string(row, 0, "Kinerja", f.section)
        row += 1
        for key in [k for k in s if k.startswith("rata_capaian:")]:
            jenis = key.split(":", 1)[1]
            line(f"Rata-rata capaian {jenis} (%)", s[key], f.percent)
            line(f"Predikat {jenis}", s.get(f"predikat:{jenis}"), f.plain)
        for name, label in (
            ("di_atas", "di atas target (> 100%)"),
            ("tepat", "tepat target (= 100%)"),
            ("di_bawah", "di bawah target (< 100%)"),
        ):
            if f"jumlah_{name}" in self.comp.totals:
                line(f"Jumlah indikator {label}", self.comp.totals[f"jumlah_{name}"], f.integer)
        row += 1
        ws.write_string(row, 0, "Aturan yang dipakai", f.section)
        row += 1
        for setting, value in self.sub.rules.describe()[:6]:
            line(setting, value)
        self._charts(ws, row + 1)
        self._print(ws, None, list(SUMMARY_WIDTHS))

    def _charts(self, ws, row: int) -> None:
        """Capaian per indicator against 100%, and pagu vs realisasi per program: below the
        figures and the per-program block, as wide as they are, on a page of their own."""
        charts: list[tuple[Any, int]] = []
        capaian = next((t for t in self.comp.tables if t.id == "capaian_kinerja"), None)
        indicator_rows = [i for i, r in enumerate(capaian.rows) if r.style != "total"] if capaian else []
        if indicator_rows:
            first, last = FIRST_ROW + indicator_rows[0] - 1, FIRST_ROW + indicator_rows[-1] - 1
            sheet = capaian.sheet
            chart = self.workbook.add_chart({"type": "column"})
            categories = [sheet, first, _col(capaian, "kode"), last, _col(capaian, "kode")]
            chart.add_series(
                {
                    "name": "Capaian (%)",
                    "categories": categories,
                    "values": [sheet, first, _col(capaian, "capaian"), last, _col(capaian, "capaian")],
                    "fill": {"color": "#2E75B6"},
                    "data_labels": {"value": True, "num_format": "0.0", "position": "outside_end"},
                }
            )
            line = self.workbook.add_chart({"type": "line"})
            line.add_series(
                {
                    "name": "Target 100%",
                    "categories": categories,
                    "values": [sheet, first, _col(capaian, "garis"), last, _col(capaian, "garis")],
                    "line": {"color": "#C00000", "dash_type": "dash", "width": 1.5},
                    "marker": {"type": "none"},
                }
            )
            chart.combine(line)
            chart.set_title({"name": "Capaian Kinerja per Indikator"})
            chart.set_y_axis({"name": "%", "min": 0})
            chart.set_legend({"position": "bottom"})
            charts.append((chart, 320))
        budget = next((t for t in self.comp.tables if t.id == "realisasi_anggaran"), None)
        program_rows = [i for i, r in enumerate(budget.rows) if r.style == "program"] if budget else []
        if program_rows:
            # a compact per-program block (formulas referring to the budget table) feeds the chart
            ws.write_string(row, 0, "Pagu dan realisasi per program", self.f.section)
            headers = ("Program", "Pagu (Rp)", "Realisasi (Rp)", "Serapan (%)")
            for col, header in enumerate(headers):
                ws.write_string(row + 1, col, header, self.f.header)
            for offset, index in enumerate(program_rows):
                r = row + 2 + offset
                fit_row(ws, r, [(budget.rows[index].cells.get("uraian"), 44)])
                self._write(ws, r, 0, budget.rows[index].cells.get("uraian"), self.f.wrap)
                self._write(ws, r, 1, budget.ref(index, "pagu"), self.f.rupiah)
                self._write(ws, r, 2, budget.ref(index, "realisasi"), self.f.rupiah)
                self._write(ws, r, 3, budget.ref(index, "serapan"), self.f.percent)
            first, last = row + 2, row + 1 + len(program_rows)
            chart = self.workbook.add_chart({"type": "bar"})
            for col, name, color in ((1, "Pagu", "#A5A5A5"), (2, "Realisasi", "#2E75B6")):
                chart.add_series(
                    {
                        "name": name,
                        "categories": [self.summary_sheet, first, 0, last, 0],
                        "values": [self.summary_sheet, first, col, last, col],
                        "fill": {"color": color},
                    }
                )
            chart.set_title({"name": "Pagu dan Realisasi per Program"})
            chart.set_x_axis({"min": 0, "num_format": "#,##0"})
            chart.set_y_axis({"reverse": True})  # programs top to bottom, as in the table
            chart.set_legend({"position": "bottom"})
            charts.append((chart, 80 + 45 * len(program_rows)))
            row = last + 2
        if charts:
            ws.set_h_pagebreaks([row])
        for chart, height in charts:
            chart.set_size({"width": SUMMARY_WIDTH_PIXELS, "height": height})
            ws.insert_chart(row, 0, chart)
            row += math.ceil(height / 20) + 1


class _ResultsWriter(_InputCopies, _ChecksSheet, _SummarySheet):
    """The results workbook of one submission; each sheet kind is written by its part."""

    def __init__(self, workbook, submission: Submission, computation: Computation, findings: list[Finding]):
        self.workbook = workbook
        self.sub = submission
        self.comp = computation
        self.findings = findings
        self.f = _Formats(workbook, submission.rules.decimals)
        self.input_sheets = input_sheets(submission)
        # the writer's own sheets step aside when a submitted sheet already has their name
        taken = set(self.input_sheets)
        self.summary_sheet = unique_sheet_name(SUMMARY_SHEET, taken)
        self.checks_sheet = unique_sheet_name(CHECKS_SHEET, taken | {self.summary_sheet})
        self.rules_sheet = unique_sheet_name(RULES_SHEET, taken | {self.summary_sheet, self.checks_sheet})

    def _sheet(self, name: str):
        return self.workbook.add_worksheet(name, worksheet_class=_FormulaSheet)

    def write(self) -> None:
        self.workbook.set_properties(
            {
                "title": f"Hasil pemeriksaan LKjIP {self.sub.instansi}",
                "subject": RESULTS_SUBJECT,
                "comments": f"Dibuat dari {show_path(self.sub.path.name)} dengan aturan {self.sub.rules.name}",
            }
        )
        summary = self._sheet(self.summary_sheet)
        checks = self._sheet(self.checks_sheet)
        for table in self.comp.tables:
            self._derived(self._sheet(table.sheet), table)
        for name in self.input_sheets:
            self._input_copy(self._sheet(name), name)
        self._rules(self._sheet(self.rules_sheet))
        self._checks(checks)
        self._summary(summary)
        summary.activate()

    # -- generic cell writing ---------------------------------------------------
    def _write(self, ws, row: int, col: int, content: Any, fmt) -> None:
        """Write one cell: a formula with its cached value, or a literal (text never becomes a formula).

        Calls xlsxwriter's undecorated ``_write_*`` methods (stable since 1.x): the public ones
        only add A1-notation parsing, a tenth of the writer's time for the results of a large
        workbook.
        """
        if isinstance(content, str):
            if content:
                ws._write_string(row, col, content[:32000], fmt)
            else:
                ws._write_blank(row, col, None, fmt)
        elif isinstance(content, Expr):
            value = guarded_value(content)
            ws._write_formula(row, col, cell_formula(content, ws.name), fmt, "" if value is None else value)
        elif content is None:
            ws._write_blank(row, col, None, fmt)
        elif isinstance(content, bool):
            ws._write_boolean(row, col, content, fmt)
        elif isinstance(content, (int, float)):
            if math.isfinite(content):
                ws._write_number(row, col, content, fmt)
            else:
                ws._write_string(row, col, str(content), fmt)
        elif isinstance(content, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            ws._write_string(row, col, str(content), fmt)
        elif content == "":
            ws._write_blank(row, col, None, fmt)
        else:
            ws._write_string(row, col, str(content)[:32000], fmt)

    def _title(self, ws, title: str, note: str = "") -> None:
        ws.write_string(TITLE_ROW_INDEX, 0, title, self.f.title)
        subtitle = f"{self.sub.instansi} • {self.sub.cell_value('pemda') or ''} • tahun {self._tahun()}"
        ws.write_string(NOTE_ROW - 1, 0, (note + "  " if note else "") + subtitle.strip(" •"), self.f.note)

    def _tahun(self) -> str:
        tahun = self.sub.cell_value("tahun")
        return str(int(tahun)) if isinstance(tahun, (int, float)) else "-"

    def _print(self, ws, header_row: int | None, widths: list[float], smallest_font: float = 11.0) -> None:
        """A4, legible (see formats.set_page); ``widths`` of the printed columns."""
        set_page(ws, widths, self.sub.instansi, smallest_font=smallest_font, repeat_row=header_row)

    # -- derived tables ---------------------------------------------------------------
    def _derived(self, ws, table: DerivedTable) -> None:
        self._title(ws, table.title, table.note)
        for col, column in enumerate(table.columns):
            ws.set_column(col, col, column.width)
            ws.write_string(HEADER_ROW - 1, col, column.header, self.f.header)
        ws.set_row(HEADER_ROW - 1, 32)
        worst = self._worst_by_cell()  # a cell copying an input cell with a finding is shaded like it
        columns = list(enumerate(table.columns))
        text_columns = [(c.id, c.width) for c in table.columns if c.kind == "text"]
        formats_by_style: dict[str, list] = {}
        write = self._write
        for index, row in enumerate(table.rows):
            excel_row = FIRST_ROW - 1 + index
            cells = row.cells
            fit_row(ws, excel_row, [(cells.get(column_id), width) for column_id, width in text_columns])
            formats = formats_by_style.get(row.style)
            if formats is None:
                formats = formats_by_style[row.style] = [
                    self.f.cell(c.kind, row.style) for c in table.columns
                ]
            for col, column in columns:
                content = cells.get(column.id)
                fmt = formats[col]
                if worst and isinstance(content, Ref):
                    severity = worst.get((content.sheet, content.cell))
                    if severity is not None:
                        fmt = self.f.cell(column.kind, row.style, severity)
                write(ws, excel_row, col, content, fmt)
        if not table.rows:
            ws.write_string(FIRST_ROW - 1, 0, "Tidak ada data untuk tabel ini.", self.f.note)
        ws.freeze_panes(HEADER_ROW, 0)
        self._print(ws, HEADER_ROW - 1, [column.width for column in table.columns])

    def _worst_by_cell(self) -> dict[tuple[str, str], str]:
        if not hasattr(self, "_worst"):
            order = {"error": 0, "warning": 1, "info": 2}
            worst: dict[tuple[str, str], str] = {}
            for item in self.findings:
                for cell in (item.cell, *item.cells):
                    if item.sheet and cell:
                        key = (item.sheet, cell)
                        if key not in worst or order[item.severity] < order[worst[key]]:
                            worst[key] = item.severity
            self._worst = worst
        return self._worst

    # -- rules --------------------------------------------------------------------------------
    def _rules(self, ws) -> None:
        f = self.f
        ws.set_column(0, 0, 36)
        ws.set_column(1, 1, 70)
        ws.write_string(0, 0, "Aturan Perhitungan yang Dipakai", f.title)
        row = 2
        for setting, value in self.sub.rules.describe():
            ws.write_string(row, 0, setting, f.bold)
            ws.write_string(row, 1, value, f.wrap)
            row += 1
        row += 1
        ws.write_string(row, 0, "Aturan (TOML)", f.bold)
        ws.write_string(row, 1, self.sub.rules.source, f.code)
        self._print(ws, None, [36, 70], smallest_font=9)


TITLE_ROW_INDEX = 0
#: the Ikhtisar's columns (label, value, and the per-program block's figures); its charts are
#: as wide as these columns (xlsxwriter's pixels: 7 per character and 5)
SUMMARY_WIDTHS = (44, 22, 18, 18)
SUMMARY_WIDTH_PIXELS = sum(int(width * 7 + 0.5) + 5 for width in SUMMARY_WIDTHS)


class _FieldLabels:
    """How the Pemeriksaan sheet names a finding's row, field and figures: as the template
    shows them (a column's header, a budget line's kode and uraian), not by internal ids."""

    def __init__(self, submission: Submission):
        self.sub = submission
        self._uraian: dict[str, dict[str, str]] = {}

    def _type(self, table: str | None, field_id: str | None) -> str | None:
        described = TEMPLATE.table.get(table or "")
        column = described.by_field.get(field_id or "") if described is not None else None
        if column is not None:
            return column.type
        cell = TEMPLATE.cell_field.get(field_id or "")
        return cell[1].type if cell is not None else None

    def field(self, table: str | None, field_id: str | None) -> str:
        """The header the template shows for a field (a free table's own header stays as it is)."""
        if not field_id:
            return ""
        described = TEMPLATE.table.get(table or "")
        column = described.by_field.get(field_id) if described is not None else None
        if column is not None:
            return column.header
        cell = TEMPLATE.cell_field.get(field_id)
        return cell[1].label if cell is not None else field_id

    def row(self, table: str | None, key: Any, cell: str | None = None) -> str:
        """A row's key with its uraian (``7.01.01.2.01.0002 Penyediaan ...``); a row without a
        kode (a printed report gave none) by the uraian on the finding's row."""
        if key is None or key == "":
            data = self.sub.tables.get(table or "")
            if not cell or data is None or "uraian" not in data.data:
                return ""
            try:
                number = split_cell(cell)[1]
            except ValueError:
                return ""
            for record, uraian in zip(data.records, data.values("uraian"), strict=False):
                if record.row == number:
                    return uraian.strip() if isinstance(uraian, str) else ""
            return ""
        key = str(key)
        if table not in self._uraian:
            data = self.sub.tables.get(table or "")
            names: dict[str, str] = {}
            if data is not None and "uraian" in data.data:
                for row_key, uraian in zip(data.keys, data.values("uraian"), strict=False):
                    if row_key and isinstance(uraian, str) and uraian.strip():
                        names.setdefault(row_key, uraian.strip())
            self._uraian[table or ""] = names
        uraian = self._uraian[table or ""].get(key)
        if uraian is None and table not in _NAMED_TABLES:  # a citation or Renstra row names a line
            for other in _NAMED_TABLES:
                uraian = self.row(other, key)[len(key) + 1 :] or None
                if uraian:
                    break
        return f"{key} {uraian}" if uraian and uraian != key else key

    def decimals(self, item: Finding) -> tuple[int, int, int]:
        """Decimals shown for (stated, expected, difference): rupiah and counts none, a stated
        figure as many as it was written with, a recomputed one the rules' decimals."""
        if self._type(item.table, item.field) in _WHOLE_TYPES:
            return 0, 0, 0
        stated = decimals_shown(item.stated, item.stated) if isinstance(item.stated, (int, float)) else 0
        expected = item.expected
        computed = (
            self.sub.rules.decimals
            if isinstance(expected, (int, float)) and not float(expected).is_integer()
            else 0
        )
        return stated, computed, max(stated, computed)


class _CountText(Expr):
    """``COUNTIF(range,"label")`` over the checks sheet, with its known count."""

    def __init__(self, sheet: str, cells: str, label: str, count: int):
        self.sheet, self.cells, self.label, self.count = sheet, cells, label, count

    def value(self) -> Any:
        return self.count

    def formula(self) -> str:
        return f'COUNTIF({quote_sheet(self.sheet)}!{self.cells},"{self.label}")'


_FIELD_IDS: frozenset[str] = frozenset()


def _field_id_lines(values: dict[tuple[int, int], Any]) -> tuple[set[int], set[int]]:
    """The rows and columns of a copied input sheet that hold only field ids (the template
    hides them: the row above a table's header, the column beside single cells)."""
    global _FIELD_IDS
    if not _FIELD_IDS:
        ids = {column.field for table in TEMPLATE.tables for column in table.columns}
        ids |= set(TEMPLATE.cell_field) | {RULES_VERSION_FIELD, RULES_TEXT_FIELD}
        _FIELD_IDS = frozenset(ids)
    rows: dict[int, list[bool]] = {}
    columns: dict[int, list[bool]] = {}
    for (r, c), value in values.items():
        is_id = isinstance(value, str) and value in _FIELD_IDS
        rows.setdefault(r, []).append(is_id)
        columns.setdefault(c, []).append(is_id)
    return (
        {r for r, flags in rows.items() if len(flags) >= 2 and all(flags)},
        {c for c, flags in columns.items() if len(flags) >= 2 and all(flags)},
    )


def _col(table: DerivedTable, column_id: str) -> int:
    return [c.id for c in table.columns].index(column_id)


@functools.lru_cache(maxsize=1)
def _live_ids() -> frozenset[str]:
    """Row-2 texts of the template's live-check columns (sakip_xlsx/live.py)."""
    ids = {"Cek"}
    for sheet in (*TEMPLATE.tables, *TEMPLATE.cell_sheets):
        ids |= {column.field for column in sheet.live}
    return frozenset(ids)


def _cell_position(cell: str) -> tuple[int, int]:
    """0-based (row, column) of an A1 address, as xlsxwriter takes them; ValueError if not one."""
    column, row = split_cell(cell)
    return row - 1, column


def _cell_sort_key(cell: str | None) -> tuple[int, int]:
    if not cell:
        return (0, 0)
    row, col = _cell_position(cell)
    return (row, col)


def _display(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)[:500]
    return value


class _Formats(BaseFormats):
    """The cell formats of the results workbook, created once per workbook."""

    def __init__(self, workbook, decimals: int):
        super().__init__(workbook, decimals)
        add = self.add
        self.integer = add({"num_format": "#,##0"})
        self.rupiah = add({"num_format": RUPIAH_FORMAT})
        self.percent = add({"num_format": percent_format(decimals)})
        self.ok = add({"bold": True, "font_color": "#375623", "bg_color": "#E2EFDA", "border": 1})
        self.severity_row = {
            s: add({"bg_color": c, "border": 1, "text_wrap": True, "valign": "top"})
            for s, c in SEVERITY_FILL.items()
        }

        self.severity_link = {
            s: add({"bg_color": c, "border": 1, "font_color": "blue", "underline": 1, "valign": "top"})
            for s, c in SEVERITY_FILL.items()
        }
        self._cells: dict[tuple, Any] = {}

    def severity_number(self, severity: str, decimals: int):
        """A figure of the Pemeriksaan sheet, shown with ``decimals`` decimals."""
        key = ("finding", severity, decimals)
        if key not in self._cells:
            number = "#,##0" + ("." + "0" * decimals if decimals else "")
            self._cells[key] = self.add(
                {"bg_color": SEVERITY_FILL[severity], "border": 1, "valign": "top", "num_format": number}
            )
        return self._cells[key]

    def cell(self, kind: str, style: str, severity: str | None = None):
        key = ("cell", kind, style, severity)
        if key not in self._cells:
            props: dict[str, Any] = dict(CELL_BORDER)
            if kind_format(kind, self.decimals) and kind != "number":
                props["num_format"] = kind_format(kind, self.decimals)
            elif kind == "text":
                props["text_wrap"] = True
            if style in ("program", "total"):
                props["bold"] = True
            if style == "total":
                props["top"] = 2
                props["bg_color"] = "#F2F2F2"
            if style == "kegiatan":
                props["italic"] = True
            if severity:
                props["bg_color"] = SEVERITY_FILL[severity]
            self._cells[key] = self.add(props)
        return self._cells[key]

    def copy(self, severity: str | None, numeric: bool):
        key = ("copy", severity, numeric)
        if key not in self._cells:
            props: dict[str, Any] = {"valign": "top"}
            if numeric:
                props["num_format"] = "#,##0.##########"
            if severity:
                props["bg_color"] = SEVERITY_FILL[severity]
                props["border"] = 2
                props["border_color"] = "#C00000" if severity == "error" else "#BF8F00"
            self._cells[key] = self.add(props)
        return self._cells[key]


__all__ = ["write_results", "NOTE_ROW"]
