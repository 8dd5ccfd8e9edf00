"""Write the standardized input workbook from the template description."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import xlsxwriter

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
    HEADER_FILL,
    HEADER_FONT,
    REPORTED_FILL,
    TITLE_FONT,
    BaseFormats,
    fit_row,
    number_format,
    set_print,
    wrapped_lines,
)
from .output import atomic_output
from .rules import Rules, load_rules
from .values import WRITING, YEAR_MAX, YEAR_MIN

#: How many columns of the free-tables sheet its instructions span (and the page is set for)
FREE_SHEET_PRINTED_COLUMNS = 7

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
) -> Path:
    """Write the input template workbook to ``path`` (atomically) and return it."""
    rules = rules or load_rules()
    options = options or TemplateOptions()
    with atomic_output(path, overwrite=overwrite, suffixes=(".xlsx",)) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary), {"strings_to_formulas": False, "strings_to_numbers": False}
        )
        _TemplateWriter(workbook, description, rules, options).write()
        workbook.close()
    return Path(path)


class _TemplateWriter:
    def __init__(self, workbook, description: TemplateDescription, rules: Rules, options: TemplateOptions):
        self.workbook = workbook
        self.description = description
        self.rules = rules
        self.options = options
        self.formats = _Formats(workbook, rules.decimals)

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
        row = 3
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
        ws.freeze_panes(CELL_FIRST_ROW - 1, 0)
        ws.protect("", PROTECT_OPTIONS)
        self._print_setup(ws, repeat_row=CELL_FIRST_ROW - 2, widths=[38, 40, 60])

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
        ws.freeze_panes(table.first_data_row - 1, 0)
        ws.protect("", PROTECT_OPTIONS)
        self._print_setup(ws, repeat_row=header_index, widths=[column.width for column in table.columns])

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
        border = {"border": 1, "border_color": "#BFBFBF", "valign": "top"}
        self.label = add({"bold": True, "valign": "top", **border})
        self.help = add({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.field_id = add({"font_color": "#808080", "font_size": 8})
        self.title_wrap = add({"bold": True, "font_size": 14, "font_color": TITLE_FONT, "text_wrap": True})
        self.note_wrap = add({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        header = {
            "bold": True,
            "text_wrap": True,
            "align": "center",
            "valign": "vcenter",
            "font_color": HEADER_FONT,
            "bg_color": HEADER_FILL,
            "border": 1,
        }
        self.header = add(header)
        self.reported_header = add({**header, "bg_color": "#595959"})
        self.input_text = add({"locked": False, "text_wrap": True, **border})
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
