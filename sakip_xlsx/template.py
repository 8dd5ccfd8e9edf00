"""Write the standardized input workbook from the template description."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import xlsxwriter

from .cells import column_index
from .description import (
    CELL_FIELD_COLUMN,
    CELL_FIRST_ROW,
    RULES_TEXT_FIELD,
    RULES_TEXT_ROW,
    RULES_VERSION_FIELD,
    RULES_VERSION_ROW,
    TEMPLATE,
    CellSheet,
    Reference,
    Table,
    TemplateDescription,
)
from .formats import (
    CELL_BORDER,
    NOTE_WRAP,
    REPORTED_FILL,
    TABLE_HEADER,
    TITLE_FONT,
    BaseFormats,
    fit_row,
    number_format,
    set_print,
    wrapped_lines,
)
from .live import LiveFormulas, is_wrong
from .output import atomic_output
from .reader import _part_sheets
from .rules import Rules, load_rules

if TYPE_CHECKING:
    from openpyxl import Workbook
from .values import WRITING, YEAR_MAX, YEAR_MIN

#: The last row of a print area of (nearly) whole columns, 0-based: one above the sheet's last, so
#: that it is written as a cell range (``$A$1:$W$1048575``) which openpyxl reads back (``$A:$W``
#: it drops, with a warning); LibreOffice and Excel print down to the last row with content.
PRINT_LAST_ROW = 1_048_574
#: How many columns of the free-tables sheet its instructions span (and the page is set for)
FREE_SHEET_PRINTED_COLUMNS = 7

#: What the instructions sheet says about the live checks (plain Indonesian for staff).
LIVE_EXPLANATION = (
    "Template ini memeriksa angka sambil Anda mengetik, tanpa makro dan tanpa internet, di Excel, "
    "LibreOffice maupun WPS. Di kanan setiap tabel ada kolom hijau \u201cCek\u201d: \u2713 berarti angka "
    "yang ditulis sama dengan hasil hitung dari isian Anda; \u201cseharusnya 97,11\u201d berarti angka itu "
    "berbeda dan selnya menjadi merah. Perbedaan karena pembulatan angka terakhir tidak dianggap salah.",
    "Yang diperiksa: pagu dan realisasi program/kegiatan yang diisi (harus sama dengan jumlah rinciannya), "
    "selisih, serapan dan capaian tiap baris Anggaran; capaian, tingkat kemajuan dan efisiensi Indikator; "
    "total, serapan, sisa, rata-rata capaian dan total PK di Ringkasan; anggaran PK dibanding pagu DPA; "
    "jumlah dan rasio penduduk.",
    "\u201cdiperiksa saat pengiriman\u201d berarti tulisan angkanya tidak dapat dibaca oleh rumus "
    "(mis. rentang 60 \u2013 70 tanpa Target Batas Atas, atau angka negatif dalam kurung); "
    "angka itu tetap diperiksa oleh kabupaten. Di bawah ini jumlah angka yang berbeda per lembar; "
    "klik untuk langsung ke angka pertama.",
)

PROTECT_OPTIONS = {
    "format_cells": True,
    "format_columns": True,
    "format_rows": True,
    "insert_rows": True,
    "delete_rows": True,
    "sort": True,
    "autofilter": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}


@dataclass(frozen=True)
class TemplateOptions:
    """What the kabupaten pre-fills when it generates a template."""

    pemda: str | None = None
    instansi: str | None = None
    tahun: int | None = None


def write_template(
    path: str | Path,
    rules: Rules | None = None,
    options: TemplateOptions | None = None,
    description: TemplateDescription = TEMPLATE,
    overwrite: bool = False,
    shared_formulas: bool = True,
) -> Path:
    """Write the input template workbook to ``path`` (atomically) and return it.

    ``shared_formulas=False`` leaves each live column's rows below the first as xlsxwriter writes
    them (a placeholder formula), for a program that loads the blank template with openpyxl, fills
    it, saves it and then calls :func:`share_formulas` itself (``impor``, ``samples/build.py``):
    openpyxl would otherwise translate every shared formula into every row on load (about ten
    times slower), and the saved result is the same.
    """
    rules = rules or load_rules()
    options = options or TemplateOptions()
    with atomic_output(path, overwrite=overwrite, suffixes=(".xlsx",)) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary), {"strings_to_formulas": False, "strings_to_numbers": False}
        )
        writer = _TemplateWriter(workbook, description, rules, options)
        writer.write()
        workbook.close()
        if shared_formulas:
            share_formulas(temporary, live_formula_spans(description))
    return Path(path)


def blank_workbook(rules: Rules | None = None) -> Workbook:
    """A blank template loaded with openpyxl, to be filled by a program (``impor``, ``samples/build.py``).

    Written with ``shared_formulas=False`` (see :func:`write_template`); the caller saves it and then
    calls :func:`share_formulas` on the saved file.
    """
    import tempfile

    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory(prefix="sakip-blank-") as folder:
        blank = Path(folder) / "template.xlsx"
        write_template(blank, rules, TemplateOptions(), overwrite=True, shared_formulas=False)
        return load_workbook(blank)


#: What xlsxwriter writes for a cell whose formula is the first one's, shifted (see share_formulas).
_SHIFTED = "=0"
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+)([0-9]+)"([^>]*)><f>[^<]*</f>')


def live_formula_spans(description: TemplateDescription = TEMPLATE) -> dict[str, dict[str, tuple[int, int]]]:
    """Sheet name -> live column letter -> (first, last) data row, 1-based: the filled-down live
    columns of the template, each one formula shifted row by row."""
    spans: dict[str, dict[str, tuple[int, int]]] = {}
    for table in description.tables:
        if table.live:
            span = (table.first_data_row, table.first_data_row + table.rows - 1)
            spans[table.sheet] = {table.live_letters[column.field]: span for column in table.live}
    return spans


def share_formulas(path: Path, shared: dict[str, dict[str, tuple[int, int]]] | None = None) -> None:
    """Make each filled-down live column one shared formula (as Excel saves a filled-down column).

    Written in full, 500 rows of 40 live columns make the sheet tens of megabytes.  The first
    data row keeps its formula, marked ``t="shared"`` with the column's range; the cells below
    become references to it, and Excel, LibreOffice and WPS shift its relative references row by
    row.  Works on the template as xlsxwriter writes it (rows below hold :data:`_SHIFTED`) and on
    a workbook re-saved by openpyxl (every row in full: the samples, ``impor``), provided the
    live cells are untouched.  ``shared``: :func:`live_formula_spans` (the default); sheets are
    found by name, wherever they are in the workbook.
    """
    import io
    import zipfile

    shared = live_formula_spans() if shared is None else shared
    # Rebuilt in memory and written back over ``path`` (callers pass their own temporary file, never
    # a user's file): no second file name next to it, so a long name or a failing rename leaves nothing.
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        members = {part: shared[name] for part, name in _part_sheets(source).items() if name in shared}
        for info in source.infolist():
            data = source.read(info)
            columns = members.get(info.filename)
            if columns is not None:
                ids = {letter: number for number, letter in enumerate(columns)}

                def collapse(match: re.Match[bytes], columns=columns, ids=ids) -> bytes:
                    letter, row = match.group(1).decode(), int(match.group(2))
                    span = columns.get(letter)
                    if span is None or not span[0] <= row <= span[1]:
                        return match.group(0)
                    head = b'<c r="%s%d"%s>' % (match.group(1), row, match.group(3))
                    if row == span[0]:
                        formula = match.group(0)[len(head) :]
                        ref = f"{letter}{span[0]}:{letter}{span[1]}".encode()
                        return head + b'<f t="shared" ref="%s" si="%d">' % (ref, ids[letter]) + formula[3:]
                    return head + b'<f t="shared" si="%d"/>' % ids[letter]

                data = _FORMULA_CELL.sub(collapse, data)
            target.writestr(info, data)
    with open(path, "r+b") as output:
        output.truncate(0)
        output.write(buffer.getbuffer())


class _TemplateWriter:
    def __init__(self, workbook, description: TemplateDescription, rules: Rules, options: TemplateOptions):
        self.workbook = workbook
        self.description = description
        self.rules = rules
        self.options = options
        self.formats = _Formats(workbook, rules.decimals)
        self.live = LiveFormulas(description, rules)

    def write(self) -> None:
        self.workbook.set_properties(
            {
                "title": "Template LKjIP sakip-xlsx",
                "subject": "Laporan Kinerja Instansi Pemerintah",
                "comments": f"sakip-xlsx template {self.description.version}; aturan: {self.rules.name}",
            }
        )
        self.workbook.set_custom_property("sakip_xlsx_template_version", self.description.version)
        tables = {table.sheet: table for table in self.description.tables}
        cell_sheets = {sheet.sheet: sheet for sheet in self.description.cell_sheets}
        for name in self.description.sheet_order:
            worksheet = self.workbook.add_worksheet(name)
            if name == self.description.instructions_sheet:
                self._instructions(worksheet)
            elif name == self.description.lists_sheet:
                self._lists(worksheet)
            elif name == self.description.rules_sheet:
                self._rules(worksheet)
            elif name == self.description.free_sheet:
                self._free_tables(worksheet)
            elif name in tables:
                self._table(worksheet, tables[name])
            elif name in cell_sheets:
                self._cell_sheet(worksheet, cell_sheets[name])
            else:  # pragma: no cover - a description error
                raise ValueError(f"sheet {name!r} is not described")
        self.workbook.worksheets()[0].activate()

    # -- instructions ------------------------------------------------------
    def _instructions(self, ws) -> None:
        f = self.formats
        ws.set_column("A:A", 4)
        ws.set_column("B:B", 24)
        ws.set_column("C:C", 100)
        ws.write_string("B1", "Petunjuk Pengisian Template LKjIP", f.title)
        ws.write_string(
            "B2",
            f"Template versi {self.description.version} • aturan perhitungan: {self.rules.name}",
            f.note,
        )
        steps = [
            "Isi lembar Identitas: nama pemerintah daerah, perangkat daerah, tahun dan pimpinan.",
            "Isi lembar Sasaran, lalu Indikator (pilih kode sasaran dari daftar).",
            "Isi lembar Anggaran: satu baris per program, kegiatan dan sub kegiatan, urut dari atas "
            "(program, lalu kegiatannya, lalu sub kegiatannya).",
            "Isi lembar PK Anggaran dengan anggaran program seperti tertulis di Perjanjian Kinerja.",
            'Kolom berwarna abu-abu ("Dilaporkan") dan lembar Ringkasan: salin angka persis seperti '
            "tertulis di LKjIP. Angka ini diperiksa, bukan dipakai menghitung.",
            "Simpan sebagai .xlsx (bukan .xls, .ods atau .csv) lalu kirim ke kabupaten.",
        ]
        row = self._live_overview(ws, 3) + 1
        ws.write_string(row, 1, "Langkah pengisian", f.section)
        for number, step in enumerate(steps, 1):
            row += 1
            ws.write_number(row, 0, number, f.plain)
            ws.merge_range(row, 1, row, 2, step, f.wrap)
        row += 2
        ws.write_string(row, 1, "Isi tiap lembar", f.section)
        purposes = [
            (sheet.sheet, sheet.purpose) for sheet in self.description.cell_sheets + self.description.tables
        ]
        purposes += [
            (
                self.description.free_sheet,
                "Tabel angka lain dari laporan (penduduk per desa, pegawai, PBB, PATEN, LRA, IKM...): "
                "tempel dengan judul dan judul kolom; baris Jumlah/Total dan rumus kolom ikut diperiksa. "
                "Cara menulisnya ada di atas lembar itu.",
            ),
            (
                self.description.lists_sheet,
                "Daftar pilihan. Satuan dan sumber dana baru boleh ditambah di baris kosong kolomnya.",
            ),
            (self.description.rules_sheet, "Aturan perhitungan kabupaten. Jangan diubah."),
        ]
        for name, purpose in purposes:
            row += 1
            ws.write_string(row, 1, name, f.bold)
            ws.write_string(row, 2, purpose, f.wrap)
            fit_row(ws, row, [(purpose, 100)])
        row += 2
        ws.write_string(row, 1, "Cara menulis angka", f.section)
        tips = [
            WRITING["rupiah"],
            WRITING["percent"],
            WRITING["number"],
            "Target rentang ditulis 60 – 70, atau 60 di kolom Target dan 70 di Target Batas Atas.",
            "Kosongkan sel bila data tidak ada. Jangan menulis 0 untuk data yang tidak ada.",
            "Baris tambahan boleh disisipkan atau ditulis di bawah area berbingkai.",
        ]
        for tip in tips:
            row += 1
            ws.write_string(row, 2, "• " + tip, f.wrap)
        row += 2
        ws.write_string(row, 1, "Jangan diubah", f.section)
        for tip in (
            "Nama lembar, baris judul kolom dan baris tersembunyi di atasnya.",
            "Lembar Aturan dan lembar Daftar (kecuali baris kosong untuk satuan dan sumber dana baru).",
        ):
            row += 1
            ws.write_string(row, 2, "• " + tip, f.wrap)
        row += 2
        ws.write_string(row, 1, "Aturan perhitungan", f.section)
        for setting, value in self.rules.describe():
            row += 1
            ws.write_string(row, 1, setting, f.wrap)
            ws.write_string(row, 2, value, f.wrap)
            fit_row(ws, row, [(setting, 24), (value, 100)])
        ws.protect("", PROTECT_OPTIONS)
        self._print_setup(ws, repeat_row=None, widths=[4, 24, 100])

    def _live_overview(self, ws, row: int) -> int:
        """The live checks on the instructions sheet: what they do, and each sheet's status line."""
        f = self.formats
        ws.write_string(row, 1, "Pemeriksaan langsung", f.section)
        for text in LIVE_EXPLANATION:
            row += 1
            ws.merge_range(row, 1, row, 2, text, f.wrap)
            fit_row(ws, row, [(text, 124)])
        sheets = [
            sheet for sheet in (*self.description.cell_sheets, *self.description.tables) if sheet.live_checks
        ]
        order = {name: index for index, name in enumerate(self.description.sheet_order)}
        for sheet in sorted(sheets, key=lambda item: order[item.sheet]):
            row += 1
            ws.write_string(row, 1, sheet.sheet, f.bold)
            ranges = self.live.status_ranges(sheet, qualified=True)
            ws.write_formula(row, 2, self.live.status(sheet.sheet, ranges), f.status, "")
        return row + 1

    # -- cell sheets -------------------------------------------------------
    def _cell_sheet(self, ws, sheet: CellSheet) -> None:
        f = self.formats
        ws.set_column("A:A", 38)
        ws.set_column("B:B", 40, f.input_text)
        ws.set_column("C:C", 60)
        ws.set_column(f"{CELL_FIELD_COLUMN}:{CELL_FIELD_COLUMN}", 22, None, {"hidden": True})
        ws.write_string("A1", sheet.title, f.title)
        ws.write_string(f"A{CELL_FIRST_ROW - 1}", "Isian", f.header)
        ws.write_string(f"B{CELL_FIRST_ROW - 1}", "Nilai", f.header)
        ws.write_string(f"C{CELL_FIRST_ROW - 1}", "Keterangan", f.header)
        prefill = {
            "pemda": self.options.pemda,
            "instansi": self.options.instansi,
            "tahun": self.options.tahun,
        }
        for cell_field in sheet.fields:
            row = sheet.row(cell_field.field)
            label = cell_field.label + (" *" if cell_field.required else "")
            ws.write_string(f"A{row}", label, f.label)
            value_format = f.input_for(cell_field.type, cell_field.reported)
            value = prefill.get(cell_field.field)
            if isinstance(value, int):
                ws.write_number(f"B{row}", value, value_format)
            elif value:
                ws.write_string(f"B{row}", value, value_format)
            else:
                ws.write_blank(f"B{row}", None, value_format)
            ws.write_string(f"C{row}", cell_field.help, f.help)
            ws.write_string(f"{CELL_FIELD_COLUMN}{row}", cell_field.field, f.field_id)
            self._validation(
                ws, f"B{row}", cell_field.type, cell_field.list, cell_field.help, cell_field.label
            )
        if sheet.live:
            self._live_cells(ws, sheet)
        ws.freeze_panes(CELL_FIRST_ROW - 1, 0)
        ws.protect("", PROTECT_OPTIONS)
        self._print_setup(ws, repeat_row=CELL_FIRST_ROW - 2, widths=[38, 40, 60])
        if sheet.live:
            ws.print_area(0, 0, CELL_FIRST_ROW + len(sheet.fields) - 1, 2)

    def _live_cells(self, ws, sheet: CellSheet) -> None:
        """Live columns of a cell sheet: a Cek cell beside each checked figure, hidden helpers."""
        f = self.formats
        base = column_index(CELL_FIELD_COLUMN) + 1
        for offset, column in enumerate(sheet.live):
            index = base + offset
            ws.set_column(index, index, 34 if not column.hidden else 14, f.live, {"hidden": column.hidden})
            ws.write_string(
                CELL_FIRST_ROW - 2,
                index,
                column.field if column.hidden else column.header,
                f.live_header if not column.hidden else f.field_id,
            )
        for check in sheet.live_checks:
            row = sheet.row(check.field) - 1
            formulas = self.live.cell_row(sheet, check.field)
            for offset, column in enumerate(sheet.live):
                ws.write_formula(row, base + offset, formulas[column.field], f.live, "")
            self._live_format(ws, (row, 1, row, 1), f"${sheet.live_letters['cek']}{row + 1}")
        ws.write_formula(0, 2, self.live.status(sheet.sheet, self.live.status_ranges(sheet)), f.status, "")

    # -- table sheets ------------------------------------------------------
    def _table(self, ws, table: Table) -> None:
        f = self.formats
        header_index = table.header_row - 1
        field_index = table.field_row - 1
        first = table.first_data_row - 1
        last = first + table.rows - 1
        validated_last = table.last_validated_row - 1
        ws.write_string(table.header_row - 3, 0, table.title, f.title)
        ws.set_row(field_index, None, None, {"hidden": True})
        # headers wrap in bold: the row is as tall as the longest needs (at least three lines)
        lines = max(
            wrapped_lines(column.header + (" *" if column.required else ""), column.width, bold=True)
            for column in table.columns
        )
        ws.set_row(header_index, 15 * max(3, lines) + 2)
        for index, column in enumerate(table.columns):
            input_format = f.input_for(column.type, column.reported)
            ws.set_column(index, index, column.width, input_format)
            ws.write_string(field_index, index, column.field, f.field_id)
            header = column.header + (" *" if column.required else "")
            ws.write_string(header_index, index, header, f.reported_header if column.reported else f.header)
            for row in range(first, last + 1):
                ws.write_blank(row, index, None, input_format)
            self._validation(
                ws,
                (first, index, validated_last, index),
                column.type,
                column.list,
                column.help,
                column.header,
            )
        if table.live:
            self._live_table(ws, table)
        ws.freeze_panes(table.first_data_row - 1, 0)
        ws.protect("", PROTECT_OPTIONS)
        self._print_setup(ws, repeat_row=header_index, widths=[column.width for column in table.columns])
        if table.live:
            # the input columns only, down to the sheet's end: printed down to the last row typed (a
            # print area ending at the last pre-formatted row prints hundreds of empty rows)
            ws.print_area(0, 0, PRINT_LAST_ROW, len(table.columns) - 1)

    # -- live checks (sakip_xlsx/live.py) ------------------------------------
    def _live_table(self, ws, table: Table) -> None:
        """The live-check columns right of a table's inputs: formulas per row, red typed cells."""
        f = self.formats
        header_index, field_index = table.header_row - 1, table.field_row - 1
        first = table.first_data_row - 1
        last = first + table.rows - 1
        base = len(table.columns)
        for offset, column in enumerate(table.live):
            index = base + offset
            ws.set_column(index, index, column.width, f.live, {"hidden": column.hidden})
            ws.write_string(field_index, index, column.field, f.field_id)
            ws.write_string(header_index, index, column.header, f.live_header)
        formulas = self.live.table_row(table, first + 1)
        for offset, column in enumerate(table.live):
            ws.write_formula(first, base + offset, formulas[column.field], f.live, "")
            for row in range(first + 1, last + 1):
                ws.write_formula(row, base + offset, _SHIFTED, f.live, "")
        for check in table.live_checks:
            typed = table.columns.index(table.by_field[check.field])
            cek = table.live_letters[f"cek_{check.field}"]
            self._live_format(ws, (first, typed, last, typed), f"${cek}{first + 1}")
        if table.live_checks:  # (a sheet only read live, such as Kutipan, has no status line)
            status_column = self._status_column(table)
            ws.write_formula(
                0, status_column, self.live.status(table.sheet, self.live.status_ranges(table)), f.status, ""
            )

    def _live_format(self, ws, where: tuple[int, int, int, int], cek: str) -> None:
        ws.conditional_format(
            *where, {"type": "formula", "criteria": "=" + is_wrong(cek), "format": self.formats.wrong}
        )

    @staticmethod
    def _status_column(table: Table) -> int:
        """Where the status line starts on row 1: right of the title (about 70 characters wide)."""
        width = 0.0
        for index, column in enumerate(table.columns):
            if width >= 70:
                return index
            width += column.width
        return len(table.columns)

    def _validation(self, ws, where, value_type: str, value_list, help_text: str, title: str) -> None:
        """Dropdown for list fields, number check for numeric fields, a help message for all."""
        options: dict = {"input_title": title[:32], "input_message": help_text[:255]}
        if isinstance(value_list, Reference):
            source = self.description.reference_range(value_list)
            options |= {
                "validate": "list",
                "source": "=" + source,
                "error_type": "warning",
                "error_title": "Kode tidak ditemukan",
                "error_message": f"Pilih kode yang ada di lembar {self.description.table[value_list.table].sheet}.",
            }
        elif value_list is not None:
            entry = self.description.value_list[value_list]
            options |= {
                "validate": "list",
                "source": "=" + self.description.list_range(value_list),
                "error_type": "warning" if entry.extensible else "stop",
                "error_title": "Pilihan tidak ada di daftar",
                "error_message": (
                    f"Pilih dari daftar {entry.header}."
                    + (
                        f" Pilihan baru boleh ditambah di lembar {self.description.lists_sheet}."
                        if entry.extensible
                        else ""
                    )
                ),
            }
        elif value_type == "year":
            options |= {
                "input_message": f"{help_text} {WRITING['year']}"[:255],
                "validate": "integer",
                "criteria": "between",
                "minimum": YEAR_MIN,
                "maximum": YEAR_MAX,
                "error_type": "information",
                "error_title": "Periksa tahun",
                "error_message": WRITING["year"],
            }
        elif value_type in WRITING:
            # every style the reader accepts is valid, text included: no number-only check,
            # the input message says how to write the number
            options |= {"input_message": f"{help_text} {WRITING[value_type]}"[:255], "validate": "any"}
        else:
            options |= {"validate": "any"}
        if isinstance(where, str):
            ws.data_validation(where, options)
        else:
            ws.data_validation(*where, options)

    # -- lists and rules ---------------------------------------------------
    def _lists(self, ws) -> None:
        f = self.formats
        for index, value_list in enumerate(self.description.lists):
            ws.set_column(index, index, max(14, len(value_list.header) + 2))
            ws.write_string(0, index, value_list.header, f.header)
            for row, value in enumerate(value_list.values, 1):
                ws.write_string(row, index, value, f.plain)
            for row in range(len(value_list.values) + 1, len(value_list.values) + 1 + value_list.spare_rows):
                ws.write_blank(row, index, None, f.input_text)
        ws.freeze_panes(1, 0)
        ws.protect("", PROTECT_OPTIONS)
        widths = [max(14, len(value_list.header) + 2) for value_list in self.description.lists]
        self._print_setup(ws, repeat_row=0, widths=widths)
        # on paper the lists only, not their blank rows for additions
        longest = max(len(value_list.values) for value_list in self.description.lists)
        ws.print_area(0, 0, longest, len(widths) - 1)

    def _rules(self, ws) -> None:
        f = self.formats
        ws.set_column("A:A", 34)
        ws.set_column("B:B", 90)
        ws.set_column(f"{CELL_FIELD_COLUMN}:{CELL_FIELD_COLUMN}", 20, None, {"hidden": True})
        ws.write_string("A1", "Aturan Perhitungan (jangan diubah)", f.title)
        ws.write_string(f"A{RULES_VERSION_ROW}", "Versi template", f.label)
        ws.write_string(f"B{RULES_VERSION_ROW}", self.description.version, f.plain)
        ws.write_string(f"{CELL_FIELD_COLUMN}{RULES_VERSION_ROW}", RULES_VERSION_FIELD, f.field_id)
        ws.write_string(f"A{RULES_TEXT_ROW}", "Aturan (TOML)", f.label)
        ws.write_string(f"B{RULES_TEXT_ROW}", self.rules.source, f.code)
        ws.write_string(f"{CELL_FIELD_COLUMN}{RULES_TEXT_ROW}", RULES_TEXT_FIELD, f.field_id)
        # the TOML is for the program: the settings below say the same in words, and the
        # sheet prints compactly (a row taller than a page would be cut across pages)
        ws.set_row(
            RULES_TEXT_ROW - 1, 15 * min(60, self.rules.source.count("\n") + 1), None, {"hidden": True}
        )
        row = RULES_TEXT_ROW + 1
        ws.write_string(row - 1, 0, "Aturan dalam kata-kata", f.label)
        for setting, value in self.rules.describe():
            ws.write_string(row, 0, setting, f.label)
            ws.write_string(row, 1, value, f.wrap)
            fit_row(ws, row, [(value, 90)])
            row += 1
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
        self._print_setup(ws, repeat_row=None, widths=[34, 90])

    def _free_tables(self, ws) -> None:
        """The free-tables sheet: its conventions on top, the rest editable."""
        from .freetables import FIRST_TABLE_ROW, INSTRUCTIONS

        f = self.formats
        widths = [22] + [13] * (FREE_SHEET_PRINTED_COLUMNS - 1)
        ws.set_column(0, 0, widths[0], f.input_text)
        ws.set_column(1, 30, 13, f.input_text)
        # each instruction wraps across the printed columns instead of running off the page
        last = len(widths) - 1
        for row, line in enumerate(INSTRUCTIONS):
            ws.merge_range(row, 0, row, last, line, f.title_wrap if row == 0 else f.note_wrap)
            # a 14-point title needs about 1.3 times the room of 11-point text
            fit_row(ws, row, [(line, sum(widths) / (1.3 if row == 0 else 1))])
        ws.write_blank(FIRST_TABLE_ROW - 2, 0, None, f.input_text)
        ws.protect("", PROTECT_OPTIONS | {"insert_columns": True, "delete_columns": True})
        self._print_setup(ws, repeat_row=None, widths=widths)

    def _print_setup(
        self, ws, repeat_row: int | None, widths: list[float], smallest_font: float = 11.0
    ) -> None:
        set_print(ws, widths, smallest_font=smallest_font, repeat_row=repeat_row, repeat_columns=1)
        ws.set_footer("&L&11&A&R&11Halaman &P dari &N")


