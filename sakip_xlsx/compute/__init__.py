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

Layout: :mod:`.figures` (what is handed on: per-record results, :class:`Computation`),
:mod:`.plan` (resolving kodes and uraian, the Renstra plan tree), and one module per
family of Bab III tables, each a part of ``_Computer``: :mod:`.indikator`,
:mod:`.anggaran`, :mod:`.penduduk`, :mod:`.renstra`, :mod:`.kutipan`.  What runs, and
in which order, is listed once: :data:`STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..expr import Expr, Ref
from ..model import Submission
from ..names import normalise_name
from ..tables import (
    CHECKS_SHEET,
    FIRST_ROW,
    HEADER_ROW,
    NOTE_ROW,
    RESULTS_SHEETS,
    RULES_SHEET,
    SUMMARY_SHEET,
    TITLE_ROW,
    DColumn,
    DerivedTable,
    DRow,
    input_sheets,
    reserved_sheets,
    unique_sheet_name,
)
from .anggaran import AnggaranTables
from .figures import (
    BLANK_CELL,
    BudgetFigures,
    BudgetResult,
    BudgetResults,
    Computation,
    IndikatorResult,
    input_ref,
    match_program,
)
from .indikator import IndikatorTables
from .kutipan import ROW_COUNT, KutipanTables, free_tables_named
from .penduduk import PendudukTables
from .plan import (
    DEFAULT_PRINTING,
    PlanTree,
    Resolver,
    cited_lines,
    is_lines_kode,
    is_renja_printing,
    is_revised_printing,
    printing_of,
    year_span,
)
from .renstra import RenstraTables

# every public name of the former compute.py (the table building blocks now live in tables.py)
__all__ = [
    "BLANK_CELL",
    "CHECKS_SHEET",
    "DEFAULT_PRINTING",
    "FIRST_ROW",
    "HEADER_ROW",
    "NOTE_ROW",
    "RESULTS_SHEETS",
    "ROW_COUNT",
    "RULES_SHEET",
    "SUMMARY_SHEET",
    "TITLE_ROW",
    "BudgetFigures",
    "BudgetResult",
    "BudgetResults",
    "Computation",
    "DColumn",
    "DRow",
    "DerivedTable",
    "IndikatorResult",
    "PlanTree",
    "Resolver",
    "cited_lines",
    "compute",
    "free_tables_named",
    "input_ref",
    "input_sheets",
    "is_lines_kode",
    "is_renja_printing",
    "is_revised_printing",
    "match_program",
    "normalise_name",
    "printing_of",
    "unique_sheet_name",
    "year_span",
]


def compute(submission: Submission) -> Computation:
    """Every derived table and expected figure of a submission."""
    with reserved_sheets(frozenset(input_sheets(submission)) | RESULTS_SHEETS):
        return _Computer(submission).run()


#: The families of Bab III tables, one module each; each is a part of :class:`_Computer`.
FAMILIES = (IndikatorTables, AnggaranTables, PendudukTables, RenstraTables, KutipanTables)


class _Computer(*FAMILIES):
    """Every Bab III table of one submission, one family per module (see the package docstring).

    The state below is what the steps hand on to each other and, at the end, in :class:`Computation`.
    """

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
        for step in STEPS:
            step(self)
        if self.sub.free_tables:
            from ..freetables import free_table_derived  # the free-table parser only for files that have some

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


#: Every Bab III table in the order of the results workbook, the one place that says what runs when.
#: A step may use what the steps before it computed (the budget tables use Tabel 3.1's capaian, the
#: citations everything).  A new table is a method of its family's part plus one line here; a new
#: family is a new module whose part joins :data:`FAMILIES`.
STEPS: tuple[Callable[[_Computer], None], ...] = (
    IndikatorTables._capaian_kinerja,
    AnggaranTables._realisasi_anggaran,
    AnggaranTables._capaian_program,
    IndikatorTables._perbandingan_tahun,
    IndikatorTables._kemajuan,
    IndikatorTables._perbandingan_wilayah,
    AnggaranTables._alokasi_dan_efisiensi,
    AnggaranTables._efisiensi_sdm,
    AnggaranTables._analisis_program,
    AnggaranTables._pk_vs_dpa,
    PendudukTables._penduduk,
    RenstraTables._renstra,
    KutipanTables._kutipan,
)
