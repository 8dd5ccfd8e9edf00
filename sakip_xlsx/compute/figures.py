"""What the computation hands to the checks and writers: per-record results (indicators, budget lines) and :class:`Computation`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..expr import Cells, Column, Expr, Ref, Text
from ..model import BudgetLine, Record
from ..names import normalise_name
from ..tables import FIRST_ROW, DerivedTable


@dataclass(slots=True)
class IndikatorResult:
    record: Record
    jenis: str
    capaian: Expr | None = None
    capaian_ref: Ref | None = None
    kemajuan: Expr | None = None
    efisiensi: Expr | None = None
    serapan: Expr | None = None
    #: the upper bound of the target the capaian used: the typed target_atas, else the upper end of a
    #: "60 – 70" target (None: no range)
    target_atas: Expr | None = None


class BudgetFigures:
    """The derived figures of every budget line, column by column.

    Positions follow the rows of the Realisasi Anggaran table (the budget tree in
    order: each program, then its kegiatan with their sub kegiatan).  Each column is
    one expression over the whole table (:class:`~sakip_xlsx.expr.Column`), so a
    50,000-line budget is computed without an object per line; :class:`BudgetResult`
    shows one line's figures as plain expressions when asked.
    """

    def __init__(self, lines: list[BudgetLine], table: DerivedTable):
        self.lines = lines
        self.table = table
        #: record row -> position
        self.position = {line.record.row: index for index, line in enumerate(lines)}
        self.pagu: Column
        self.realisasi: Column
        self.selisih: Column
        self.serapan: Column
        #: True where pagu or realisasi is the Σ of the line's children (a typed value is then checked)
        self.rolled_up: list[bool] = []
        #: the Capaian Program table, and per position: (group, index in group, table row) or None
        self.capaian_table: DerivedTable | None = None
        self.capaian_at: list[tuple[Column, int, int] | None] = [None] * len(lines)
        #: every row of the Capaian Program table (lines outside the tree too): (line, group, index in group)
        self.capaian_rows: list[tuple[BudgetLine, Column, int]] = []
        #: set by the program analysis: position -> expression
        self.kemajuan: dict[int, Expr] = {}
        self.efisiensi: dict[int, Expr] = {}

    def cells(self, column_id: str) -> Cells:
        """A column of the Realisasi Anggaran table as a column leaf (a cell per line)."""
        column: Column = getattr(self, column_id)
        rows = range(FIRST_ROW, FIRST_ROW + len(self.lines))
        return Cells(self.table.sheet, self.table.column(column_id), rows, column.values)

    def ref(self, column_id: str, position: int) -> Ref:
        """A reference to a cell of the Realisasi Anggaran table, carrying its value."""
        column: Column = getattr(self, column_id)
        return Ref(self.table.sheet, self.table.cell(position, column_id), column.values[position])

    def capaian_value(self, position: int) -> Any:
        found = self.capaian_at[position]
        return None if found is None else found[0].values[found[1]]

    def capaian_ref(self, position: int) -> Ref | None:
        found = self.capaian_at[position]
        if found is None or self.capaian_table is None:
            return None
        column, index, row = found
        return Ref(self.capaian_table.sheet, self.capaian_table.cell(row, "capaian"), column.values[index])


class BudgetResult:
    """The derived figures of one budget line (a view of :class:`BudgetFigures` at one position)."""

    __slots__ = ("figures", "position")

    def __init__(self, figures: BudgetFigures, position: int):
        self.figures = figures
        self.position = position

    @property
    def line(self) -> BudgetLine:
        return self.figures.lines[self.position]

    @property
    def pagu(self) -> Expr:
        """Pagu as the table computes it: the Σ of the line's children, or its own cell."""
        return self.figures.pagu.at(self.position)

    @property
    def realisasi(self) -> Expr:
        return self.figures.realisasi.at(self.position)

    @property
    def selisih(self) -> Expr:
        return self.figures.selisih.at(self.position)

    @property
    def serapan(self) -> Expr:
        return self.figures.serapan.at(self.position)

    @property
    def pagu_ref(self) -> Ref:
        return self.figures.ref("pagu", self.position)

    @property
    def realisasi_ref(self) -> Ref:
        return self.figures.ref("realisasi", self.position)

    @property
    def selisih_ref(self) -> Ref:
        return self.figures.ref("selisih", self.position)

    @property
    def serapan_ref(self) -> Ref:
        return self.figures.ref("serapan", self.position)

    @property
    def rolled_up(self) -> bool:
        """True when pagu/realisasi are the Σ of children (then a typed value is checked)."""
        return self.figures.rolled_up[self.position]

    @property
    def capaian(self) -> Expr | None:
        """Capaian kinerja of the line's own output indicator (None when it has no target or realisasi)."""
        found = self.figures.capaian_at[self.position]
        return None if found is None else found[0].at(found[1])

    @property
    def capaian_ref(self) -> Ref | None:
        return self.figures.capaian_ref(self.position)

    @property
    def kemajuan(self) -> Expr | None:
        return self.figures.kemajuan.get(self.position)

    @kemajuan.setter
    def kemajuan(self, expr: Expr) -> None:
        self.figures.kemajuan[self.position] = expr

    @property
    def efisiensi(self) -> Expr | None:
        return self.figures.efisiensi.get(self.position)

    @efisiensi.setter
    def efisiensi(self, expr: Expr) -> None:
        self.figures.efisiensi[self.position] = expr


