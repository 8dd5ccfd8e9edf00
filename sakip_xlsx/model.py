"""The plain data model a submitted workbook is read into.

Every value keeps the sheet and cell it came from, so every finding and every
formula of the results workbook can point back at it.

A table is stored column by column (:class:`ColumnData`: the values, raw
contents and readings of one column, aligned with the table's rows); a
:class:`Record` is a light view of one row that makes an :class:`Entry` (a
cell with its address) only when one is asked for.  A 50,000-line budget
table thus holds a few dozen lists instead of half a million cell objects,
and code that scans a whole column (a check, a roll-up) reads the list.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .findings import Finding
from .precision import is_number
from .rules import Rules
from .values import Parsed, parse_value


class Entry(NamedTuple):
    """One value read from one cell.

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
        return is_number(self.value)


#: The reading of an empty cell (one shared, immutable object).
BLANK = parse_value(None, "text")

#: Marks, in :attr:`ColumnData.readings`, a cell whose reading is nothing but its value (a number,
#: or text): the :class:`Parsed` is made only when an :class:`Entry` is asked for.  Its own unit,
#: grade and range are empty, so a scan of a column's readings needs no case for it.
PLAIN = Parsed(None, "plain")


def _plain_reading(value: Any) -> Parsed:
    return Parsed(value, "text" if value.__class__ is str else "number")


@dataclass(slots=True)
class ColumnData:
    """One column of a table as read, aligned with the table's rows.

    ``raws[i]`` is the cell's content (None for an empty cell), ``values[i]`` its
    value for the column's type (None when empty, not applicable or unreadable) and
    ``readings[i]`` the parser's reading (:data:`PLAIN` when it is the value alone,
    None when the cell could not be read).
    """

    field: str
    letter: str
    values: list[Any]
    raws: list[Any]
    readings: list[Any]

    def entry(self, index: int, sheet: str, row: int) -> Entry:
        raw = self.raws[index]
        if raw is None:
            return Entry(None, None, sheet, self.letter, row, BLANK)
        reading = self.readings[index]
        value = self.values[index]
        if reading is PLAIN:
            reading = _plain_reading(value)
        return Entry(value, raw, sheet, self.letter, row, reading)


class Record:
    """One row of a table sheet: a view of the table's columns at one position.

    Cells are read from the columns; :meth:`entry` makes the :class:`Entry` of one
    cell on demand (an empty cell of a found column gets an empty Entry).
    """

    __slots__ = ("data", "index", "row")

    def __init__(self, data: TableData, index: int, row: int):
        self.data = data
        #: position in the table (and in every column list)
        self.index = index
        #: the sheet's row number
        self.row = row

    def __repr__(self) -> str:
        return f"Record({self.data.id!r}, row={self.row}, key={self.key!r})"

    @property
    def table(self) -> str:
        return self.data.id

    @property
    def sheet(self) -> str:
        return self.data.sheet

    @property
    def key_field(self) -> str:
        """The field that names the row in findings (kode, program_kode, tahun)."""
        return self.data.key_field

    @property
    def columns(self) -> dict[str, str]:
        """Field id -> column letter of every column found in the sheet."""
        return self.data.columns

    @property
    def key(self) -> str | None:
        return self.data.keys[self.index]

    def get(self, field_id: str) -> Any:
        column = self.data.data.get(field_id)
        return None if column is None else column.values[self.index]

    def number(self, field_id: str) -> float | None:
        column = self.data.data.get(field_id)
        if column is None:
            return None
        value = column.values[self.index]
        return value if is_number(value) else None

    def entry(self, field_id: str) -> Entry | None:
        """The cell of ``field_id`` in this row (an empty Entry for an empty cell), None without the column."""
        column = self.data.data.get(field_id)
        return None if column is None else column.entry(self.index, self.data.sheet, self.row)

    def filled(self, field_id: str) -> Entry | None:
        """The cell of ``field_id`` when it is not empty (it may still hold no value: "-", unreadable text)."""
        column = self.data.data.get(field_id)
        if column is None or column.raws[self.index] is None:
            return None
        return column.entry(self.index, self.data.sheet, self.row)

    def stated(self, field_id: str) -> Entry | None:
        """The cell of ``field_id`` when it holds a number (a stated figure to compare), else None."""
        column = self.data.data.get(field_id)
        if column is None or not is_number(column.values[self.index]):
            return None
        return column.entry(self.index, self.data.sheet, self.row)

    @property
    def entries(self) -> dict[str, Entry]:
        """Every filled cell of the row, by field id."""
        index, sheet, row = self.index, self.data.sheet, self.row
        return {
            field_id: column.entry(index, sheet, row)
            for field_id, column in self.data.data.items()
            if column.raws[index] is not None
        }


@dataclass
class TableData:
    """The rows of one table, stored column by column, and where its columns were found."""

    id: str
    sheet: str
    #: field id -> column letter as found in the submitted sheet
    columns: dict[str, str]
    #: the field that names a row (kode, program_kode, tahun)
    key_field: str = "kode"
    #: field id -> the column as read (found columns only)
    data: dict[str, ColumnData] = field(default_factory=dict)
    #: one view per row, in sheet order
    records: list[Record] = field(default_factory=list)
    #: each row's key as text (see :func:`key_text`), aligned with ``records``
    keys: list[str | None] = field(default_factory=list)

    def cell(self, field_id: str, row: int) -> str | None:
        letter = self.columns.get(field_id)
        return f"{letter}{row}" if letter else None

    def values(self, field_id: str) -> list[Any]:
        """The values of a column, aligned with ``records`` (all None when the column was not found)."""
        column = self.data.get(field_id)
        return column.values if column is not None else [None] * len(self.records)

    def cells(self) -> Iterator[tuple[int, str, Any, Any, Any]]:
        """Every filled cell of the table, column by column: (row, column letter, value, raw, reading)."""
        rows = [record.row for record in self.records]
        for column in self.data.values():
            letter, values, readings = column.letter, column.values, column.readings
            for index, raw in enumerate(column.raws):
                if raw is not None:
                    yield rows[index], letter, values[index], raw, readings[index]


def key_text(value: Any) -> str | None:
    """A row's key as text: the kode, or a whole year without ``.0``; None when empty."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value) if value not in (None, "") else None


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
    #: tables pasted in the free-tables sheet (see the freetables package)
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
