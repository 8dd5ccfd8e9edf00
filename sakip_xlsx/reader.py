"""Read a submitted workbook into the plain data model.

The file first passes the safety gate (:mod:`sakip_xlsx.safety`); values are
then read with python-calamine in one pass per sheet.  Every column is found
through the template description: by the hidden field-id row, else by its
header text, so inserted, moved or widened columns, reordered sheets and
renamed sheets are still understood.  Whatever cannot be understood becomes a
finding, never an exception; only a file that cannot be read as a template at
all raises :class:`~sakip_xlsx.safety.UnreadableWorkbook`.

A table is read column by column into :class:`~sakip_xlsx.model.ColumnData`
(a raw value seen before in a column costs one lookup; plain numbers and text
skip the parser), and validated by scanning its columns.
"""

from __future__ import annotations

import datetime as dt
import io
import operator
import re
from pathlib import Path
from typing import Any

from .cells import column_index, column_letter, split_cell
from .description import (
    CELL_FIELD_COLUMN,
    CELL_VALUE_COLUMN,
    FREE_SHEET_INSTRUCTIONS,
    RULES_TEXT_FIELD,
    RULES_VERSION_FIELD,
    TEMPLATE,
    CellSheet,
    Column,
    Reference,
    Table,
    TemplateDescription,
    besaran_reading,
)
from .findings import Finding, finding
from .model import (
    BLANK,
    PLAIN,
    ColumnData,
    Entry,
    Record,
    Submission,
    TableData,
    key_text,
)
from .names import normalise_header
from .precision import is_number
from .rules import Rules, RulesError, parse_rules
from .safety import UnreadableWorkbook, inspect_workbook
from .sheetdata import READ_COLUMNS, READ_ROWS, Dropped, bounded_package
from .validation import validate
from .values import NUMBER_LIMIT, UnreadableValue, describe_type, float_reader, parse_value, plain_text

#: The free-tables sheet's own instruction lines.
_FREE_SHEET_TEXT = frozenset(FREE_SHEET_INSTRUCTIONS)
#: How many top rows are searched for a table's field-id or header row.
HEADER_SEARCH_ROWS = 15


def read_workbook(
    path: str | Path, rules: Rules | None = None, description: TemplateDescription = TEMPLATE
) -> Submission:
    """Read ``path`` into a :class:`Submission` (never modifies the file)."""
    info = inspect_workbook(path)
    if info.made_by is not None:
        raise UnreadableWorkbook(info.path, OWN_OUTPUT[info.made_by])
    grids, dropped = _load_grids(info.path, info.bounded_parts)
    _scale_percent_cells(info.path, grids)
    reader = _Reader(info.path, grids, description, rules, info.has_macros)
    reader.unsaved_formulas = _formulas_without_values(info.path, info.formula_parts)
    reader.dropped = dropped
    return reader.read()


def _part_sheets(archive: Any) -> dict[str, str]:
    """Worksheet part (``xl/worksheets/sheet1.xml``) -> sheet name, from the workbook's relationships."""
    from xml.etree import ElementTree

    if "xl/_rels/workbook.xml.rels" not in archive.namelist():
        return {}
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    parts = {}
    for sheet in workbook.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
        target = targets.get(rel_id, "").lstrip("/")
        parts[target if target.startswith("xl/") else f"xl/{target}"] = sheet.get("name", "")
    return parts


#: what to say about one of our own output workbooks given as a submission
OWN_OUTPUT = {
    "results": "Ini buku kerja hasil pemeriksaan yang dibuat sakip-xlsx (perintah results atau check --results), "
    "bukan isian template. Periksa berkas isian aslinya dari kecamatan.",
    "rekap": "Ini buku kerja rekap yang dibuat sakip-xlsx (perintah rekap), bukan isian template. "
    "Periksa berkas isian aslinya dari kecamatan.",
}

_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"[^>]*>\s*<f[ >/][^<]*(?:</f>)?\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>'
)


def _formulas_without_values(path: Path, formula_parts: frozenset[str]) -> dict[str, set[str]]:
    """Cells holding a formula but no saved result (files written by programs, never opened in Excel).

    The file already passed the safety gate, which noted the parts holding formula
    cells; only those are read again (a workbook typed by hand has none).
    """
    import zipfile

    found: dict[str, set[str]] = {}
    if not formula_parts:
        return found
    with zipfile.ZipFile(path) as archive:
        for member, name in _part_sheets(archive).items():
            if member not in formula_parts:
                continue
            data = archive.read(member)
            cells = {match.group(1).decode() for match in _FORMULA_CELL.finditer(data)}
            if cells:
                found[name] = cells
    return found