class _Formats(BaseFormats):
    """The cell formats of the template, created once per workbook."""

    def __init__(self, workbook, decimals: int):
        super().__init__(workbook, decimals)
        add = self.add
        border = CELL_BORDER
        self.label = add({"bold": True, "valign": "top", **border})
        self.help = add({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.field_id = add({"font_color": "#808080", "font_size": 8})
        self.title_wrap = add({"bold": True, "font_size": 14, "font_color": TITLE_FONT, "text_wrap": True})
        self.note_wrap = add(NOTE_WRAP)
        header = TABLE_HEADER
        self.header = add(header)
        self.reported_header = add({**header, "bg_color": "#595959"})
        self.input_text = add({"locked": False, "text_wrap": True, **border})
        self.live = add({"locked": True, "font_color": "#375623", "valign": "top", "text_wrap": True})
        self.live_header = add({**header, "bg_color": "#375623"})
        self.wrong = add({"bg_color": "#FFC7CE", "font_color": "#9C0006", "bold": True})
        self.status = add({"bold": True, "font_color": "#9C0006", "underline": 1})
        self._inputs: dict[tuple[str, bool], object] = {}

    def input_for(self, value_type: str, reported: bool):
        key = (value_type, reported)
        if key not in self._inputs:
            properties = {"locked": False, "border": 1, "border_color": "#BFBFBF", "valign": "top"}
            fmt = number_format(value_type, self.decimals)
            if fmt:
                properties["num_format"] = fmt
            if value_type in ("text",):
                properties["text_wrap"] = True
            if value_type == "kode":
                properties["num_format"] = "@"
            if reported:
                properties["bg_color"] = REPORTED_FILL
            self._inputs[key] = self.workbook.add_format(properties)
        return self._inputs[key]
