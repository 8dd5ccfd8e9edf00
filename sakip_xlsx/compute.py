"""Recompute every derived LKjIP table (Bab III) from a submission.

Pure: takes a :class:`~sakip_xlsx.model.Submission`, returns a
:class:`Computation` holding the derived tables (cells are expressions or
plain values) and, per input record, the expressions the checks compare the
stated figures with.  Input cells are referenced where the results workbook
copies them: same sheet name, same cell address as in the submitted file.

The two tables with a row per budget line (Realisasi Anggaran, Capaian Program)
are computed column by column (:class:`BudgetFigures`: one expression per column,
every line's value at once) and make their rows only when the results workbook
asks for them; checking a file never builds them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import quantities as q
from .expr import (
    Average,
    Cells,
    CellsSum,
    Column,
    CountIf,
    Expr,
    Num,
    Numbers,
    Ref,
    RollUp,
    Sum,
    Text,
    guarded_value,
    is_cell_number,
)
from .model import BudgetLine, Record, Submission
from .names import normalise_name
from .tables import (
    FIRST_ROW,
    RESULTS_SHEETS,
    DColumn,
    DerivedTable,
    DRow,
    input_sheets,
    reserved_sheets,
)


@dataclass(slots=True)
class IndikatorResult:
    record: Record
    jenis: str
    capaian: Expr | None = None
    capaian_ref: Ref | None = None
    kemajuan: Expr | None = None
    efisiensi: Expr | None = None
    serapan: Expr | None = None


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


def compute(submission: Submission) -> Computation:
    """Every derived table and expected figure of a submission."""
    with reserved_sheets(frozenset(input_sheets(submission)) | RESULTS_SHEETS):
        return _Computer(submission).run()


class _Computer:
    def __init__(self, submission: Submission):
        self.sub = submission
        self.rules = submission.rules
        self.tables: list[DerivedTable] = []
        self.indikator: dict[int, IndikatorResult] = {}
        self.budget = BudgetResults()
        self.totals: dict[str, Expr] = {}
        self.penduduk: dict[int, dict[str, Expr]] = {}
        self.pk_by_program: dict[str, dict[str, Expr]] = {}
        self.summary: dict[str, Ref] = {}
        self.kutipan: dict[int, Expr] = {}
        self.renstra_checks: dict[tuple[int, str], Expr] = {}
        sasaran = {str(r.get("kode")): r for r in submission.records("sasaran") if r.get("kode")}
        self.sasaran = sasaran
        self.indicators = submission.records("indikator")

    def run(self) -> Computation:
        self._capaian_kinerja()
        self._realisasi_anggaran()
        self._capaian_program()
        self._perbandingan_tahun()
        self._kemajuan()
        self._perbandingan_wilayah()
        self._alokasi_dan_efisiensi()
        self._efisiensi_sdm()
        self._analisis_program()
        self._pk_vs_dpa()
        self._penduduk()
        self._renstra()
        self._kutipan()
        if self.sub.free_tables:
            from .freetables import free_table_derived

            self.tables.extend(free_table_derived(self.sub.free_tables))
        return Computation(
            self.tables,
            self.indikator,
            self.budget,
            self.totals,
            self.penduduk,
            self.pk_by_program,
            self.summary,
            self.kutipan,
            self.renstra_checks,
        )

    def _jenis(self, record: Record) -> str:
        sasaran = self.sasaran.get(str(record.get("sasaran_kode")))
        return (sasaran.get("jenis") if sasaran else None) or "Sasaran Strategis"

    def _ordered_indicators(self) -> list[Record]:
        order = {"Sasaran Strategis": 0, "Kinerja Lainnya": 1}
        return sorted(self.indicators, key=lambda r: order.get(self._jenis(r), 0))

    # -- 3.1 -----------------------------------------------------------------
    def _capaian_kinerja(self) -> None:
        table = DerivedTable(
            "capaian_kinerja",
            "3.1 Capaian Kinerja",
            "Tabel 3.1 Pengukuran Capaian Kinerja Sasaran",
            [
                DColumn("jenis", "Jenis", "text", 16),
                DColumn("sasaran", "Sasaran", "text", 36),
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Indikator Kinerja", "text", 40),
                DColumn("satuan", "Satuan", "text", 10),
                DColumn("polaritas", "Polaritas", "text", 10),
                DColumn("target", "Target", "number", 11),
                DColumn("target_atas", "Target Batas Atas", "number", 11),
                DColumn("realisasi", "Realisasi", "number", 11),
                DColumn("capaian", "Capaian (%)", "percent", 11),
                DColumn("predikat", "Predikat", "text", 22),
                DColumn("garis", "Target 100%", "percent", 9),
            ],
            note=f"Capaian = realisasi / target × 100 (polaritas negatif: {self.rules.negative_formula}); "
            + ("tanpa batas atas" if self.rules.cap is None else f"dibatasi {self.rules.cap:g}%")
            + ".",
        )
        blocks: dict[str, tuple[int, int]] = {}
        for record in self._ordered_indicators():
            jenis = self._jenis(record)
            target, realisasi = input_ref(record, "target"), input_ref(record, "realisasi")
            upper = input_ref(record, "target_atas")
            parsed_target = record.entry("target").parsed if record.entry("target") else None
            if (upper is None or upper.value() is None) and getattr(parsed_target, "kind", None) == "range":
                upper = Num(parsed_target.upper)
            elif upper is not None and upper.value() is None:
                upper = None
            negative = record.get("polaritas") == "Negatif"
            capaian = None
            if target is not None and realisasi is not None:
                capaian = q.capaian(target, realisasi, negative, self.rules, upper)
            sasaran = self.sasaran.get(str(record.get("sasaran_kode")))
            index = table.add(
                record.key,
                {
                    "jenis": jenis,
                    "sasaran": sasaran.get("uraian") if sasaran else record.get("sasaran_kode"),
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                    "satuan": record.get("satuan"),
                    "polaritas": record.get("polaritas"),
                    "target": target,
                    "target_atas": upper,
                    "realisasi": realisasi,
                    "capaian": _blank_if_none(capaian),
                    "garis": 100,
                },
            )
            capaian_ref = table.ref(index, "capaian") if capaian is not None else None
            table.rows[index].cells["predikat"] = q.predikat(table.ref(index, "capaian"), self.rules)
            first, _ = blocks.get(jenis, (index, index))
            blocks[jenis] = (first, index)
            self.indikator[record.row] = IndikatorResult(record, jenis, capaian, capaian_ref)
        self.capaian_table = table
        self.capaian_rows = len(table.rows)
        for jenis, (first, last) in blocks.items():
            start, end, refs = table.span(first, last, "capaian")
            mean = Average(table.sheet, start, end, refs)
            index = table.add(None, {"uraian": f"Rata-rata capaian {jenis}", "capaian": mean}, "total")
            table.rows[index].cells["predikat"] = q.predikat(table.ref(index, "capaian"), self.rules)
            self.totals[f"rata_capaian:{jenis}"] = mean
            self.summary[f"rata_capaian:{jenis}"] = table.ref(index, "capaian")
            self.summary[f"predikat:{jenis}"] = table.ref(index, "predikat")
        if self.capaian_rows:
            start, end, refs = table.span(0, self.capaian_rows - 1, "capaian")
            for name, op in (("di_atas", ">"), ("tepat", "="), ("di_bawah", "<")):
                self.totals[f"jumlah_{name}"] = CountIf(table.sheet, start, end, refs, op, 100)
        self.tables.append(table)

    # -- budget --------------------------------------------------------------
    def _realisasi_anggaran(self) -> None:
        table = DerivedTable(
            "realisasi_anggaran",
            "Realisasi Anggaran",
            "Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan",
            [
                DColumn("kode", "Kode", "kode", 20),
                DColumn("tingkat", "Tingkat", "text", 12),
                DColumn("uraian", "Uraian", "text", 48),
                DColumn("pagu", "Pagu (Rp)", "rupiah", 17),
                DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
                DColumn("selisih", "Selisih (Rp)", "rupiah", 16),
                DColumn("serapan", "Serapan (%)", "percent", 11),
            ],
            note="Pagu dan realisasi program/kegiatan = jumlah rinciannya; selisih = pagu − realisasi; "
            "serapan = realisasi / pagu × 100.",
        )
        lines: list[BudgetLine] = []  # the budget tree in table order: a line, then its children
        order: list[int] = []  # the same positions, each line's children before the line

        def place(line: BudgetLine) -> None:
            position = len(lines)
            lines.append(line)
            for child in line.children:
                place(child)
            order.append(position)

        for program in self.sub.programs:
            place(program)
        figures = BudgetFigures(lines, table)
        count = len(lines)
        children = [tuple(figures.position[child.record.row] for child in line.children) for line in lines]
        rows = range(FIRST_ROW, FIRST_ROW + count)
        data = self.sub.tables.get("anggaran")
        rolled_up = [False] * count
        for field_id in ("pagu", "realisasi"):
            own: Expr = BLANK_CELL  # the column is missing: every line is blank
            parts: list[tuple[int, ...] | None] = [None] * count
            if data is not None and field_id in data.data:
                values = data.values(field_id)
                own = Cells(
                    data.sheet,
                    data.columns[field_id],
                    [line.record.row for line in lines],
                    [values[line.record.index] for line in lines],
                )
                # a line is the Σ of its children when one of them (or of theirs) has an amount
                has_amount = [is_cell_number(cached) for cached in own.cached]
                for position in range(count - 1, -1, -1):
                    below = children[position]
                    if below and any(has_amount[child] for child in below):
                        has_amount[position] = rolled_up[position] = True
                        parts[position] = children[position]
            column = RollUp(table.sheet, table.column(field_id), rows, parts, own)
            setattr(figures, field_id, Column.of(column, count))
        figures.rolled_up = rolled_up
        pagu = Cells(table.sheet, table.column("pagu"), rows, figures.pagu.values)
        realisasi = Cells(table.sheet, table.column("realisasi"), rows, figures.realisasi.values)
        figures.selisih = Column.of(q.selisih(pagu, realisasi), count)
        figures.serapan = Column.of(q.serapan(pagu, realisasi), count)

        def make_row(position: int) -> DRow:
            record = lines[position].record
            return DRow(
                record.key,
                {
                    "kode": record.key,
                    "tingkat": record.get("tingkat"),
                    "uraian": record.get("uraian"),
                    "pagu": figures.pagu.at(position),
                    "realisasi": figures.realisasi.at(position),
                    "selisih": figures.selisih.at(position),
                    "serapan": figures.serapan.at(position),
                },
                _LEVEL_STYLE.get(lines[position].level, "normal"),
            )

        table.defer(count, make_row)
        programs = [figures.position[p.record.row] for p in self.sub.programs]
        total_pagu = Sum(tuple(figures.ref("pagu", position) for position in programs))
        total_realisasi = Sum(tuple(figures.ref("realisasi", position) for position in programs))
        cells: dict[str, Any] = {"uraian": "Jumlah", "pagu": total_pagu, "realisasi": total_realisasi}
        index = table.add(None, cells, "total")
        pagu_ref, realisasi_ref = table.ref(index, "pagu"), table.ref(index, "realisasi")
        cells["selisih"] = q.selisih(pagu_ref, realisasi_ref)
        cells["serapan"] = q.serapan(pagu_ref, realisasi_ref)
        self.totals |= {
            "total_pagu": total_pagu,
            "total_realisasi": total_realisasi,
            "sisa_anggaran": q.selisih(pagu_ref, realisasi_ref),
            "persen_serapan": q.serapan(pagu_ref, realisasi_ref),
        }
        for name in ("pagu", "realisasi", "selisih", "serapan"):
            self.summary[f"total_{name}"] = table.ref(index, name)
        self.figures = figures
        self.budget = BudgetResults(figures, order)
        self.tables.append(table)

    def _capaian_program(self) -> None:
        table = DerivedTable(
            "capaian_program",
            "Capaian Program",
            "Capaian Kinerja Program, Kegiatan dan Sub Kegiatan",
            [
                DColumn("kode", "Kode", "kode", 20),
                DColumn("tingkat", "Tingkat", "text", 12),
                DColumn("uraian", "Uraian", "text", 40),
                DColumn("indikator", "Indikator Keluaran / Hasil", "text", 36),
                DColumn("satuan", "Satuan", "text", 10),
                DColumn("target", "Target", "number", 11),
                DColumn("realisasi", "Realisasi", "number", 11),
                DColumn("capaian", "Capaian (%)", "percent", 11),
                DColumn("predikat", "Predikat", "text", 20),
            ],
        )
        figures = self.figures
        figures.capaian_table = table
        data = self.sub.tables.get("anggaran")
        self.tables.append(table)
        if data is None or "target" not in data.data or "realisasi_kinerja" not in data.data:
            return
        target_column, realisasi_column = data.data["target"], data.data["realisasi_kinerja"]
        # every line with a target or a realisasi, in sheet order; a range target ("60 – 70") has an upper bound
        plain: list[BudgetLine] = []
        ranged: list[tuple[BudgetLine, float]] = []
        shown: list[tuple[BudgetLine, bool, int]] = []  # table rows: (line, ranged?, index in its group)
        for line in self.sub.budget_lines:
            index = line.record.index
            if not (
                is_cell_number(target_column.values[index]) or is_cell_number(realisasi_column.values[index])
            ):
                continue
            reading = target_column.readings[index]
            if reading is not None and reading.kind == "range":
                shown.append((line, True, len(ranged)))
                ranged.append((line, reading.upper))
            else:
                shown.append((line, False, len(plain)))
                plain.append(line)

        def group(members: list[BudgetLine], upper: Expr | None) -> tuple[Column, Cells, Cells]:
            rows = [line.record.row for line in members]
            target = Cells(
                data.sheet,
                target_column.letter,
                rows,
                [target_column.values[m.record.index] for m in members],
            )
            realisasi = Cells(
                data.sheet,
                realisasi_column.letter,
                rows,
                [realisasi_column.values[m.record.index] for m in members],
            )
            capaian = q.capaian(target, realisasi, False, self.rules, upper)
            return Column.of(capaian, len(members)), target, realisasi

        groups = {
            False: group(plain, None),
            True: group([line for line, _ in ranged], Numbers([upper for _, upper in ranged])),
        }
        for row, (line, is_range, index) in enumerate(shown):
            position = figures.position.get(line.record.row)
            if position is not None:  # a line outside the budget tree (an orphan) has no figures of its own
                figures.capaian_at[position] = (groups[is_range][0], index, row)

        predikat: dict[bool, Column] = {}  # made with the first row the results ask for

        def predikat_of(is_range: bool) -> Column:
            if is_range not in predikat:
                capaian = groups[is_range][0]
                rows = [FIRST_ROW + row for row, (_, ranged, _) in enumerate(shown) if ranged is is_range]
                cells = Cells(table.sheet, table.column("capaian"), rows, capaian.values)
                predikat[is_range] = Column.of(q.predikat(cells, self.rules), len(rows))
            return predikat[is_range]

        def make_row(row: int) -> DRow:
            line, is_range, index = shown[row]
            record = line.record
            capaian, target, realisasi = groups[is_range]
            return DRow(
                record.key,
                {
                    "kode": record.key,
                    "tingkat": record.get("tingkat"),
                    "uraian": record.get("uraian"),
                    "indikator": record.get("indikator_keluaran"),
                    "satuan": record.get("satuan"),
                    "target": target.bind(index),
                    "realisasi": realisasi.bind(index),
                    "capaian": capaian.at(index),
                    "predikat": predikat_of(is_range).at(index),
                },
                _LEVEL_STYLE.get(line.level, "normal"),
            )

        table.defer(len(shown), make_row)
        figures.capaian_rows = [(line, groups[is_range][0], index) for line, is_range, index in shown]

    # -- indicator comparisons -------------------------------------------------
    def _indicator_table(
        self, table_id: str, sheet: str, title: str, columns: list[DColumn], note: str, build
    ) -> DerivedTable:
        table = DerivedTable(
            table_id,
            sheet,
            title,
            [
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Indikator Kinerja", "text", 40),
                DColumn("satuan", "Satuan", "text", 10),
                *columns,
            ],
            note=note,
        )
        for record in self._ordered_indicators():
            cells = build(record)
            if cells is None:
                continue
            table.add(
                record.key,
                {"kode": record.key, "uraian": record.get("uraian"), "satuan": record.get("satuan"), **cells},
            )
        self.tables.append(table)
        return table

    def _realisasi_ref(self, record: Record) -> Ref | None:
        return input_ref(record, "realisasi")

    def _perbandingan_tahun(self) -> None:
        def build(record: Record):
            past = [input_ref(record, f"realisasi_lalu_{n}") for n in (3, 2, 1)]
            if all(ref is None or ref.value() is None for ref in past):
                return None
            realisasi = self._realisasi_ref(record)
            last_year = past[2]
            change = (
                q.perbandingan(realisasi, last_year)
                if realisasi is not None and last_year is not None
                else None
            )
            result = self.indikator.get(record.row)
            return {
                "lalu_3": past[0],
                "lalu_2": past[1],
                "lalu_1": past[2],
                "realisasi": realisasi,
                "perubahan": _blank_if_none(change),
                "capaian": result.capaian_ref if result and result.capaian_ref else BLANK_CELL,
            }

        tahun = self.sub.cell_value("tahun")
        label = (
            (lambda n: f"Realisasi {int(tahun) - n}")
            if isinstance(tahun, (int, float))
            else (lambda n: f"Realisasi n-{n}" if n else "Realisasi n")
        )
        self._indicator_table(
            "perbandingan_tahun",
            "Perbandingan Tahun",
            "Perbandingan Realisasi Kinerja dengan Tahun Sebelumnya",
            [
                DColumn("lalu_3", label(3), "number", 11),
                DColumn("lalu_2", label(2), "number", 11),
                DColumn("lalu_1", label(1), "number", 11),
                DColumn("realisasi", label(0), "number", 11),
                DColumn("perubahan", "Perubahan thd Tahun Lalu", "number", 12),
                DColumn("capaian", "Capaian Tahun Ini (%)", "percent", 11),
            ],
            "Perubahan = realisasi tahun ini − realisasi tahun lalu.",
            build,
        )

    def _kemajuan(self) -> None:
        def build(record: Record):
            target = input_ref(record, "target_renstra_akhir")
            if target is None or target.value() is None:
                return None
            realisasi = self._realisasi_ref(record)
            negative = record.get("polaritas") == "Negatif"
            kemajuan = q.capaian(target, realisasi, negative, self.rules) if realisasi is not None else None
            if record.row in self.indikator:
                self.indikator[record.row].kemajuan = kemajuan
            return {"target_akhir": target, "realisasi": realisasi, "kemajuan": _blank_if_none(kemajuan)}

        self._indicator_table(
            "kemajuan",
            "Kemajuan Renstra",
            "Tingkat Kemajuan Capaian terhadap Target Akhir Renstra",
            [
                DColumn("target_akhir", "Target Akhir Renstra", "number", 12),
                DColumn("realisasi", "Realisasi", "number", 11),
                DColumn("kemajuan", "Tingkat Kemajuan (%)", "percent", 12),
            ],
            "Tingkat kemajuan = realisasi / target akhir Renstra × 100 (aturan polaritas dan batas sama).",
            build,
        )

    def _perbandingan_wilayah(self) -> None:
        def build(record: Record):
            refs = {
                name: input_ref(record, f"pembanding_{name}")
                for name in ("kabupaten", "provinsi", "nasional")
            }
            if all(ref is None or ref.value() is None for ref in refs.values()):
                return None
            realisasi = self._realisasi_ref(record)
            cells: dict[str, Any] = {"realisasi": realisasi}
            for name, ref in refs.items():
                cells[name] = ref
                present = ref is not None and ref.value() is not None and realisasi is not None
                cells[f"selisih_{name}"] = q.perbandingan(realisasi, ref) if present else BLANK_CELL
            return cells

        self._indicator_table(
            "perbandingan_wilayah",
            "Perbandingan Wilayah",
            "Perbandingan Realisasi dengan Kabupaten, Provinsi dan Nasional",
            [
                DColumn("realisasi", "Realisasi", "number", 11),
                DColumn("kabupaten", "Kabupaten", "number", 11),
                DColumn("selisih_kabupaten", "Selisih Kab.", "number", 11),
                DColumn("provinsi", "Provinsi", "number", 11),
                DColumn("selisih_provinsi", "Selisih Prov.", "number", 11),
                DColumn("nasional", "Nasional", "number", 11),
                DColumn("selisih_nasional", "Selisih Nas.", "number", 11),
            ],
            "Selisih = realisasi − pembanding (positif: lebih tinggi dari pembanding).",
            build,
        )

    # -- allocation and efficiency ----------------------------------------------
    def _linked_lines(self) -> dict[str, list[BudgetLine]]:
        """Top-most budget lines linked to each indicator (children of a linked line are not counted twice)."""
        linked: dict[str, list[BudgetLine]] = {}
        data = self.sub.tables.get("anggaran")
        codes = data.values("indikator_kode") if data is not None else []
        for line in self.sub.budget_lines:
            kode = codes[line.record.index]
            if not kode:
                continue
            ancestor = line.parent
            while ancestor is not None and not codes[ancestor.record.index]:
                ancestor = ancestor.parent
            if ancestor is None and line.record.row in self.budget:
                linked.setdefault(str(kode), []).append(line)
        return linked

    def _alokasi_dan_efisiensi(self) -> None:
        linked = self._linked_lines()
        self.linked_lines = linked
        pagu_cells, realisasi_cells = self.figures.cells("pagu"), self.figures.cells("realisasi")
        total_pagu = self.summary.get("total_pagu")
        alokasi = DerivedTable(
            "alokasi",
            "Alokasi Anggaran",
            "Alokasi Anggaran per Sasaran dan Indikator",
            [
                DColumn("tingkat", "Tingkat", "text", 10),
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Sasaran / Indikator", "text", 48),
                DColumn("pagu", "Alokasi Pagu (Rp)", "rupiah", 17),
                DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
                DColumn("persen", "% dari Total Pagu", "percent", 11),
            ],
            note="Alokasi = jumlah pagu program/kegiatan yang mendukung indikator; % = alokasi / total pagu × 100.",
        )
        indikator_rows: dict[str, int] = {}
        by_sasaran: dict[str, list[Record]] = {}
        for record in self._ordered_indicators():
            by_sasaran.setdefault(str(record.get("sasaran_kode")), []).append(record)
        for sasaran_kode, records in by_sasaran.items():
            sasaran = self.sasaran.get(sasaran_kode)
            sasaran_index = alokasi.add(
                sasaran_kode,
                {
                    "tingkat": "Sasaran",
                    "kode": sasaran_kode,
                    "uraian": sasaran.get("uraian") if sasaran else sasaran_kode,
                },
                "program",
            )
            children = []
            for record in records:
                lines = linked.get(str(record.key), [])
                cells: dict[str, Any] = {
                    "tingkat": "Indikator",
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                }
                if lines:
                    positions = tuple(self.figures.position[ln.record.row] for ln in lines)
                    cells["pagu"] = CellsSum(pagu_cells, positions)
                    cells["realisasi"] = CellsSum(realisasi_cells, positions)
                index = alokasi.add(record.key, cells)
                if lines:
                    alokasi.rows[index].cells["persen"] = q.ratio(alokasi.ref(index, "pagu"), total_pagu)
                    indikator_rows[str(record.key)] = index
                children.append(index)
            with_money = [i for i in children if "pagu" in alokasi.rows[i].cells]
            if with_money:
                cells = alokasi.rows[sasaran_index].cells
                cells["pagu"] = Sum(tuple(alokasi.ref(i, "pagu") for i in with_money))
                cells["realisasi"] = Sum(tuple(alokasi.ref(i, "realisasi") for i in with_money))
                cells["persen"] = q.ratio(alokasi.ref(sasaran_index, "pagu"), total_pagu)
        shares = [i for i in indikator_rows.values()]
        if shares:
            index = alokasi.add(
                None,
                {
                    "uraian": "Jumlah porsi indikator",
                    "pagu": Sum(tuple(alokasi.ref(i, "pagu") for i in shares)),
                    "persen": Sum(tuple(alokasi.ref(i, "persen") for i in shares)),
                },
                "total",
            )
            self.totals["jumlah_porsi"] = alokasi.rows[index].cells["persen"]
        self.tables.append(alokasi)
        self.alokasi_table, self.alokasi_rows = alokasi, indikator_rows
        self.alokasi_sasaran_rows = {
            row.key: i for i, row in enumerate(alokasi.rows) if row.cells.get("tingkat") == "Sasaran"
        }

        efisiensi = DerivedTable(
            "kinerja_anggaran",
            "Kinerja dan Anggaran",
            "Pencapaian Kinerja dan Anggaran (Efisiensi)",
            [
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Indikator Kinerja", "text", 40),
                DColumn("capaian", "Capaian Kinerja (%)", "percent", 12),
                DColumn("pagu", "Pagu (Rp)", "rupiah", 17),
                DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
                DColumn("serapan", "Serapan (%)", "percent", 11),
                DColumn("efisiensi", "Efisiensi", "percent", 11),
            ],
            note=f"Efisiensi = {self.rules.efisiensi_formula}.",
        )
        for record in self._ordered_indicators():
            result = self.indikator.get(record.row)
            index_alokasi = indikator_rows.get(str(record.key))
            if index_alokasi is None:
                continue
            index = efisiensi.add(
                record.key,
                {
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                    "capaian": result.capaian_ref if result and result.capaian_ref else BLANK_CELL,
                    "pagu": alokasi.ref(index_alokasi, "pagu"),
                    "realisasi": alokasi.ref(index_alokasi, "realisasi"),
                },
            )
            serapan = q.serapan(efisiensi.ref(index, "pagu"), efisiensi.ref(index, "realisasi"))
            efisiensi.rows[index].cells["serapan"] = serapan
            value = q.efisiensi(efisiensi.ref(index, "capaian"), efisiensi.ref(index, "serapan"), self.rules)
            efisiensi.rows[index].cells["efisiensi"] = value
            if result is not None:
                result.serapan, result.efisiensi = serapan, value
        self.tables.append(efisiensi)

    def _efisiensi_sdm(self) -> None:
        table = DerivedTable(
            "efisiensi_sdm",
            "Efisiensi SDM",
            "Efisiensi Penggunaan Sumber Daya Manusia",
            [
                DColumn("kode", "Kode", "kode", 9),
                DColumn("uraian", "Indikator Kinerja", "text", 40),
                DColumn("kebutuhan", "Kebutuhan SDM", "number", 11),
                DColumn("ketersediaan", "Ketersediaan SDM", "number", 11),
                DColumn("persen", "% Ketersediaan", "percent", 11),
                DColumn("capaian", "Capaian (%)", "percent", 11),
                DColumn("efisiensi", "Efisiensi SDM", "percent", 11),
            ],
            note="% ketersediaan = ketersediaan / kebutuhan × 100; efisiensi SDM = capaian − % ketersediaan; "
            "jumlah dihitung Σ/Σ.",
        )
        rows = []
        for record in self._ordered_indicators():
            need, have = input_ref(record, "kebutuhan_sdm"), input_ref(record, "ketersediaan_sdm")
            if need is None or have is None or (need.value() is None and have.value() is None):
                continue
            result = self.indikator.get(record.row)
            index = table.add(
                record.key,
                {
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                    "kebutuhan": need,
                    "ketersediaan": have,
                    "capaian": result.capaian_ref if result and result.capaian_ref else BLANK_CELL,
                },
            )
            table.rows[index].cells["persen"] = q.ratio(
                table.ref(index, "ketersediaan"), table.ref(index, "kebutuhan")
            )
            table.rows[index].cells["efisiensi"] = q.efisiensi_sdm(
                table.ref(index, "capaian"), table.ref(index, "persen")
            )
            rows.append(index)
        if rows:
            index = table.add(
                None,
                {
                    "uraian": "Jumlah",
                    "kebutuhan": Sum(tuple(table.ref(i, "kebutuhan") for i in rows)),
                    "ketersediaan": Sum(tuple(table.ref(i, "ketersediaan") for i in rows)),
                },
                "total",
            )
            table.rows[index].cells["persen"] = q.ratio(
                table.ref(index, "ketersediaan"), table.ref(index, "kebutuhan")
            )
        self.tables.append(table)

    # -- PK and population ---------------------------------------------------------
    def _pk_vs_dpa(self) -> None:
        table = DerivedTable(
            "pk_dpa",
            "PK vs DPA",
            "Anggaran Perjanjian Kinerja dibanding Pagu DPA per Program",
            [
                DColumn("kode", "Kode Program", "kode", 16),
                DColumn("uraian", "Program", "text", 44),
                DColumn("versi", "Versi PK", "text", 11),
                DColumn("pk", "Anggaran PK (Rp)", "rupiah", 17),
                DColumn("dpa", "Pagu DPA (Rp)", "rupiah", 17),
                DColumn("selisih", "Selisih (Rp)", "rupiah", 16),
            ],
            note="Selisih = anggaran PK − pagu DPA program yang sama.",
        )
        by_versi: dict[str, list[int]] = {}
        for record in self.sub.records("pk_anggaran"):
            anggaran = input_ref(record, "anggaran")
            versi = record.get("versi") or "Murni"
            program = match_program(record, self.sub.programs)
            cells: dict[str, Any] = {
                "kode": record.get("program_kode") or (program.record.key if program else None),
                "uraian": record.get("uraian"),
                "versi": versi,
                "pk": anggaran,
            }
            if program is not None:
                dpa = self.budget[program.record.row].pagu_ref
                cells["dpa"] = dpa
            index = table.add(record.get("program_kode"), cells)
            if program is not None and anggaran is not None:
                table.rows[index].cells["selisih"] = table.ref(index, "pk") - table.ref(index, "dpa")
                self.pk_by_program.setdefault(str(record.row), {})["dpa"] = table.ref(index, "dpa")
            by_versi.setdefault(versi, []).append(index)
        for versi, indexes in by_versi.items():
            index = table.add(
                None,
                {"uraian": f"Jumlah PK {versi}", "pk": Sum(tuple(table.ref(i, "pk") for i in indexes))},
                "total",
            )
            self.totals[f"total_pk:{versi}"] = table.rows[index].cells["pk"]
            self.summary[f"total_pk:{versi}"] = table.ref(index, "pk")
        self.tables.append(table)

    def _penduduk(self) -> None:
        table = DerivedTable(
            "penduduk",
            "Rekap Penduduk",
            "Jumlah Penduduk menurut Jenis Kelamin",
            [
                DColumn("tahun", "Tahun", "kode", 10),
                DColumn("laki_laki", "Laki-laki", "integer", 13),
                DColumn("perempuan", "Perempuan", "integer", 13),
                DColumn("total", "Jumlah", "integer", 13),
                DColumn("rasio", "Rasio Jenis Kelamin", "percent", 12),
            ],
            note="Jumlah = laki-laki + perempuan; rasio = laki-laki / perempuan × 100.",
        )
        for record in self.sub.records("penduduk"):
            laki, perempuan = input_ref(record, "laki_laki"), input_ref(record, "perempuan")
            if laki is None or perempuan is None:
                continue
            total, rasio = q.penduduk_total(laki, perempuan), q.rasio_jenis_kelamin(laki, perempuan)
            table.add(
                str(record.get("tahun")),
                {
                    "tahun": record.get("tahun"),
                    "laki_laki": laki,
                    "perempuan": perempuan,
                    "total": total,
                    "rasio": rasio,
                },
            )
            self.penduduk[record.row] = {"total": total, "rasio": rasio}
        if table.rows:
            self.tables.append(table)

    # -- section 11: program analysis, Renstra matrix, citations ----------------------
    def _analisis_program(self) -> None:
        table = DerivedTable(
            "analisis_program",
            "Analisis Program",
            "Analisis Kinerja Program: Kemajuan, Efisiensi, Pembanding, SDM",
            [
                DColumn("kode", "Kode", "kode", 18),
                DColumn("uraian", "Program / Kegiatan", "text", 36),
                DColumn("capaian", "Capaian (%)", "percent", 11),
                DColumn("target_akhir", "Target Akhir Renstra", "number", 11),
                DColumn("realisasi", "Realisasi Kinerja", "number", 11),
                DColumn("kemajuan", "Kemajuan (%)", "percent", 11),
                DColumn("serapan", "Serapan (%)", "percent", 11),
                DColumn("efisiensi", "Efisiensi", "percent", 11),
                DColumn("kabupaten", "Pembanding Kab.", "number", 11),
                DColumn("provinsi", "Pembanding Prov.", "number", 11),
                DColumn("nasional", "Pembanding Nas.", "number", 11),
                DColumn("persen_sdm", "% Ketersediaan SDM", "percent", 11),
                DColumn("efisiensi_sdm", "Efisiensi SDM", "percent", 11),
            ],
            note=f"Kemajuan = realisasi kinerja / target akhir Renstra × 100; efisiensi = {self.rules.efisiensi_formula}; "
            "efisiensi SDM = capaian − % ketersediaan SDM.",
        )
        analysis_fields = (
            "target_renstra_akhir",
            "pembanding_kabupaten",
            "pembanding_provinsi",
            "pembanding_nasional",
            "kebutuhan_sdm",
            "ketersediaan_sdm",
            "kemajuan_dilaporkan",
            "efisiensi_dilaporkan",
        )
        data = self.sub.tables.get("anggaran")
        analysed = {  # lines with one of the fields filled in
            index
            for field_id in analysis_fields
            if data is not None and field_id in data.data
            for index, value in enumerate(data.values(field_id))
            if value is not None and value != ""
        }
        for line in self.sub.budget_lines:
            record = line.record
            if record.index not in analysed or record.row not in self.budget:
                continue  # nothing to analyse, or a line outside the budget tree (reported as such)
            result = self.budget[record.row]
            realisasi = input_ref(record, "realisasi_kinerja")
            target_akhir = input_ref(record, "target_renstra_akhir")
            index = table.add(
                record.key,
                {
                    "kode": record.key,
                    "uraian": record.get("uraian"),
                    "capaian": result.capaian_ref if result.capaian_ref is not None else BLANK_CELL,
                    "target_akhir": target_akhir,
                    "realisasi": realisasi,
                    "serapan": result.serapan_ref,
                    "kabupaten": input_ref(record, "pembanding_kabupaten"),
                    "provinsi": input_ref(record, "pembanding_provinsi"),
                    "nasional": input_ref(record, "pembanding_nasional"),
                },
                {0: "program", 1: "kegiatan"}.get(line.level, "normal"),
            )
            cells = table.rows[index].cells
            if target_akhir is not None and realisasi is not None and target_akhir.value() is not None:
                result.kemajuan = q.capaian(target_akhir, realisasi, False, self.rules)
                cells["kemajuan"] = result.kemajuan
            if result.capaian_ref is not None:
                result.efisiensi = q.efisiensi(
                    table.ref(index, "capaian"), table.ref(index, "serapan"), self.rules
                )
                cells["efisiensi"] = result.efisiensi
            need, have = input_ref(record, "kebutuhan_sdm"), input_ref(record, "ketersediaan_sdm")
            if need is not None and have is not None and need.value() is not None:
                cells["persen_sdm"] = q.ratio(have, need)
                if result.capaian_ref is not None:
                    cells["efisiensi_sdm"] = q.efisiensi_sdm(
                        table.ref(index, "capaian"), table.ref(index, "persen_sdm")
                    )
        if table.rows:
            self.tables.append(table)

    def _renstra(self) -> None:
        """Renstra/Renja matrix: target and pagu per year, kondisi akhir, period totals, per printing.

        Each printing of the plan (column ``sumber``: Renstra, Renja, Renstra Perubahan, ...) is
        rolled up on its own; a budget kode that is not in Anggaran (planned for other years) is
        placed in the tree by its kode prefix. Printings of the same kode and year are compared.
        """
        records = self.sub.records("renstra")
        if not records:
            return
        resolver = Resolver(self.sub)
        plan = PlanTree(self.sub, records, resolver)
        years = sorted({int(r.get("tahun")) for r in records if isinstance(r.get("tahun"), (int, float))})
        start, end = self.sub.cell_value("renstra_awal"), self.sub.cell_value("renstra_akhir")
        if isinstance(start, (int, float)) and isinstance(end, (int, float)) and 0 <= end - start <= 10:
            years = sorted(set(years) | set(range(int(start), int(end) + 1)))
        tahun = self.sub.cell_value("tahun")
        tahun = int(tahun) if isinstance(tahun, (int, float)) else None
        printings: list[str] = []
        cells: dict[tuple[int, int, str, str], Record] = {}  # (id(item), year, field, printing) -> record
        items: dict[tuple[int, str], tuple[str, Any]] = {}  # (id(item), printing) -> (kind, item)
        for record in records:
            found = plan.find(record.get("kode"))
            if found is None:
                continue
            printing = printing_of(record)
            if printing not in printings:
                printings.append(printing)
            items.setdefault((id(found[1]), printing), found)
            year = record.get("tahun")
            if not isinstance(year, (int, float)):
                continue
            for field_id in ("target", "pagu"):
                if record.get(field_id) is None:
                    continue
                key = (id(found[1]), int(year), field_id, printing)
                first = cells.setdefault(key, record)
                if first is not record:  # the same printing typed twice: both must say the same
                    self.renstra_checks[(record.row, f"ulang_{field_id}")] = input_ref(first, field_id)
        # printings of the same kode and year against the first one that gives the figure
        for (key, year, field_id, _printing), record in cells.items():
            reference = next(
                (
                    cells[(key, year, field_id, other)]
                    for other in printings
                    if (key, year, field_id, other) in cells
                ),
                record,
            )
            if reference is not record:
                self.renstra_checks[(record.row, f"cetakan_{field_id}")] = input_ref(reference, field_id)
        year_columns = [DColumn(f"y{y}", str(y), "number", 12) for y in years]
        for number, printing in enumerate(printings):
            self._renstra_pagu(plan, printing, number, years, year_columns, cells, records, tahun)
        self._renstra_target(plan, printings, items, years, year_columns, cells, records, tahun)

    def _renstra_pagu(
        self,
        plan: PlanTree,
        printing: str,
        number: int,
        years: list[int],
        year_columns: list[DColumn],
        cells: dict[tuple[int, int, str, str], Record],
        records: list[Record],
        tahun: int | None,
    ) -> None:
        """Pagu per year of one printing, rolled up over the budget tree (unbudgeted lines included)."""
        named = "" if printing == DEFAULT_PRINTING else f" ({printing})"
        pagu = DerivedTable(
            "renstra_pagu" if number == 0 else f"renstra_pagu_{number + 1}",
            "Renstra Pagu" if number == 0 else f"Renstra Pagu {number + 1}",
            f"Matriks Renstra/Renja{named}: Pagu per Tahun",
            [
                DColumn("kode", "Kode", "kode", 18),
                DColumn("uraian", "Uraian", "text", 40),
                *[DColumn(c.id, c.header, "rupiah", 16) for c in year_columns],
                DColumn("total", "Total Periode", "rupiah", 17),
            ],
            note="Pagu program/kegiatan = jumlah rinciannya per tahun; total periode = jumlah semua tahun. "
            "Baris yang tidak ada di lembar Anggaran ditempatkan menurut awalan kodenya.",
        )
        pagu_rows: dict[int, int] = {}
        pk_murni = self._pk_murni_by_program() if is_renja_printing(printing) else {}
        # a proposed revision, or a Renja once the budget was revised (a PK Perubahan exists), may
        # differ from the final DPA: said as info, not as a warning on every line
        revised = is_revised_printing(printing) or (
            bool(pk_murni)
            and any(str(r.get("versi") or "") == "Perubahan" for r in self.sub.records("pk_anggaran"))
        )

        def has_pagu(line: BudgetLine) -> bool:
            return any((id(line), y, "pagu", printing) in cells for y in years) or any(
                has_pagu(c) for c in plan.children(line)
            )

        def place(line: BudgetLine) -> None:
            if not has_pagu(line):
                return
            pagu_rows[id(line)] = pagu.add(
                plan.key(line),
                {"kode": plan.key(line), "uraian": line.record.get("uraian")},
                {0: "program", 1: "kegiatan"}.get(line.level, "normal"),
            )
            for child in plan.children(line):
                place(child)

        for root in plan.roots():
            place(root)

        def fill(line: BudgetLine) -> None:
            if id(line) not in pagu_rows:
                return
            for child in plan.children(line):
                fill(child)
            index = pagu_rows[id(line)]
            row_cells = pagu.rows[index].cells
            children = [c for c in plan.children(line) if id(c) in pagu_rows]
            for year in years:
                typed = cells.get((id(line), year, "pagu", printing))
                with_values = [
                    c for c in children if _renstra_value(pagu, pagu_rows[id(c)], f"y{year}") is not None
                ]
                unsure = (id(line), year, printing) in plan.tainted  # an unknown row may belong under it
                if with_values and not (unsure and typed is not None):
                    expr: Expr = Sum(tuple(pagu.ref(pagu_rows[id(c)], f"y{year}") for c in children))
                    if typed is not None:
                        self.renstra_checks[(typed.row, "pagu")] = expr
                elif typed is not None:
                    expr = input_ref(typed, "pagu")
                else:
                    continue
                row_cells[f"y{year}"] = expr
                if typed is not None and year == tahun and not plan.is_unbudgeted(line):
                    what = "dpa_revisi" if revised else "dpa"
                    self.renstra_checks[(typed.row, what)] = self.budget[line.record.row].pagu_ref
                    if id(line) in pk_murni:
                        self.renstra_checks[(typed.row, "pk_murni")] = pk_murni[id(line)]
            row_cells["total"] = Sum(tuple(pagu.ref(index, f"y{y}") for y in years))
            for record in records:
                found = plan.find(record.get("kode"))
                if (
                    found is not None
                    and found[1] is line
                    and printing_of(record) == printing
                    and record.get("pagu_akhir_dilaporkan") is not None
                ):
                    self.renstra_checks[(record.row, "pagu_akhir")] = pagu.ref(index, "total")

        for root in plan.roots():
            fill(root)
        if pagu.rows:
            self.tables.append(pagu)

    def _pk_murni_by_program(self) -> dict[int, Expr]:
        """id(program line) -> the PK Murni anggaran typed for it."""
        out: dict[int, Expr] = {}
        for record in self.sub.records("pk_anggaran"):
            if str(record.get("versi") or "Murni") != "Murni" or record.get("anggaran") is None:
                continue
            program = match_program(record, self.sub.programs)
            if program is not None:
                out.setdefault(id(program), input_ref(record, "anggaran"))
        return out

    def _renstra_target(
        self,
        plan: PlanTree,
        printings: list[str],
        items: dict[tuple[int, str], tuple[str, Any]],
        years: list[int],
        year_columns: list[DColumn],
        cells: dict[tuple[int, int, str, str], Record],
        records: list[Record],
        tahun: int | None,
    ) -> None:
        """Targets per year and the kondisi akhir by agregasi, one row per kode and printing."""
        several = len(printings) > 1
        target = DerivedTable(
            "renstra_target",
            "Renstra Target",
            "Matriks Renstra/Renja: Target per Tahun dan Kondisi Akhir",
            [
                DColumn("kode", "Kode", "kode", 18),
                DColumn("uraian", "Indikator / Program", "text", 40),
                *([DColumn("sumber", "Sumber", "text", 14)] if several else []),
                DColumn("agregasi", "Agregasi", "text", 11),
                *year_columns,
                DColumn("akhir", "Kondisi Akhir", "number", 12),
            ],
            note="Kondisi akhir: Jumlah = jumlah target semua tahun; Nilai Akhir = target tahun terakhir yang terisi; "
            "Rata-rata = rata-rata target tahunan.",
        )
        for (key, printing), (kind, item) in items.items():
            record = item.record if isinstance(item, BudgetLine) else item
            present = [y for y in years if (key, y, "target", printing) in cells]
            if not present:
                continue
            agregasi = record.get("agregasi") if not plan.is_unbudgeted(item) else None
            agregasi = agregasi or "Nilai Akhir"
            row_cells: dict[str, Any] = {
                "kode": plan.key(item) if isinstance(item, BudgetLine) else record.key,
                "uraian": record.get("uraian"),
                "agregasi": agregasi,
            }
            if several:
                row_cells["sumber"] = printing
            for year in present:
                row_cells[f"y{year}"] = input_ref(cells[(key, year, "target", printing)], "target")
            index = target.add(row_cells["kode"], row_cells)
            refs = [target.ref(index, f"y{y}") for y in present]
            if agregasi == "Jumlah":
                akhir: Expr = Sum(tuple(refs))
            elif agregasi == "Rata-rata":
                first, last = target.cell(index, f"y{years[0]}"), target.cell(index, f"y{years[-1]}")
                akhir = Average(target.sheet, first, last, tuple(target.ref(index, f"y{y}") for y in years))
            else:
                akhir = refs[-1]
            target.rows[index].cells["akhir"] = akhir
            akhir_ref = target.ref(index, "akhir")
            for other in records:
                found = plan.find(other.get("kode"))
                if (
                    found is not None
                    and found[1] is item
                    and printing_of(other) == printing
                    and other.get("target_akhir_dilaporkan") is not None
                ):
                    self.renstra_checks[(other.row, "target_akhir")] = akhir_ref
            typed = cells.get((key, tahun, "target", printing)) if tahun is not None else None
            if typed is not None and kind == "indikator":
                what = "target_tahun_ini_revisi" if is_revised_printing(printing) else "target_tahun_ini"
                self.renstra_checks[(typed.row, what)] = input_ref(record, "target")
            if (
                kind == "indikator"
                and printing == printings[0]
                and record.get("target_renstra_akhir") is not None
            ):
                self.renstra_checks[(record.row, "target_renstra_akhir")] = akhir_ref
        if target.rows:
            self.tables.append(target)

    def _kutipan(self) -> None:
        """Every repeated figure beside the one true value it must equal."""
        records = self.sub.records("kutipan")
        if not records:
            return
        table = DerivedTable(
            "kutipan",
            "Cek Kutipan",
            "Angka yang Dikutip Ulang dibanding Nilai yang Benar",
            [
                DColumn("lokasi", "Lokasi", "text", 28),
                DColumn("besaran", "Besaran", "text", 16),
                DColumn("kode", "Kode", "kode", 18),
                DColumn("nilai", "Nilai Tertulis", "number", 16),
                DColumn("benar", "Nilai Benar", "number", 16),
                DColumn("selisih", "Selisih", "number", 14),
            ],
            note="Nilai benar dihitung dari tabel-tabel di buku kerja ini; selisih = tertulis − benar.",
        )
        resolver = Resolver(self.sub)
        for record in records:
            expected = self._citation_value(str(record.get("besaran") or ""), record.get("kode"), resolver)
            index = table.add(
                record.get("kode"),
                {
                    "lokasi": record.get("lokasi"),
                    "besaran": record.get("besaran"),
                    "kode": record.get("kode"),
                    "nilai": input_ref(record, "nilai"),
                    "benar": expected if expected is not None else BLANK_CELL,
                },
            )
            if expected is not None:
                self.kutipan[record.row] = expected
                table.rows[index].cells["selisih"] = table.ref(index, "nilai") - table.ref(index, "benar")
        self.tables.append(table)

    def _citation_value(self, besaran: str, kode: Any, resolver: Resolver) -> Expr | None:
        """The true value of a cited figure: ``besaran`` of the line, indicator, sasaran or year ``kode``."""
        summary = self.summary
        totals = {
            "total pagu": summary.get("total_pagu"),
            "total realisasi": summary.get("total_realisasi"),
            "total serapan": summary.get("total_serapan"),
            "total sisa": summary.get("total_selisih"),
            "rata-rata capaian": summary.get("rata_capaian:Sasaran Strategis"),
            "total PK": summary.get("total_pk:Perubahan") or summary.get("total_pk:Murni"),
        }
        if besaran == "total PK" and str(kode or "").strip().capitalize() in ("Murni", "Perubahan"):
            return summary.get(f"total_pk:{str(kode).strip().capitalize()}")
        if besaran in totals:
            return totals[besaran]
        counts_vs_target = {
            "jumlah indikator di atas target": "jumlah_di_atas",
            "jumlah indikator sesuai target": "jumlah_tepat",
            "jumlah indikator di bawah target": "jumlah_di_bawah",
        }
        rata, serapan = summary.get("rata_capaian:Sasaran Strategis"), summary.get("total_serapan")
        if besaran == "efisiensi" and not kode and rata is not None and serapan is not None:
            return q.efisiensi(
                rata, serapan, self.rules
            )  # the report's total row: mean capaian, pooled serapan
        if besaran in counts_vs_target:
            return self.totals.get(counts_vs_target[besaran])
        if besaran in ("rasio jenis kelamin", "laju pertumbuhan penduduk"):
            return self._population_citation(besaran, kode)
        text = " ".join(str(kode or "").split())
        earlier = re.fullmatch(r"(.+?)\s*@\s*([0-9]{4})", text)
        if earlier:
            return self._citation_of_year(besaran, earlier.group(1), int(earlier.group(2)), resolver)
        if is_lines_kode(text):
            return self._citation_of_lines(besaran, text, resolver)
        counts = {"jumlah program": 0, "jumlah kegiatan": 1, "jumlah sub kegiatan": 2}
        if besaran in counts:
            return Num(sum(1 for line in self.sub.budget_lines if line.level == counts[besaran]))
        if besaran == "jumlah indikator":
            return Num(len(self.indicators))
        if besaran.startswith("penduduk"):
            for row in self.sub.records("penduduk"):
                if str(row.get("tahun")) == str(kode).strip():
                    if besaran == "penduduk total":
                        return self.penduduk.get(row.row, {}).get("total")
                    return input_ref(row, "laki_laki" if besaran == "penduduk laki-laki" else "perempuan")
            return None
        if besaran == "anggaran PK":
            for row in self.sub.records("pk_anggaran"):
                if str(row.get("program_kode") or "") == str(kode) or normalise_name(
                    row.get("uraian")
                ) == normalise_name(kode):
                    return input_ref(row, "anggaran")
        found = resolver.find(kode)
        if found is None:
            return None
        kind, item = found
        if kind == "anggaran":
            result = self.budget.get(item.record.row)
            if result is None:
                return None
            return {
                "pagu": result.pagu_ref,
                "realisasi": result.realisasi_ref,
                "selisih": result.selisih_ref,
                "serapan": result.serapan_ref,
                "capaian": result.capaian_ref,
                "kemajuan": result.kemajuan,
                "efisiensi": result.efisiensi,
                "target": input_ref(item.record, "target"),
                "target PK": input_ref(item.record, "target"),
                "realisasi kinerja": input_ref(item.record, "realisasi_kinerja"),
            }.get(besaran)
        if kind == "indikator":
            # money words (pagu, realisasi, serapan) mean the budget allocated to the indicator
            result = self.indikator.get(item.row)
            alokasi_index = self.alokasi_rows.get(str(item.key))
            alokasi = self.alokasi_table
            return {
                "target": input_ref(item, "target"),
                "target PK": input_ref(item, "target"),
                "realisasi kinerja": input_ref(item, "realisasi"),
                "pagu": alokasi.ref(alokasi_index, "pagu") if alokasi_index is not None else None,
                "realisasi": alokasi.ref(alokasi_index, "realisasi") if alokasi_index is not None else None,
                "serapan": result.serapan if result else None,
                "capaian": result.capaian_ref if result else None,
                "kemajuan": result.kemajuan if result else None,
                "efisiensi": result.efisiensi if result else None,
                "alokasi": self.alokasi_table.ref(alokasi_index, "pagu")
                if alokasi_index is not None
                else None,
                "persen alokasi": self.alokasi_table.ref(alokasi_index, "persen")
                if alokasi_index is not None
                else None,
            }.get(besaran)
        if kind == "sasaran":
            if besaran == "capaian":  # the mean of its indicators' capaian (its one indicator's, if one)
                refs = [
                    result.capaian_ref
                    for result in self.indikator.values()
                    if str(result.record.get("sasaran_kode")) == str(item.key)
                    and result.capaian_ref is not None
                ]
                if not refs:
                    return None
                return refs[0] if len(refs) == 1 else Sum(tuple(refs)) / len(refs)
            index = self.alokasi_sasaran_rows.get(str(item.key))
            if index is None:
                return None
            alokasi = self.alokasi_table
            return {
                "alokasi": alokasi.ref(index, "pagu"),
                "pagu": alokasi.ref(index, "pagu"),
                "realisasi": alokasi.ref(index, "realisasi"),
                "serapan": q.serapan(alokasi.ref(index, "pagu"), alokasi.ref(index, "realisasi")),
                "persen alokasi": alokasi.ref(index, "persen"),
            }.get(besaran)
        return None

    def _population_citation(self, besaran: str, kode: Any) -> Expr | None:
        """Sex ratio of a year (L / P × 100), growth of the population from the year before (%), or the
        mean yearly growth over a span of years (kode "2016-2021": the mean of the yearly rates)."""
        by_year = {
            str(row.get("tahun")).strip(): row
            for row in self.sub.records("penduduk")
            if row.row in self.penduduk
        }
        span = year_span(kode)
        if span is not None and besaran == "laju pertumbuhan penduduk":
            rows = [by_year.get(str(year)) for year in range(span[0], span[1] + 1)]
            if span[1] <= span[0] or any(row is None for row in rows):
                return None
            totals = [self.penduduk[row.row]["total"] for row in rows]
            mean: Expr | None = None
            for before, after in zip(totals, totals[1:], strict=False):
                rate = (after - before) / before * 100
                mean = rate if mean is None else mean + rate
            return mean / (span[1] - span[0])
        year = str(kode or "").strip()
        row = by_year.get(year)
        if row is None:
            return None
        if besaran == "rasio jenis kelamin":
            return self.penduduk[row.row]["rasio"]
        previous = by_year.get(str(int(year) - 1)) if year.isdigit() else None
        if previous is None:
            return None
        before = self.penduduk[previous.row]["total"]
        return (self.penduduk[row.row]["total"] - before) / before * 100

    def _renstra_figure(self, item: Any, year: int, field_id: str, resolver: Resolver) -> Expr | None:
        """The Renstra target or pagu of ``item`` for ``year`` (first printing that gives it)."""
        for record in self.sub.records("renstra"):
            found = resolver.find(record.get("kode"))
            if found is not None and found[1] is item and record.get("tahun") == year:
                if record.get(field_id) is not None:
                    return input_ref(record, field_id)
        return None

    def _citation_of_year(self, besaran: str, kode: str, year: int, resolver: Resolver) -> Expr | None:
        """A figure of an earlier year (``IK1@2020``): realisasi n-1..n-3, Renstra target, their capaian."""
        tahun = self.sub.cell_value("tahun")
        found = resolver.find(kode)
        if found is None or not isinstance(tahun, (int, float)):
            return None
        kind, item = found
        back = int(tahun) - year
        record = item.record if isinstance(item, BudgetLine) else item
        if back == 0:
            return self._citation_value(besaran, kode, resolver)
        if kind == "indikator":
            realisasi = input_ref(record, f"realisasi_lalu_{back}") if 1 <= back <= 3 else None
            target = self._renstra_figure(item, year, "target", resolver)
            if besaran == "realisasi kinerja":
                return realisasi
            if besaran in ("target", "target PK"):
                return target
            if besaran == "capaian" and realisasi is not None and target is not None:
                if realisasi.value() is None or target.value() is None:
                    return None
                negative = record.get("polaritas") == "Negatif"
                return q.capaian(target, realisasi, negative, self.rules)
            return None
        if kind == "anggaran" and besaran in ("pagu", "target"):
            return self._renstra_figure(item, year, besaran, resolver)
        return None

    def _citation_of_lines(self, besaran: str, text: str, resolver: Resolver) -> Expr | None:
        """A sum over several budget lines: ``a+b+c``, ``a..c`` or ``a s/d c`` (lines a to c in table order)."""
        lines = cited_lines(self.sub, text, resolver)
        if lines is None:
            return None
        rows = dict.fromkeys(line.record.row for line in lines)  # each line once, in order
        results = [self.budget.get(row) for row in rows]
        if not results or any(result is None for result in results):
            return None
        pagu = Sum(tuple(result.pagu_ref for result in results))
        realisasi = Sum(tuple(result.realisasi_ref for result in results))
        return {
            "pagu": pagu,
            "alokasi": pagu,
            "realisasi": realisasi,
            "selisih": q.selisih(pagu, realisasi),
            "serapan": q.serapan(pagu, realisasi),
        }.get(besaran)


def year_span(kode: Any) -> tuple[int, int] | None:
    """A span of years written as a citation kode: "2016-2021", "2016..2021" or "2016 s/d 2021"."""
    found = re.fullmatch(
        r"([0-9]{4})\s*(?:-|\u2013|\.\.|s\s*/\s*d)\s*([0-9]{4})", " ".join(str(kode or "").split())
    )
    return (int(found.group(1)), int(found.group(2))) if found else None


def is_lines_kode(text: Any) -> bool:
    """A citation kode naming several budget lines: ``a+b``, ``a..c`` or ``a s/d c``."""
    text = " ".join(str(text or "").split())
    return "+" in text or ".." in text or bool(re.search(r"\ss\s*/\s*d\s", text))


def cited_lines(sub: Submission, text: str, resolver: Resolver) -> list[BudgetLine] | None:
    """The budget lines a citation kode ``a+b+c``, ``a..c`` or ``a s/d c`` names (a to c: the lines
    of a's level between them in table order); None when a part names no budget line."""
    lines: list[BudgetLine] = []
    order = sub.budget_lines
    for part in " ".join(str(text or "").split()).split("+"):
        ends = re.split(r"\.\.(?!\.)|\s+s\s*/\s*d\s+", part.strip())
        found = [resolver.find(end.strip()) for end in ends]
        if any(f is None or f[0] != "anggaran" for f in found):
            return None
        if len(found) == 1:
            lines.append(found[0][1])
            continue
        if len(found) != 2:
            return None
        first, last = found[0][1], found[1][1]
        start, stop = order.index(first), order.index(last)
        if stop < start:
            return None
        lines += [line for line in order[start : stop + 1] if line.level == first.level]
    return lines


class Resolver:
    """Find the indikator, sasaran or budget line a kode (or its uraian) names."""

    def __init__(self, submission: Submission):
        self.by_key: dict[str, tuple[str, Any]] = {}
        self.by_name: dict[str, list[tuple[str, Any]]] = {}
        self.by_output: dict[str, list[tuple[str, Any]]] = {}
        for kind, items in (
            ("indikator", submission.records("indikator")),
            ("sasaran", submission.records("sasaran")),
            ("anggaran", submission.budget_lines),
        ):
            for item in items:
                record = item.record if isinstance(item, BudgetLine) else item
                if record.key:
                    self.by_key.setdefault(record.key, (kind, item))
                name = normalise_name(record.get("uraian"))
                if name:
                    self.by_name.setdefault(name, []).append((kind, item))
                output = normalise_name(record.get("indikator_keluaran")) if kind == "anggaran" else ""
                if output and output != name:  # a line is also named by its own output indicator
                    self.by_output.setdefault(output, []).append((kind, item))

    def find(self, kode: Any) -> tuple[str, Any] | None:
        if kode in (None, ""):
            return None
        text = str(kode).strip()
        if text in self.by_key:
            return self.by_key[text]
        name = normalise_name(text)
        found = self.by_name.get(name) or self.by_output.get(name, [])
        return found[0] if len(found) == 1 else None

    def find_similar(self, kode: Any) -> tuple[str, Any] | None:
        """:meth:`find`, else the one uraian spelled almost the same ("Instalansi" for "Instalasi").

        The best match must be very close (ratio >= 0.93) and clearly closer than the next one.
        """
        found = self.find(kode)
        if found is not None or kode in (None, ""):
            return found
        import difflib

        name = normalise_name(kode)
        if len(name) < 12 or len(self.by_name) > 5000:  # a fuzzy scan of a huge budget would be slow
            return None
        scored = sorted(
            ((difflib.SequenceMatcher(None, name, other).ratio(), other) for other in self.by_name),
            reverse=True,
        )
        if not scored or scored[0][0] < 0.93 or (len(scored) > 1 and scored[1][0] > scored[0][0] - 0.05):
            return None
        candidates = self.by_name[scored[0][1]]
        return candidates[0] if len(candidates) == 1 else None


#: The printing a Renstra row belongs to when its ``sumber`` is empty.
DEFAULT_PRINTING = "Renstra"


def printing_of(record: Record) -> str:
    """The printing (``sumber``) of a Renstra row, "Renstra" when not given."""
    text = " ".join(str(record.get("sumber") or "").split())
    return text or DEFAULT_PRINTING


def is_revised_printing(printing: str) -> bool:
    """A proposed or revised plan (Renstra Perubahan, Usulan Perubahan): may differ from the final DPA."""
    name = normalise_name(printing)
    return "usulan" in name or ("renstra" in name and "perubahan" in name)


def is_renja_printing(printing: str) -> bool:
    """The annual plan (Renja) before its revision: its pagu became the DPA murni and the PK Murni."""
    name = normalise_name(printing)
    return "renja" in name and "perubahan" not in name


def _kode_parts(kode: Any) -> list[str] | None:
    """Segments of a dotted budget kode ("7.01.01.2.01.0001"), None for anything else."""
    text = str(kode or "").strip()
    if not re.fullmatch(r"[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)+", text):
        return None
    return text.split(".")


class PlanTree:
    """The budget tree of a Renstra sheet: the Anggaran lines plus kodes planned for other years.

    A Renstra kode that names no indikator, sasaran or Anggaran line but is a dotted kode is
    placed under the longest kode prefix that is a budget line (or another such kode), so a
    parent's yearly sum includes the lines not budgeted this year; an uraian spelled almost like
    one of Anggaran or Indikator ("Instalansi" for "Instalasi") is that line. The submission is
    not changed.
    """

    def __init__(self, submission: Submission, records: list[Record], resolver: Resolver):
        self.resolver = resolver
        self.programs = list(submission.programs)
        self.extra: dict[int, list[BudgetLine]] = {}
        self.extra_roots: list[BudgetLine] = []
        self.placed: dict[str, BudgetLine] = {}
        self.unbudgeted: set[int] = set()
        known = {line.record.key: line for line in submission.budget_lines if line.record.key}
        pending = sorted(
            {
                str(record.get("kode")).strip(): record
                for record in reversed(records)
                if resolver.find(record.get("kode")) is None and _kode_parts(record.get("kode"))
            }.items(),
            key=lambda item: len(item[0].split(".")),
        )
        for kode, record in pending:
            parts = _kode_parts(kode) or []
            parent = None
            for cut in range(len(parts) - 1, 0, -1):
                prefix = ".".join(parts[:cut])
                parent = self.placed.get(prefix) or known.get(prefix)
                if parent is not None:
                    break
            level = (
                parent.level + 1
                if parent is not None
                else (0 if len(parts) <= 3 else 1 if len(parts) <= 5 else 2)
            )
            line = BudgetLine(record, min(level, 2), parent)
            self.placed[kode] = line
            self.unbudgeted.add(id(line))
            if parent is None:
                self.extra_roots.append(line)
            else:
                self.extra.setdefault(id(parent), []).append(line)
        self._taint(records)

    def _taint(self, records: list[Record]) -> None:
        """Lines whose yearly sum cannot be checked: a row that names no line sits under them.

        Rows are typed in the order of the plan, so an unknown row with a pagu belongs to the
        last known line above it (as its child, or as its sibling): that line and its ancestors
        are left unchecked for that year and printing, rather than reported short.
        """
        self.tainted: set[tuple[int, Any, str]] = set()
        last: BudgetLine | None = None
        for record in records:
            found = self.find(record.get("kode"))
            if found is not None:
                if isinstance(found[1], BudgetLine):
                    last = found[1]
                continue
            if last is None or record.get("pagu") is None or not record.get("kode"):
                continue
            line: BudgetLine | None = last
            while line is not None:
                self.tainted.add((id(line), record.get("tahun"), printing_of(record)))
                line = line.parent

    def find(self, kode: Any) -> tuple[str, Any] | None:
        line = self.placed.get(str(kode or "").strip())
        if line is not None:
            return ("anggaran", line)
        return self.resolver.find_similar(kode)

    def children(self, line: BudgetLine) -> list[BudgetLine]:
        return [*line.children, *self.extra.get(id(line), [])]

    def roots(self) -> list[BudgetLine]:
        return [*self.programs, *self.extra_roots]

    def is_unbudgeted(self, item: Any) -> bool:
        return id(item) in self.unbudgeted

    def key(self, line: BudgetLine) -> Any:
        return str(line.record.get("kode")).strip() if id(line) in self.unbudgeted else line.record.key


def _renstra_value(table: DerivedTable, index: int, column_id: str) -> Any:
    content = table.rows[index].cells.get(column_id)
    if content is None:
        return None
    return guarded_value(content) if isinstance(content, Expr) else content