#: Excel's built-in percent number formats (``0%`` and ``0.00%``)
_BUILTIN_PERCENT_FORMATS = frozenset({9, 10})
_CELL_TAG = re.compile(rb"<c\b([^>]*)>")
_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_CELL_STYLE = re.compile(rb'\bs="([0-9]+)"')
_QUOTED = re.compile(r'"[^"]*"|\\.')


def _scale_percent_cells(path: Path, grids: dict[str, list[list[Any]]]) -> None:
    """Show a number typed as a percent as the percent it shows: Excel stores ``90%`` as 0.9
    with a percent number format, the template's percent columns hold 90.

    The styles say which cell formats are percent formats; only when there is one are the
    sheets scanned for cells using it (a template filled without ``%`` has none).  The file
    already passed the safety gate (no DOCTYPE/ENTITY in any part), so its XML parses safely.
    """
    import zipfile
    from decimal import Decimal
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        if "xl/styles.xml" not in names:
            return
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
        percent_formats = set(_BUILTIN_PERCENT_FORMATS)
        cell_formats: list[int] = []
        for element in styles:
            tag = element.tag.rpartition("}")[2]
            if tag == "numFmts":
                for number_format in element:
                    code = _QUOTED.sub("", number_format.get("formatCode", ""))
                    if "%" in code:
                        percent_formats.add(int(number_format.get("numFmtId", "-1")))
            elif tag == "cellXfs":
                cell_formats = [int(xf.get("numFmtId", "0")) for xf in element]
        percent_styles = {
            str(index).encode()
            for index, format_id in enumerate(cell_formats)
            if format_id in percent_formats
        }
        if not percent_styles or "xl/_rels/workbook.xml.rels" not in names:
            return
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        for sheet in workbook.iter():
            grid = grids.get(sheet.get("name", "")) if sheet.tag.endswith("}sheet") else None
            if not grid:
                continue
            rel_id = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
            target = targets.get(rel_id, "").lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            if member not in names:
                continue
            for match in _CELL_TAG.finditer(archive.read(member)):
                attributes = match.group(1)
                style = _CELL_STYLE.search(attributes)
                if style is None or style.group(1) not in percent_styles:
                    continue
                ref = _CELL_REF.search(attributes)
                if ref is None:
                    continue
                row, col = int(ref.group(2)) - 1, column_index(ref.group(1).decode())
                if row < len(grid) and col < len(grid[row]):
                    value = grid[row][col]
                    if is_number(value):
                        grid[row][col] = float(Decimal(repr(value)) * 100)


def _load_grids(
    path: Path, bounded_parts: frozenset[str] = frozenset()
) -> tuple[dict[str, list[list[Any]]], dict[str, Dropped]]:
    """All sheets' values as row-major lists (A1 at [0][0]); and, per sheet, the cells outside the
    read area that held something (sheets the gate marked are read through sheetdata.bounded_sheet)."""
    from python_calamine import CalamineWorkbook

    dropped: dict[str, Dropped] = {}
    try:
        name = str(path)
        if bounded_parts:
            import zipfile

            package, by_part = bounded_package(path, bounded_parts)
            with zipfile.ZipFile(path) as archive:
                names = _part_sheets(archive)
            dropped = {names.get(part, part): lost for part, lost in by_part.items() if lost.count}
            workbook = CalamineWorkbook.from_filelike(package)
        elif not name.isascii() and not _utf8(name):  # a file name that is not valid UTF-8: give the bytes
            with open(path, "rb") as handle:
                workbook = CalamineWorkbook.from_filelike(io.BytesIO(handle.read()))
        else:
            workbook = CalamineWorkbook.from_path(name)
        grids = {}
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            grids[name] = sheet.to_python(skip_empty_area=False)
        return grids, dropped
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise UnreadableWorkbook(
            path,
            "Isi berkas rusak atau tidak dapat dibaca sebagai buku kerja Excel "
            f"({type(exc).__name__}). Buka di Excel, simpan ulang sebagai .xlsx, lalu kirim lagi.",
        ) from None


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _normalise(text: Any) -> str:
    """Header text for matching: lower case, words only, no marks like ``*``."""
    return normalise_header(str(text))


def _cell_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


