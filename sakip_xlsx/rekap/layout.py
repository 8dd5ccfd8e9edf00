"""Where everything stands in the rekap workbook: sheet names, rows, columns, and the cell grid.

Rows are 1-based as Excel shows them (``HEADER_ROW`` means the same here as in the
results workbook: title row 1, note row 2, header row 3); columns are 0-based
indexes.  The writer turns both into xlsxwriter's 0-based positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..cells import cell_name
from ..expr import Expr, Rank, Ref, guarded_value
from ..precision import is_number
from ..tables import HEADER_ROW as HEADER_ROW  # the results workbook's rows, re-exported
from ..tables import NOTE_ROW as NOTE_ROW
from ..tables import TITLE_ROW as TITLE_ROW
from ..tables import DColumn

SUMMARY_SHEET = "Ringkasan"
RANKING_SHEET = "Peringkat"
PROGRAM_SHEET = "Program"
INDICATOR_SHEET = "Indikator Bersama"
DATA_PROGRAM_SHEET = "Data Program"
DATA_INDICATOR_SHEET = "Data Indikator"
UNREADABLE_SHEET = "Tidak Terbaca"
RULES_SHEET = "Aturan"
#: every sheet, in the workbook's order
SHEETS = (
    SUMMARY_SHEET,
    RANKING_SHEET,
    PROGRAM_SHEET,
    INDICATOR_SHEET,
    DATA_PROGRAM_SHEET,
    DATA_INDICATOR_SHEET,
    UNREADABLE_SHEET,
    RULES_SHEET,
)

#: jenis whose mean capaian is the file's "rata-rata capaian"
MAIN_JENIS = "Sasaran Strategis"

#: the summary sheet's note lines (below its title and subtitle), then its table header
NOTE_FIRST_ROW, NOTE_ROWS = NOTE_ROW + 1, 5
SUMMARY_HEADER_ROW = NOTE_FIRST_ROW + NOTE_ROWS + 1

DECIMALS = 2


class Columns:
    """The columns of one rekap table: ``columns["pagu"]`` is the index of the column ``pagu``."""

    def __init__(self, *columns: DColumn):
        self.columns = columns
        self._index = {column.id: index for index, column in enumerate(columns)}

    def __getitem__(self, column_id: str) -> int:
        return self._index[column_id]

    def __iter__(self):
        return iter(self.columns)

    def __len__(self) -> int:
        return len(self.columns)

    def kind(self, column_id: str) -> str:
        return self.columns[self[column_id]].kind

    @property
    def widths(self) -> list[float]:
        return [column.width for column in self.columns]


SUMMARY = Columns(
    DColumn("no", "No", "integer", 5),
    DColumn("instansi", "Instansi", "wrap", 30),
    DColumn("pemda", "Pemerintah Daerah", "wrap", 22),
    DColumn("tahun", "Tahun", "year", 7),
    DColumn("berkas", "Berkas", "wrap", 24),
    DColumn("versi", "Versi Template", "text", 9),
    DColumn("aturan", "Aturan Perhitungan", "wrap", 24),
    DColumn("kesalahan", "Kesalahan", "integer", 10),
    DColumn("peringatan", "Peringatan", "integer", 10),
    DColumn("info", "Info", "integer", 7),
    DColumn("jumlah_program", "Jumlah Program", "integer", 9),
    DColumn("pagu", "Total Pagu (Rp)", "rupiah", 17),
    DColumn("realisasi", "Total Realisasi (Rp)", "rupiah", 17),
    DColumn("sisa", "Sisa Anggaran (Rp)", "rupiah", 16),
    DColumn("serapan", "Serapan (%)", "percent", 10),
    DColumn("jumlah_indikator", "Jumlah Indikator", "integer", 9),
    DColumn("rata_capaian", f"Rata-rata Capaian {MAIN_JENIS} (%)", "percent", 12),
    DColumn("predikat", "Predikat (aturan berkas)", "wrap", 24),
    DColumn("di_atas", "Indikator di Atas Target (>100%)", "integer", 11),
    DColumn("tepat", "Indikator Tepat Target (=100%)", "integer", 11),
    DColumn("di_bawah", "Indikator di Bawah Target (<100%)", "integer", 11),
    DColumn("peringkat_serapan", "Peringkat Serapan", "integer", 10),
    DColumn("peringkat_capaian", "Peringkat Capaian", "integer", 10),
)

DATA_PROGRAM = Columns(
    DColumn("no", "No", "integer", 5),
    DColumn("instansi", "Instansi", "wrap", 24),
    DColumn("berkas", "Berkas", "wrap", 22),
    DColumn("tahun", "Tahun", "year", 7),
    DColumn("kode", "Kode", "text", 12),
    DColumn("program", "Program", "wrap", 44),
    DColumn("kelompok", "Dicocokkan sebagai", "wrap", 36),
    DColumn("pagu", "Pagu (Rp)", "rupiah", 17),
    DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
    DColumn("sisa", "Sisa (Rp)", "rupiah", 16),
    DColumn("serapan", "Serapan (%)", "percent", 10),
)

DATA_INDICATOR = Columns(
    DColumn("no", "No", "integer", 5),
    DColumn("instansi", "Instansi", "wrap", 22),
    DColumn("berkas", "Berkas", "wrap", 20),
    DColumn("tahun", "Tahun", "year", 7),
    DColumn("aturan", "Aturan Perhitungan", "wrap", 16),
    DColumn("jenis", "Jenis", "wrap", 14),
    DColumn("kode", "Kode", "text", 7),
    DColumn("indikator", "Indikator", "wrap", 40),
    DColumn("satuan", "Satuan", "text", 9),
    DColumn("polaritas", "Polaritas", "text", 9),
    DColumn("target", "Target", "text", 9),
    DColumn("target_atas", "Target Batas Atas", "text", 9),
    DColumn("realisasi", "Realisasi", "text", 9),
    DColumn("capaian", "Capaian (%)", "percent", 10),
    DColumn("predikat", "Predikat (aturan berkas)", "wrap", 18),
    DColumn("kelompok", "Dicocokkan sebagai", "wrap", 32),
)

PROGRAM = Columns(
    DColumn("kode", "Kode", "text", 12),
    DColumn("nama", "Program / Kecamatan", "wrap", 48),
    DColumn("kecamatan", "Jumlah Kecamatan", "integer", 10),
    DColumn("pagu", "Pagu (Rp)", "rupiah", 17),
    DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17),
    DColumn("sisa", "Sisa (Rp)", "rupiah", 16),
    DColumn("serapan", "Serapan (%)", "percent", 10),
    DColumn("peringkat", "Peringkat Serapan dalam Program", "integer", 12),
)

INDICATOR = Columns(
    DColumn("nama", "Indikator / Kecamatan", "wrap", 48),
    DColumn("satuan", "Satuan", "wrap", 10),
    DColumn("kecamatan", "Jumlah Kecamatan", "integer", 10),
    DColumn("target", "Target", "text", 10),
    DColumn("realisasi", "Realisasi", "text", 10),
    DColumn("capaian", "Capaian (%)", "percent", 10),
    DColumn("predikat", "Predikat (aturan berkas)", "wrap", 18),
    DColumn("peringkat", "Peringkat Capaian dalam Indikator", "integer", 12),
)

RANKING = Columns(
    DColumn("peringkat", "Peringkat", "integer", 9),
    DColumn("instansi", "Instansi", "wrap", 26),
    DColumn("tahun", "Tahun", "year", 7),
    DColumn("serapan", "Serapan (%)", "percent", 10),
    DColumn("gap", "", "text", 3),
    DColumn("peringkat_c", "Peringkat", "integer", 9),
    DColumn("instansi_c", "Instansi", "wrap", 26),
    DColumn("tahun_c", "Tahun", "year", 7),
    DColumn("capaian", f"Rata-rata Capaian {MAIN_JENIS} (%)", "percent", 12),
    DColumn("predikat", "Predikat (aturan berkas)", "wrap", 18),
)

UNREADABLE = Columns(
    DColumn("no", "No", "integer", 5),
    DColumn("berkas", "Berkas", "wrap", 30),
    DColumn("lokasi", "Lokasi", "wrap", 45),
    DColumn("alasan", "Alasan", "wrap", 90),
)

#: the Aturan sheet's two columns (setting, value)
RULES_WIDTHS = [38, 90]


def plain(value: Any) -> Any:
    """A cell value as a JSON/pickle friendly scalar (numbers stay numbers, text stays text)."""
    if value is None or isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value if is_number(value) else None
    return str(value)


@dataclass
class Cell:
    content: Any
    kind: str = "text"  # text | wrap | integer | year | rupiah | percent | number
    style: str = "normal"  # normal | group | total | flag | detail


class SheetCells:
    """The cells of one sheet before writing; hands out references carrying the cached value."""

    def __init__(self, name: str):
        self.name = name
        self.cells: dict[tuple[int, int], Cell] = {}
        #: outline level of a row (the detail rows under a group)
        self.levels: dict[int, int] = {}

    def put(self, row: int, col: int, content: Any, kind: str = "text", style: str = "normal") -> None:
        self.cells[(row, col)] = Cell(content, kind, style)

    def ref(self, row: int, col: int) -> Ref:
        """A reference to the cell; a text cell is referred to as a label (shown as it is)."""
        cell = self.cells.get((row, col))
        content = cell.content if cell else None
        cached = guarded_value(content) if isinstance(content, Expr) else plain(content)
        if isinstance(cached, str) and cached:
            return Ref(self.name, cell_name(row, col), cached, text=True)
        return Ref(self.name, cell_name(row, col), cached)

    def span(self, first: int, last: int, col: int) -> tuple[str, str, tuple[Ref, ...]]:
        """First and last A1 name of rows ``first``..``last`` of column ``col``, and their references."""
        return (
            cell_name(first, col),
            cell_name(last, col),
            tuple(self.ref(r, col) for r in range(first, last + 1)),
        )

    def value(self, row: int, col: int) -> Any:
        return self.ref(row, col).value()

    def put_ranks(self, first: int, last: int, of: int, into: int, style: str = "normal") -> None:
        """``RANK`` of each row's cell in column ``of`` among rows ``first``..``last``, into column ``into``."""
        start, end, refs = self.span(first, last, of)
        for row in range(first, last + 1):
            self.put(row, into, Rank(self.ref(row, of), self.name, start, end, refs), "integer", style)