class BudgetResults(Mapping[int, BudgetResult]):
    """Record row -> :class:`BudgetResult` of each budget line, children before their parent."""

    def __init__(self, figures: BudgetFigures | None = None, order: list[int] | None = None):
        self.figures = figures
        #: positions, each line's children before the line itself
        self.order = order or []
        self._indexes: list[int] | None = None

    @property
    def record_indexes(self) -> list[int]:
        """For each position of :attr:`order`, the line's index in the anggaran table (its column lists)."""
        if self._indexes is None:
            lines = self.figures.lines if self.figures is not None else []
            self._indexes = [lines[position].record.index for position in self.order]
        return self._indexes

    def __getitem__(self, row: int) -> BudgetResult:
        if self.figures is None:
            raise KeyError(row)
        return BudgetResult(self.figures, self.figures.position[row])

    def __contains__(self, row: object) -> bool:
        return self.figures is not None and row in self.figures.position

    def __iter__(self) -> Iterator[int]:
        lines = self.figures.lines if self.figures is not None else []
        return (lines[position].record.row for position in self.order)

    def __len__(self) -> int:
        return len(self.order)

    def values(self) -> Iterator[BudgetResult]:  # type: ignore[override]
        figures = self.figures
        return (BudgetResult(figures, position) for position in self.order)


@dataclass
class Computation:
    tables: list[DerivedTable]
    indikator: dict[int, IndikatorResult]
    #: record row -> the line's figures (iterated children first); ``budget.figures`` holds the columns
    budget: BudgetResults
    totals: dict[str, Expr]
    penduduk: dict[int, dict[str, Expr]]
    pk_by_program: dict[str, dict[str, Expr]]
    #: (sheet, cell) of each derived total shown on the summary
    summary: dict[str, Ref] = field(default_factory=dict)
    #: kutipan record row -> the true value it must equal
    kutipan: dict[int, Expr] = field(default_factory=dict)
    #: renstra checks: (record row, what) -> expression, see _renstra
    renstra: dict[tuple[int, str], Expr] = field(default_factory=dict)


def input_ref(record: Record, field_id: str) -> Ref | None:
    """Reference to an input cell as copied into the results workbook."""
    entry = record.entry(field_id)
    if entry is None:
        return None
    parsed = entry.parsed
    if parsed is not None and getattr(parsed, "kind", None) == "range":
        return Ref(entry.sheet, entry.cell, parsed.value)
    return Ref(entry.sheet, entry.cell, entry.value)


def _program_name(text: Any) -> str:
    """A program's name for matching: normalised, without a leading "Program"."""
    name = normalise_name(text)
    return name[len("program ") :] if name.startswith("program ") else ("" if name == "program" else name)


def match_program(record: Record, programs: list[BudgetLine]) -> BudgetLine | None:
    """The budget program a PK row speaks of: by program_kode, else by the same name."""
    kode = record.get("program_kode")
    if kode:
        return next((p for p in programs if p.record.key == str(kode)), None)
    name = _program_name(record.get("uraian"))
    if not name:
        return None
    names = [(p, _program_name(p.record.get("uraian"))) for p in programs]
    matches = [p for p, other in names if other == name]
    if not matches:  # "Penunjang Urusan Pemerintahan Daerah" vs "... Daerah Kabupaten/Kota"
        matches = [p for p, other in names if other and (other.startswith(name) or name.startswith(other))]
    return matches[0] if len(matches) == 1 else None


#: An empty derived cell (expressions never change, so one is shared).
BLANK_CELL = Text("")


#: Row style of a budget line by its level (sub kegiatan rows are plain).
_LEVEL_STYLE = {0: "program", 1: "kegiatan"}


def _blank_if_none(expr: Expr | None) -> Expr:
    return expr if expr is not None else BLANK_CELL