class _Reader:
    def __init__(
        self,
        path: Path,
        grids: dict[str, list[list[Any]]],
        description: TemplateDescription,
        rules: Rules | None,
        has_macros: bool,
    ):
        self.path = path
        self.grids = grids
        self.description = description
        self.rules_override = rules
        self.has_macros = has_macros
        self.findings: list[Finding] = []
        self.claimed: set[str] = set()
        self.unsaved_formulas: dict[str, set[str]] = {}
        self.dropped: dict[str, Dropped] = {}
        #: template sheets two renamed sheets claimed (said once; never "missing" as well)
        self.ambiguous: set[str] = set()
        self._canonical: dict[str, dict[str, str]] = {}  # list id -> normalised option -> option

    # -- top level ---------------------------------------------------------
    def read(self) -> Submission:
        version, rules = self._rules()
        if self.has_macros:
            self.findings.append(
                finding(
                    "macro-workbook",
                    "Berkas berisi makro (VBA). Hanya datanya yang dibaca; makro tidak pernah dijalankan. "
                    "Sebaiknya kirim sebagai .xlsx biasa.",
                )
            )
        for sheet, lost in self.dropped.items():
            shown = ", ".join(f"{ref} \u201c{text}\u201d" for ref, text in lost.first)
            self.findings.append(
                finding(
                    "outside-area",
                    f"Lembar {sheet}: {lost.count} sel berisi di luar area yang dibaca (di kanan kolom "
                    f"{column_letter(READ_COLUMNS - 1)} atau di bawah baris {READ_ROWS:,}".replace(",", ".")
                    + f") tidak dibaca, mis. {shown}. Hapus isi sel itu, atau pindahkan ke dalam tabel.",
                    sheet=sheet,
                    cell=lost.first[0][0] if lost.first else None,
                )
            )
        cells: dict[str, Entry] = {}
        for cell_sheet in self.description.cell_sheets:
            cells |= self._cell_sheet(cell_sheet)
        tables = {table.id: self._table(table) for table in self.description.tables}
        submission = Submission(
            path=self.path,
            template_version=version,
            rules=rules,
            cells=cells,
            tables=tables,
            grids=self.grids,
            has_macros=self.has_macros,
        )
        self.findings.extend(validate(submission, self.description))
        self._free_tables(submission)
        submission.findings = self.findings
        return submission

    def _rules(self) -> tuple[str, Rules]:
        sheet = self._find_sheet(
            self.description.rules_sheet, {RULES_VERSION_FIELD, RULES_TEXT_FIELD}, unique=False
        )
        if sheet is None:
            raise UnreadableWorkbook(
                self.path,
                "Berkas ini bukan template sakip-xlsx (lembar Aturan tidak ada). "
                "Isi data di template yang dibuat dengan perintah: sakip-xlsx template",
            )
        values = self._field_column_values(sheet)
        version = _cell_text(values.get(RULES_VERSION_FIELD)) or str(values.get(RULES_VERSION_FIELD) or "")
        if not _compatible(version, self.description.version):
            shown = version or "tidak diketahui"
            raise UnreadableWorkbook(
                self.path,
                f"Versi template berkas ini {shown}, sedangkan sakip-xlsx ini membaca versi "
                f"{self.description.version}. Minta template baru ke kabupaten "
                "(sakip-xlsx template) lalu salin isiannya.",
            )
        if self.rules_override is not None:
            return version, self.rules_override
        text = values.get(RULES_TEXT_FIELD)
        try:
            return version, parse_rules(str(text or ""), origin=f"lembar {sheet}")
        except RulesError as exc:
            raise UnreadableWorkbook(
                self.path,
                f"Aturan perhitungan di lembar {sheet} rusak: {exc} Pakai --rules untuk memilih aturan.",
            ) from None

    # -- sheets ------------------------------------------------------------
    def _find_sheet(self, name: str, field_ids: set[str], unique: bool = True) -> str | None:
        """The sheet named ``name``, else one named alike, else the one holding the field ids.

        Every template sheet is found the same way.  When two renamed sheets both hold the
        sheet's field ids (a stale copy "Anggaran (2)" beside the real one renamed "Anggaran
        final"), neither is read: a duplicate-sheet finding names both (``unique``).
        """
        return self._claim(
            name, lambda grid: self._id_score(grid, field_ids), max(1, len(field_ids) // 2), unique
        )

    @staticmethod
    def _id_score(grid: list[list[Any]], field_ids: set[str]) -> int:
        """How many of ``field_ids`` a sheet holds (a table's id row, or a cell sheet's column D)."""
        found = {_cell_text(value) for row in grid[:HEADER_SEARCH_ROWS] for value in row} & field_ids
        found |= {
            _cell_text(row[column_index(CELL_FIELD_COLUMN)]) for row in grid if len(row) > 3
        } & field_ids
        return len(found)

    def _claim(self, name: str, score, threshold: int, unique: bool = True) -> str | None:
        if name in self.grids and name not in self.claimed:
            self.claimed.add(name)
            return name
        wanted = _normalise(name)
        for sheet in self.grids:
            if sheet not in self.claimed and _normalise(sheet) == wanted:
                self.claimed.add(sheet)
                return sheet
        # a sheet still named like another template sheet belongs to that one, never to a renamed one
        described = {_normalise(sheet) for sheet in self.description.sheet_order}
        scores = {
            sheet: score(grid)
            for sheet, grid in self.grids.items()
            if sheet not in self.claimed and _normalise(sheet) not in described
        }
        best = max(scores.values(), default=0)
        if best < threshold:
            return None
        # sheets holding (nearly) as much of it as the best: copies of one template sheet
        claimants = sorted(
            (sheet for sheet, value in scores.items() if value >= threshold and value * 5 >= best * 4),
            key=lambda sheet: -scores[sheet],
        )
        self.claimed.update(claimants)
        if len(claimants) == 1 or not unique:
            return claimants[0]
        self.ambiguous.add(name)
        listed = " dan ".join(f"\u201c{sheet}\u201d" for sheet in claimants)
        self.findings.append(
            finding(
                "duplicate-sheet",
                f"Lembar {listed} sama-sama berisi lembar {name} template; tidak satu pun dibaca, karena tidak "
                f"jelas mana yang benar. Hapus salinan yang lama, atau kembalikan nama lembar yang benar menjadi "
                f"\u201c{name}\u201d.",
                sheet=claimants[0],
                cells=(),
            )
        )
        return None

    def _field_column_values(self, sheet: str) -> dict[str, Any]:
        """Values of a cell sheet keyed by the hidden field ids in column D."""
        values = {}
        id_column = column_index(CELL_FIELD_COLUMN)
        value_column = column_index(CELL_VALUE_COLUMN)
        for row in self.grids[sheet]:
            if len(row) > id_column and isinstance(row[id_column], str) and row[id_column].strip():
                values[row[id_column].strip()] = row[value_column] if len(row) > value_column else None
        return values

    def _cell_sheet(self, cell_sheet: CellSheet) -> dict[str, Entry]:
        ids = {cell_field.field for cell_field in cell_sheet.fields}
        sheet = self._find_sheet(cell_sheet.sheet, ids)
        if sheet is None and cell_sheet.sheet in self.ambiguous:
            return {}
        if sheet is None:
            self.findings.append(
                finding(
                    "missing-sheet",
                    f"Lembar {cell_sheet.sheet} tidak ditemukan. Jangan menghapus atau mengganti nama lembar template.",
                    sheet=cell_sheet.sheet,
                )
            )
            return {}
        grid = self.grids[sheet]
        id_column = column_index(CELL_FIELD_COLUMN)
        value_column = column_index(CELL_VALUE_COLUMN)
        rows = {}
        for index, row in enumerate(grid):
            if len(row) > id_column and _cell_text(row[id_column]) in ids:
                rows[_cell_text(row[id_column])] = index
        labels = {_normalise(cell_field.label): cell_field.field for cell_field in cell_sheet.fields}
        for index, row in enumerate(grid):  # hidden ids deleted: fall back on the labels in column A
            if row and _normalise(row[0]) in labels and labels[_normalise(row[0])] not in rows:
                rows[labels[_normalise(row[0])]] = index
        entries = {}
        for cell_field in cell_sheet.fields:
            if cell_field.field not in rows:
                if cell_field.required:
                    self.findings.append(
                        finding(
                            "missing-column",
                            f"Isian \u201c{cell_field.label}\u201d tidak ditemukan di lembar {sheet}. "
                            "Jangan menghapus baris template.",
                            sheet=sheet,
                            field=cell_field.field,
                        )
                    )
                continue
            index = rows[cell_field.field]
            raw = grid[index][value_column] if len(grid[index]) > value_column else None
            entries[cell_field.field] = self._entry(
                raw,
                cell_field.type,
                cell_field.list,
                sheet,
                CELL_VALUE_COLUMN,
                index + 1,
                cell_field.label,
                cell_sheet.id,
                None,
                cell_field.field,
                cell_field.required,
            )
        return entries

    # -- tables ------------------------------------------------------------
    def _table(self, table: Table) -> TableData:
        ids = {column.field for column in table.columns}
        sheet = self._find_sheet(table.sheet, ids)
        if sheet is None:
            if table.required_table and table.sheet not in self.ambiguous:
                self.findings.append(
                    finding(
                        "missing-sheet",
                        f"Lembar {table.sheet} tidak ditemukan. Jangan menghapus atau mengganti nama lembar template.",
                        sheet=table.sheet,
                        table=table.id,
                    )
                )
            return TableData(table.id, table.sheet, {}, table.row_key)
        grid = self.grids[sheet]
        columns, header_index = self._locate_columns(table, grid)
        table_data = TableData(
            table.id, sheet, {f: column_letter(i) for f, i in columns.items()}, table.row_key
        )
        for column in table.columns:
            if column.field not in columns and column.required:
                self.findings.append(
                    finding(
                        "missing-column",
                        f"Kolom \u201c{column.header}\u201d tidak ditemukan di lembar {sheet}. "
                        "Jangan menghapus kolom atau mengubah baris judul template.",
                        sheet=sheet,
                        table=table.id,
                        field=column.field,
                    )
                )
        if header_index is None:
            return table_data
        # The found columns, in the table's order (findings of one row follow this order).
        found = [column for column in table.columns if column.field in columns]
        positions = [columns[column.field] for column in found]
        numbers, cells = _data_rows(grid, header_index + 1, positions, table)
        count = len(numbers)
        by_column = list(zip(*cells, strict=True)) if cells else [()] * len(found)
        key_position = next((k for k, column in enumerate(found) if column.field == table.row_key), None)
        key_cells = by_column[key_position] if key_position is not None else None  # each row's key, as typed
        unsaved = self.unsaved_formulas.get(sheet, ())
        before = len(self.findings)
        for column, raws in zip(found, by_column, strict=True):
            letter = table_data.columns[column.field]
            picked_by = table_data.data.get(column.reading_by) if column.reading_by else None
            table_data.data[column.field] = self._column(
                table,
                column,
                sheet,
                letter,
                raws,
                numbers,
                key_cells,
                bool(unsaved),
                [besaran_reading(value) for value in picked_by.values] if picked_by is not None else None,
            )
        if len(self.findings) > before:  # a row's findings in the table's column order, as typed
            order = {position: k for k, position in enumerate(positions)}
            self.findings[before:] = sorted(self.findings[before:], key=lambda item: _cell_order(item, order))
        table_data.records = [Record(table_data, index, number) for index, number in enumerate(numbers)]
        key_column = table_data.data.get(table.row_key)
        table_data.keys = (
            [key_text(value) for value in key_column.values] if key_column is not None else [None] * count
        )
        if not table_data.records and table.required_table:
            self.findings.append(
                finding("empty-table", f"Lembar {sheet} belum diisi.", sheet=sheet, table=table.id)
            )
        return table_data

    def _column(
        self,
        table: Table,
        column: Column,
        sheet: str,
        letter: str,
        raws: tuple[Any, ...],
        numbers: list[int],
        key_cells: tuple[Any, ...] | None,
        unsaved: bool,
        row_types: list[str | None] | None = None,
    ) -> ColumnData:
        """Read one column of a table: values, raw contents and readings, with the findings of its cells.

        A raw value seen before in the column costs one lookup (its reading depends only on
        the value and the column); finite numbers and plain text take a short way that gives
        what the parser gives (see :func:`sakip_xlsx.values.float_reader`). ``row_types``: a
        reading per row (``Column.reading_by``) used for each cell it can read.
        """
        count = len(raws)
        values: list[Any] = [None] * count
        readings: list[Any] = [None] * count
        stored = list(raws)
        value_type = column.type
        plain = column.list is None or isinstance(column.list, Reference)
        float_value = float_reader(value_type) if plain else None
        text_types = plain and value_type in ("text", "kode")
        required = column.required
        watch = required or unsaved  # empty cells need a look
        known: dict[Any, tuple[Any, Any]] = {}  # raw value -> (value, reading) of cells that gave no finding
        findings = self.findings
        for index, raw in enumerate(raws):
            wanted = row_types[index] if row_types is not None else None
            own = bool(wanted) and raw is not None and raw != "" and self._reading(raw, wanted) is not None
            kind = raw.__class__
            if not own:  # a reading of its own (Column.reading_by) takes the long way, not remembered
                if (
                    kind is float and float_value is not None and -NUMBER_LIMIT < raw < NUMBER_LIMIT
                ):  # finite, sane
                    values[index] = float_value(raw)
                    readings[index] = PLAIN
                    continue
                if raw is None or raw == "":
                    stored[index] = None
                    if watch:
                        self._blank_cell(
                            sheet,
                            f"{letter}{numbers[index]}",
                            column.header,
                            table.id,
                            _key_text(key_cells[index]) if key_cells is not None else None,
                            column.field,
                            required,
                        )
                    continue
                if kind is not bool:  # True == 1.0 as a key: booleans always take the long way
                    seen = known.get(raw)
                    if seen is not None:
                        values[index], readings[index] = seen
                        continue
                    if (
                        kind is str and text_types and raw[:1] != "#"
                    ):  # "#REF!" ...: an Excel error, see _entry
                        text = plain_text(raw, value_type)
                        if text is not None:
                            values[index] = text
                            readings[index] = PLAIN
                            known[raw] = (text, PLAIN)
                            continue
                    if plain and (kind is float or kind is int or (kind is str and raw[:1] != "#")):
                        parsed = self._reading(raw, value_type)
                        if (
                            parsed is not None
                            and parsed.note is None
                            and (parsed.value is not None or not required)
                        ):  # read without anything to report: what _entry would give
                            known[raw] = seen = (parsed.value, parsed)
                            values[index], readings[index] = seen
                            continue
            before = len(findings)
            entry = self._entry(
                raw,
                wanted if own else value_type,
                column.list,
                sheet,
                letter,
                numbers[index],
                column.header,
                table.id,
                _key_text(key_cells[index]) if key_cells is not None else None,
                column.field,
                required,
                column.dash_is_value,
            )
            values[index], stored[index], readings[index] = entry.value, entry.raw, entry.parsed
            if len(findings) == before and kind is not bool and not own:
                known[raw] = (entry.value, entry.parsed)
        return ColumnData(column.field, letter, values, stored, readings)

    def _locate_columns(self, table: Table, grid: list[list[Any]]) -> tuple[dict[str, int], int | None]:
        """Field -> column index, and the index of the header row (data starts below it)."""
        ids = {column.field for column in table.columns}
        headers = {_normalise(column.header): column.field for column in table.columns}
        headers |= {_normalise(column.header + " *"): column.field for column in table.columns}
        columns: dict[str, int] = {}
        header_index = None
        for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
            found = {i: _cell_text(value) for i, value in enumerate(row) if _cell_text(value) in ids}
            if len(found) >= max(2, len(ids) // 3):
                for i, field_id in found.items():
                    columns.setdefault(field_id, i)
                below = grid[index + 1] if index + 1 < len(grid) else []
                # the header row under the ids may have been deleted: then data starts right below
                header_index = index if _looks_like_data(table, below, columns) else index + 1
                break
        search = range(min(HEADER_SEARCH_ROWS, len(grid))) if header_index is None else [header_index]
        for index in search:
            row = grid[index]
            matched = {
                i: headers[_normalise(value)] for i, value in enumerate(row) if _normalise(value) in headers
            }
            if header_index is None and len(matched) < max(2, len(ids) // 3):
                continue
            for i, field_id in matched.items():
                if field_id not in columns and i not in columns.values():
                    columns[field_id] = i
            header_index = index
            break
        return columns, header_index

    # -- values ------------------------------------------------------------
    def _entry(
        self,
        raw: Any,
        value_type: str,
        value_list: Any,
        sheet: str,
        column: str,
        row: int,
        label: str,
        table: str,
        row_key: str | None,
        field_id: str,
        required: bool,
        dash_is_value: bool = False,
    ) -> Entry:
        cell = f"{column}{row}"
        if raw is None or raw == "":  # an empty cell, the most common case: what parse_value would give
            self._blank_cell(sheet, cell, label, table, row_key, field_id, required)
            return Entry(None, raw, sheet, column, row, BLANK)
        where = _where(sheet, cell, table, field_id, row_key)
        parsed, kept = self._parsed(raw, value_type, label, where)
        if parsed is None:
            return Entry(None, kept, sheet, column, row)
        required = required and not (dash_is_value and parsed.kind == "na")
        value = self._judged(parsed, raw, value_list, label, where, required)
        return Entry(value, raw, sheet, column, row, parsed)

    def _parsed(self, raw: Any, value_type: str, label: str, where: dict) -> tuple[Any, Any]:
        """(reading, raw) of a non-empty cell; (None, what its entry keeps) with the finding when it
        cannot be read: an Excel error, a date or time where no text is wanted, unreadable text."""
        place = f"{where['sheet']}!{where['cell']} ({label})"
        if (
            isinstance(raw, str)
            and raw.startswith("#")
            and raw.endswith(("!", "?", "A"))
            and raw.upper() == raw
        ):
            self.findings.append(
                finding(
                    "unreadable-value",
                    f"{place} berisi galat Excel {raw}. Perbaiki rumusnya atau ketik angkanya.",
                    stated=raw,
                    **where,
                )
            )
            return None, raw
        if isinstance(raw, (dt.date, dt.time, dt.timedelta)) and value_type not in ("text",):
            self.findings.append(
                finding(
                    "unreadable-value",
                    f"{place} berisi tanggal/waktu ({raw}); yang diharapkan "
                    f"{describe_type(value_type)}. Ubah format sel menjadi Angka lalu ketik ulang.",
                    stated=str(raw),
                    **where,
                )
            )
            return None, str(raw)
        try:
            return _parse(raw, value_type), raw
        except UnreadableValue as exc:
            reason = f" {exc.reason}" if exc.reason else ""
            self.findings.append(
                finding(
                    "unreadable-value",
                    f"{place}: \u201c{_shown_raw(raw)}\u201d tidak terbaca sebagai {describe_type(value_type)}.{reason}",
                    stated=str(raw),
                    expected=describe_type(value_type),
                    **where,
                )
            )
            return None, raw

    def _judged(self, parsed: Any, raw: Any, value_list: Any, label: str, where: dict, required: bool) -> Any:
        """The value of a read cell, with its findings: required but empty, an ambiguous reading, not
        one of its list's options (a list's value is its option as the list spells it)."""
        value = parsed.value
        place = f"{where['sheet']}!{where['cell']} ({label})"
        if value is None and required:
            self.findings.append(finding("required-missing", f"{place} wajib diisi.", **where))
        if parsed.note:
            self.findings.append(
                finding(
                    "ambiguous-value", f"{place}: {parsed.note}", stated=str(raw), expected=value, **where
                )
            )
        if value is not None and value_list is not None and not isinstance(value_list, Reference):
            canonical = self._canonical.get(value_list)
            option = canonical.get(_normalise(value)) if canonical is not None else None
            if option is not None:  # the usual case: a valid option, found without building messages
                value = option
            else:
                value = self._in_list(value, value_list, label, where)
        return value

    def _blank_cell(
        self,
        sheet: str,
        cell: str,
        label: str,
        table: str,
        row_key: str | None,
        field_id: str,
        required: bool,
    ) -> None:
        """Findings for an empty cell: a formula whose result was never saved, or a required field."""
        if cell in self.unsaved_formulas.get(sheet, ()):
            self.findings.append(
                finding(
                    "formula-without-value",
                    f"{sheet}!{cell} ({label}) berisi rumus tanpa nilai tersimpan, jadi tidak dapat dibaca. "
                    "Buka berkas di Excel/LibreOffice lalu simpan ulang, atau ketik angkanya langsung.",
                    **_where(sheet, cell, table, field_id, row_key),
                )
            )
        elif required:
            self.findings.append(
                finding(
                    "required-missing",
                    f"{sheet}!{cell} ({label}) wajib diisi.",
                    **_where(sheet, cell, table, field_id, row_key),
                )
            )

    def _reading(self, raw: Any, value_type: str) -> Any:
        """The Parsed reading of a non-empty cell, or None when it cannot be read as ``value_type``.

        (A table remembers the readings of the values it has seen, see ``_table``.)
        """
        try:
            return _parse(raw, value_type)
        except UnreadableValue:
            return None

    def _in_list(self, value: Any, list_id: str, label: str, where: dict) -> Any:
        value_list = self.description.value_list[list_id]
        canonical = self._canonical.get(list_id)
        if canonical is None:
            canonical = self._canonical[list_id] = {
                _normalise(option): option for option in value_list.values
            }
        text = str(value)
        if _normalise(text) in canonical:
            return canonical[_normalise(text)]
        if value_list.extensible:
            return text  # users may add their own satuan / sumber dana
        self.findings.append(
            finding(
                "value-not-in-list",
                f"{where['sheet']}!{where['cell']} ({label}): \u201c{text}\u201d bukan pilihan yang sah. "
                f"Pilih salah satu: {', '.join(value_list.values)}.",
                stated=text,
                expected=list(value_list.values),
                **where,
            )
        )
        return None

    def _free_tables(self, submission: Submission) -> None:
        """Tables pasted in the free-tables sheet, parsed by their own conventions."""
        # found as every template sheet is: by name, else by the sheet's own instruction lines
        sheet = self._claim(
            self.description.free_sheet,
            lambda grid: sum(
                1
                for row in grid[:HEADER_SEARCH_ROWS]
                for value in row
                if value.__class__ is str and value in _FREE_SHEET_TEXT
            ),
            1,
        )
        if sheet is None:
            return
        grid = self.grids[sheet]
        if all(_blank(value) or value in _FREE_SHEET_TEXT for row in grid for value in row):
            return  # only the template's instructions: no table pasted (the parser is not even loaded)
        from .freetables import parse_free_tables

        tables, findings = parse_free_tables(grid, sheet)
        submission.free_tables = tables
        self.findings.extend(findings)


def _parse(raw: Any, value_type: str):
    """Parse a cell; a number column also accepts an amount written with "Rp" (kutipan, free figures)."""
    try:
        return parse_value(raw, value_type if value_type != "list" else "text")
    except UnreadableValue:
        if value_type in ("number", "target") and isinstance(raw, str) and "rp" in raw.lower():
            return parse_value(raw, "rupiah")
        raise


NUMERIC_TYPES = ("rupiah", "number", "percent", "integer", "year", "target")


def _looks_like_data(table: Table, row: list[Any], columns: dict[str, int]) -> bool:
    """True when a row holds a readable number in a numeric column (a header never does)."""
    for column in table.columns:
        index = columns.get(column.field)
        if column.type in NUMERIC_TYPES and index is not None and index < len(row) and not _blank(row[index]):
            try:
                if is_number(_parse(row[index], column.type).value):
                    return True
            except UnreadableValue:
                continue
    return False


def _data_rows(
    grid: list[list[Any]], first: int, positions: list[int], table: Table
) -> tuple[list[int], list[tuple[Any, ...]]]:
    """The rows of a table below its header: their sheet row numbers and their cells at ``positions``.

    Empty rows and a header row pasted again are left out.
    """
    header_texts = {_normalise(column.header) for column in table.columns}
    width = max(positions, default=-1) + 1
    if len(positions) > 1:
        take = operator.itemgetter(*positions)
    else:
        position = positions[0]

        def take(row: list[Any]) -> tuple[Any, ...]:
            return (row[position],)

    numbers: list[int] = []
    cells: list[tuple[Any, ...]] = []
    for index in range(first, len(grid)):
        row = grid[index]
        values = (
            take(row) if len(row) >= width else tuple(row[i] if i < len(row) else None for i in positions)
        )
        for value in values:  # the first cell holding something decides
            if value is None:
                continue
            if value.__class__ is not str or (value.strip() and not _is_header_text(value, header_texts)):
                break
        else:
            continue  # empty, or nothing but header texts (a header row pasted again)
        numbers.append(index + 1)
        cells.append(values)
    return numbers, cells


def _cell_order(item: Finding, order: dict[int, int]) -> tuple[int, int]:
    """Sort key of a finding about one table cell: its row, then its column's place in the table
    (``order``: column index -> place)."""
    column, row = split_cell(item.cell)
    return row, order[column]


def _compatible(version: str, current: str) -> bool:
    """Same major version and not newer: older templates only lack optional columns."""
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
        current_major, current_minor = (int(part) for part in current.split(".")[:2])
    except ValueError:
        return False
    return major == current_major and minor <= current_minor


def _key_text(value: Any) -> str | None:
    """A row's key as text for findings (a year stays a year: 2024.0 -> "2024")."""
    if _blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _is_header_text(value: Any, header_texts: set[str]) -> bool:
    """True when a cell holds one of the table's header texts (a header row pasted again)."""
    return value.__class__ is str and not value[:1].isdigit() and _normalise(value) in header_texts


def _shown_raw(raw: Any) -> str:
    """A cell's content as quoted in a message (very long text shortened)."""
    text = str(raw)
    return text if len(text) <= 80 else text[:80] + "\u2026"


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _where(sheet: str, cell: str, table: str, field_id: str, row_key: str | None) -> dict[str, Any]:
    """Where a finding about one cell points."""
    return {"sheet": sheet, "cell": cell, "table": table, "field": field_id, "row_key": row_key}
