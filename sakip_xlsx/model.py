"""The plain data model a submitted workbook is read into.

Every value keeps the sheet and cell it came from, so every finding and every
formula of the results workbook can point back at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

from .findings import Finding
from .rules import Rules
from .values import parse_value


class Entry(NamedTuple):
    """One value read from one cell (a named tuple: the reader makes one per filled cell).

    The cell's address is kept as its column letter and row number (shared by the
    whole column and row) rather than as one more string per cell.
    """

    value: Any
    raw: Any
    sheet: str
    column: str
    row: int
    #: the parser's full reading (unit, grade, range, percent sign, note)
    parsed: Any = None

    @property
    def cell(self) -> str:
        """The A1 address, e.g. ``"I12"``."""
        return f"{self.column}{self.row}"

    @property
    def is_number(self) -> bool:
        value = self.value
        return (value.__class__ is float or isinstance(value, int)) and value.__class__ is not bool


#: The reading of an empty cell (one shared, immutable object).
BLANK = parse_value(None, "text")


@dataclass
class Record:
    """One row of a table sheet.

    ``entries`` holds the cells that are not empty; an empty cell of a column the
    table has gets its :class:`Entry` on demand from ``columns`` (most cells of a
    large budget table are empty, and not building them keeps reading fast and small).
    """

    table: str
    sheet: str
    row: int
    entries: dict[str, Entry]
    #: the field that names the row in findings (kode, program_kode, tahun)
    key_field: str = "kode"
    #: field id -> column letter of every column found in the sheet (for empty cells)
    columns: dict[str, str] | None = None

    def get(self, field_id: str) -> Any:
        entry = self.entries.get(field_id)
        return None if entry is None else entry.value

    def number(self, field_id: str) -> float | None:
        entry = self.entries.get(field_id)
        return entry.value if entry is not None and entry.is_number else None

    def entry(self, field_id: str) -> Entry | None:
        """The cell of ``field_id`` in this row (an empty Entry for an empty cell), None without the column."""
        entry = self.entries.get(field_id)
        if entry is None and self.columns is not None:
            letter = self.columns.get(field_id)
            if letter is not None:
                return Entry(None, None, self.sheet, letter, self.row, BLANK)
        return entry

    def stated(self, field_id: str) -> Entry | None:
        """The cell of ``field_id`` when it holds a number (a stated figure to compare), else None."""
        entry = self.entries.get(field_id)
        return entry if entry is not None and entry.is_number else None

    @cached_property
    def key(self) -> str | None:
        kode = self.get(self.key_field)
        if isinstance(kode, float) and kode.is_integer():
            kode = int(kode)
        return str(kode) if kode not in (None, "") else None


@dataclass
class TableData:
    """The rows of one table and where its columns were found."""

    id: str
    sheet: str
    #: field id -> column letter as found in the submitted sheet
    columns: dict[str, str]
    records: list[Record] = field(default_factory=list)

    def cell(self, field_id: str, row: int) -> str | None:
        letter = self.columns.get(field_id)
        return f"{letter}{row}" if letter else None


@dataclass(slots=True)
class BudgetLine:
    """An ``anggaran`` record placed in the program → kegiatan → sub kegiatan tree."""

    record: Record
    level: int  # 0 program, 1 kegiatan, 2 sub kegiatan
    parent: BudgetLine | None = None
    children: list[BudgetLine] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.record.key or str(self.record.get("uraian") or f"baris {self.record.row}")


@dataclass
class Submission:
    """A submitted workbook read into plain data, with what the reader found."""

    path: Path
    template_version: str
    rules: Rules
    cells: dict[str, Entry]
    tables: dict[str, TableData]
    #: sheet name -> all cell values as read (row-major), for copying into results
    grids: dict[str, list[list[Any]]]
    findings: list[Finding] = field(default_factory=list)
    has_macros: bool = False
    #: budget tree roots (programs), built by the reader
    programs: list[BudgetLine] = field(default_factory=list)
    budget_lines: list[BudgetLine] = field(default_factory=list)
    #: tables pasted in the free-tables sheet (see freetables.py)
    free_tables: list[Any] = field(default_factory=list)

    def records(self, table_id: str) -> list[Record]:
        table = self.tables.get(table_id)
        return table.records if table else []

    def cell_value(self, field_id: str) -> Any:
        entry = self.cells.get(field_id)
        return None if entry is None else entry.value

    @property
    def instansi(self) -> str:
        return str(self.cell_value("instansi") or self.path.stem)
