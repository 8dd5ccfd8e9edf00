"""The tables of the results workbook: derived Bab III tables (:class:`DerivedTable`), their
columns and rows, where a table sheet puts its title, note and header, and the results
workbook's own sheet names.

Every table sheet of the results and rekap workbooks follows the same rows: title
(``TITLE_ROW``), note (``NOTE_ROW``), column headers (``HEADER_ROW``), then data from
``FIRST_ROW`` (1-based, as Excel shows them).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .cells import column_letter
from .description import TEMPLATE
from .expr import Expr, Ref, guarded_value

if TYPE_CHECKING:
    from .model import Submission

TITLE_ROW, NOTE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4


@dataclass(frozen=True)
class DColumn:
    """A column of a derived table."""

    id: str
    header: str
    kind: str = "text"  # text | kode | rupiah | percent | number | integer
    width: float = 14


@dataclass(slots=True)
class DRow:
    key: str | None
    cells: dict[str, Any]
    style: str = "normal"  # normal | program | kegiatan | total


#: Sheet names the derived tables must not take (the submitted sheets copied into the results).
_RESERVED_SHEETS: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "reserved", default=frozenset()
)


@contextmanager
def reserved_sheets(names: frozenset[str]) -> Iterator[None]:
    """Derived tables made inside the block keep clear of the sheet ``names`` (see :func:`unique_sheet_name`)."""
    token = _RESERVED_SHEETS.set(names)
    try:
        yield
    finally:
        _RESERVED_SHEETS.reset(token)


def unique_sheet_name(name: str, taken: set[str] | frozenset[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... if a sheet of that name (any case) exists; ≤ 31 chars."""
    lowered = {t.lower() for t in taken}
    candidate, number = name, 1
    while candidate.lower() in lowered:
        number += 1
        suffix = f" ({number})"
        candidate = name[: 31 - len(suffix)] + suffix
    return candidate


class DerivedTable:
    """One Bab III table of the results workbook.

    A table of every budget line may leave its first rows to be made only when
    they are asked for (:meth:`defer`): checking a file needs the figures of
    those rows (kept column by column), not the rows themselves.
    """

    def __init__(
        self,
        id: str,
        sheet: str,
        title: str,
        columns: list[DColumn],
        note: str = "",
        rows: list[DRow] | None = None,
    ):
        self.id = id
        # a submitted sheet renamed to a derived table's name keeps its name; the table moves aside
        self.sheet = unique_sheet_name(sheet, _RESERVED_SHEETS.get())
        self.title = title
        self.columns = columns
        self.note = note
        self._rows: list[DRow] = rows if rows is not None else []
        self._deferred: tuple[int, Callable[[int], DRow]] | None = None
        self._letters = {c.id: column_letter(i) for i, c in enumerate(self.columns)}

    def __repr__(self) -> str:
        return f"DerivedTable({self.id!r}, {self.sheet!r}, rows={self.row_count})"

    @property
    def rows(self) -> list[DRow]:
        if self._deferred is not None:
            count, make = self._deferred
            self._deferred = None
            self._rows[:0] = [make(index) for index in range(count)]
        return self._rows

    @property
    def row_count(self) -> int:
        """How many rows the table has (without making deferred ones)."""
        return len(self._rows) + (self._deferred[0] if self._deferred is not None else 0)

    def defer(self, count: int, make: Callable[[int], DRow]) -> None:
        """The table's first ``count`` rows are ``make(0)``, ``make(1)``...: made when first asked for."""
        assert not self._rows and self._deferred is None, "rows are deferred before any is added"
        if count:
            self._deferred = (count, make)

    def column(self, column_id: str) -> str:
        return self._letters[column_id]

    def cell(self, index: int, column_id: str) -> str:
        return f"{self._letters[column_id]}{FIRST_ROW + index}"

    def add(self, key: str | None, cells: dict[str, Any], style: str = "normal") -> int:
        self._rows.append(DRow(key, cells, style))
        return self.row_count - 1

    def row(self, index: int) -> DRow:
        """Row ``index`` (a deferred row is made for the asking, not kept)."""
        if self._deferred is not None:
            count, make = self._deferred
            return make(index) if index < count else self._rows[index - count]
        return self._rows[index]

    def ref(self, index: int, column_id: str) -> Ref:
        """A reference to a cell of this table, carrying its computed value."""
        content = self.row(index).cells.get(column_id)
        cached = guarded_value(content) if isinstance(content, Expr) else content
        return Ref(self.sheet, self.cell(index, column_id), cached, cached.__class__ is str)

    def span(self, first: int, last: int, column_id: str) -> tuple[str, str, tuple[Ref, ...]]:
        refs = tuple(self.ref(i, column_id) for i in range(first, last + 1))
        return self.cell(first, column_id), self.cell(last, column_id), refs


#: The results writer's own sheets.
SUMMARY_SHEET, CHECKS_SHEET, RULES_SHEET = "Ikhtisar", "Pemeriksaan", "Aturan"
RESULTS_SHEETS = frozenset({SUMMARY_SHEET, CHECKS_SHEET, RULES_SHEET})


def input_sheets(submission: Submission) -> list[str]:
    """The submitted sheets copied into the results (cell sheets, tables, free tables), in order."""
    names: list[str] = []
    candidates = [entry.sheet for entry in submission.cells.values()]
    candidates += [table.sheet for table in submission.tables.values()]
    candidates.append(TEMPLATE.free_sheet)
    for name in candidates:
        if name in submission.grids and name not in names:
            names.append(name)
    return names
