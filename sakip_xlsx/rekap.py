"""Kabupaten consolidation (``sakip-xlsx rekap``): one workbook comparing every kecamatan submission.

Two stages:

1. :func:`summarise_file` checks one submission and returns its figures as a
   plain, picklable dict (identity, finding counts, every program's pagu and
   realisasi, every indicator's target and realisasi, the file's own totals).
   :func:`collect_summaries` runs it for many files, in worker processes
   (``concurrent.futures.ProcessPoolExecutor``) or in-process for one job.
   A file that cannot be read never stops the run: its dict carries
   ``unreadable`` (an Indonesian reason) instead of figures.
2. :func:`write_rekap` tabulates the dicts (pandas: grouping, matching,
   ordering) and writes the rekap workbook (xlsxwriter), returning the JSON
   summary.

Auditability: the per-file raw figures are written as values on the data
sheets ("Data Program", "Data Indikator"); everything derived from them is a
live formula built with :mod:`sakip_xlsx.expr` (so its cached value is the
same Python computation): capaian per indicator under that file's rules,
each file's total pagu / realisasi (SUM over its program rows), serapan,
rata-rata capaian (AVERAGE over its Sasaran Strategis rows), predikat on the
file's own scale, counts above / at / below target (COUNTIF), rankings
(RANK) and totals (SUM / SUMIF).

Mixed report years, template versions or calculation rules, and one
instansi sent twice, are flagged in Indonesian on the summary sheet and in
the JSON ``notes`` (with per-year subtotals when years are mixed).
"""

from __future__ import annotations

import dataclasses
import functools
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import quantities as q
from .errors import show_path
from .expr import Average, CountIf, Expr, Ref, Sum, cell_formula, guarded_value, quote_sheet
from .formats import (
    A4_POINTS,
    HEADER_FILL,
    HEADER_FONT,
    PRINT_MARGIN,
    SEVERITY_FILL,
    TITLE_FONT,
    column_points,
    kind_format,
    set_print,
    wrapped_lines,
)
from .output import REKAP_SUBJECT, atomic_output
from .rules import Rules, parse_rules

SUMMARY_SHEET = "Ringkasan"
RANKING_SHEET = "Peringkat"
PROGRAM_SHEET = "Program"
INDICATOR_SHEET = "Indikator Bersama"
DATA_PROGRAM_SHEET = "Data Program"
DATA_INDICATOR_SHEET = "Data Indikator"
UNREADABLE_SHEET = "Tidak Terbaca"
RULES_SHEET = "Aturan"

#: jenis whose mean capaian is the file's "rata-rata capaian"
MAIN_JENIS = "Sasaran Strategis"

#: 0-based rows of the summary sheet: title, subtitle, note lines, table header, first data row
NOTE_FIRST_ROW, NOTE_ROWS = 2, 5
SUMMARY_HEADER_ROW = NOTE_FIRST_ROW + NOTE_ROWS + 1
#: 0-based header row of every other table sheet (title row 0, note row 1)
HEADER_ROW = 2

DECIMALS = 2

#: characters XML 1.0 cannot hold (a formula's cached string is written as it is)
_CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# -- stage 1: one file -> plain dict --------------------------------------------------------


def summarise_file(path: str | Path, rules_source: str | None = None) -> dict[str, Any]:
    """Check one workbook and return its figures as a plain dict (safe to send between processes).

    ``rules_source``: TOML text of rules overriding the workbook's own (``--rules``).
    Never raises for a bad file: the dict then holds ``unreadable`` (Indonesian).
    """
    path = Path(path)
    try:
        rules = parse_rules(rules_source, origin="--rules") if rules_source else None
    except Exception as exc:
        return _unreadable(path, f"Aturan --rules tidak dapat dipakai ({type(exc).__name__}).")
    return _summarise_safely(path, rules)


def saved_time(path: Path) -> str | None:
    """When the workbook was last saved, as ``YYYY-MM-DD HH:MM:SS`` (UTC): the time Excel,
    LibreOffice or WPS writes into the file (docProps/core.xml), else the file's own time."""
    import datetime as dt
    import zipfile
    from xml.etree import ElementTree

    try:  # the file already passed the safety gate: its XML has no DOCTYPE/ENTITY
        with zipfile.ZipFile(path) as archive:
            core = ElementTree.fromstring(archive.read("docProps/core.xml"))
        text = next(
            (element.text for element in core if element.tag == "{http://purl.org/dc/terms/}modified"), None
        )
        moment = dt.datetime.fromisoformat(text.strip()) if text else None
    except (KeyError, OSError, ValueError, ElementTree.ParseError, zipfile.BadZipFile):
        moment = None
    if moment is None:
        try:
            moment = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
        except OSError:
            return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _unreadable(path: Path, reason: str) -> dict[str, Any]:
    return {"file": show_path(path.name), "path": show_path(path), "unreadable": reason}


def _plain(value: Any) -> Any:
    """A cell value as a JSON/pickle friendly scalar (numbers stay numbers, text stays text)."""
    if value is None or isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    return str(value)


def _number(value: Any) -> int | float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    return None


def _summarise(path: Path, rules: Rules | None) -> dict[str, Any]:
    from .compute import input_ref
    from .pipeline import check_file

    outcome = check_file(path, rules)
    if outcome.unreadable or outcome.submission is None or outcome.computation is None:
        return _unreadable(path, outcome.unreadable or "Berkas tidak dapat dibaca.")
    sub = outcome.submission
    computation = outcome.computation

    programs = []
    for line in sub.programs:
        result = computation.budget.get(line.record.row)
        programs.append(
            {
                "kode": line.record.key,
                "uraian": _plain(line.record.get("uraian")),
                "pagu": _number(result.pagu_ref.value()) if result and result.pagu_ref else None,
                "realisasi": _number(result.realisasi_ref.value())
                if result and result.realisasi_ref
                else None,
            }
        )

    indicators = []
    for result in computation.indikator.values():  # ordered as the file's Tabel 3.1
        record = result.record
        target, realisasi = input_ref(record, "target"), input_ref(record, "realisasi")
        upper_ref = input_ref(record, "target_atas")
        entry = record.entry("target")
        parsed = entry.parsed if entry is not None else None
        # the same upper bound compute() uses: the typed one, else the upper end of a "60 – 70" target
        if (upper_ref is None or upper_ref.value() is None) and getattr(parsed, "kind", None) == "range":
            upper = parsed.upper
        elif upper_ref is None or upper_ref.value() is None:
            upper = None
        else:
            upper = upper_ref.cached
        indicators.append(
            {
                "kode": record.key,
                "uraian": _plain(record.get("uraian")),
                "jenis": result.jenis,
                "satuan": _plain(record.get("satuan")),
                "polaritas": _plain(record.get("polaritas")),
                "target": _plain(target.cached) if target is not None else None,
                "target_atas": _plain(upper),
                "realisasi": _plain(realisasi.cached) if realisasi is not None else None,
                "capaian": _number(guarded_value(result.capaian)) if result.capaian is not None else None,
            }
        )

    totals = {name: _plain(guarded_value(expr)) for name, expr in computation.totals.items()}
    tahun = sub.cell_value("tahun")
    return {
        "saved": saved_time(path),
        "file": show_path(path.name),
        "path": show_path(path),
        "unreadable": None,
        "instansi": sub.instansi,
        "pemda": _plain(sub.cell_value("pemda")),
        "tahun": int(tahun) if _number(tahun) is not None and float(tahun).is_integer() else _plain(tahun),
        "template_version": sub.template_version,
        "rules": {"name": sub.rules.name, "source": sub.rules.source},
        "findings": dict(outcome.summary),
        "has_macros": sub.has_macros,
        "programs": programs,
        "indicators": indicators,
        "totals": totals,
    }


def default_jobs() -> int:
    """Number of cores this process may use."""
    from .workers import job_count

    return job_count(None, sys.maxsize)


def collect_summaries(
    paths: Sequence[str | Path],
    jobs: int | None = None,
    rules_source: str | None = None,
    progress: bool = False,
    rules: Rules | None = None,
) -> list[dict[str, Any]]:
    """:func:`summarise_file` for every path, in input order.

    ``jobs``: worker processes (default: every core); with 1 (or one file) all
    runs in this process.  A file whose worker dies gets an unreadable summary
    (it could not be checked); the others keep theirs.  ``progress``: a progress
    line on stderr.  ``rules`` (or its TOML text ``rules_source``) overrides each
    file's own rules.
    """
    from .workers import Progress, job_count, run_in_processes

    paths = [Path(p) for p in paths]
    if rules is None and rules_source:
        rules = parse_rules(rules_source, origin="--rules")
    workers = job_count(jobs, len(paths))
    bar = Progress(len(paths), "membaca", progress)
    if workers > 1:
        from . import checks, compute, pipeline, reader  # noqa: F401  imported once, before the workers fork

        work = functools.partial(_summarise_safely, rules=rules)
        return run_in_processes(work, paths, workers, _not_read, bar)
    results = []
    try:
        for index, path in enumerate(paths, 1):
            results.append(_summarise_safely(path, rules))
            bar.step(index, path)
    finally:
        bar.close()
    return results


def _summarise_safely(path: Path, rules: Rules | None) -> dict[str, Any]:
    """summarise_file with the rules as an object (workers get them as they are, not as text)."""
    try:
        return _summarise(path, rules)
    except MemoryError as exc:
        from .workers import crash_reason

        return _not_read(path, crash_reason(error=exc))
    except Exception as exc:  # one broken file must never stop the rekap
        return _unreadable(path, f"Galat saat membaca berkas ({type(exc).__name__}).")


def _not_read(path: Path, reason: str) -> dict[str, Any]:
    """The summary of a file whose reading died (its worker was killed, memory ran out)."""
    return _unreadable(
        path,
        f"Berkas ini tidak dapat diperiksa: {reason}. Coba periksa berkas ini sendiri (sakip-xlsx check BERKAS); "
        "bila tetap gagal, buka di Excel, hapus isi sel di luar tabel, simpan ulang sebagai .xlsx, lalu kirim lagi.",
    )


# -- matching ------------------------------------------------------------------------------------


def normalise_text(text: Any) -> str:
    """Lower case words only (punctuation and spacing ignored) for matching names across files."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).split())


def program_key(uraian: Any) -> str:
    """Matching key of a program name: normalised, without a leading word "program"."""
    words = normalise_text(uraian).split()
    if words and words[0] == "program":
        words = words[1:]
    return " ".join(words)


_TRAILING_CONNECTORS = ("di", "pada", "se")


def indicator_label(uraian: Any, instansi: Any) -> str:
    """An indicator's text without the submitting unit's own name ("... Kecamatan Ngoro" -> "...")."""
    text = str(uraian or "").strip()
    words = normalise_text(instansi).split()
    if words:
        pattern = re.compile(
            r"(?<![0-9A-Za-z])" + r"[^0-9A-Za-z]+".join(map(re.escape, words)) + r"(?![0-9A-Za-z])",
            re.IGNORECASE,
        )
        stripped = " ".join(pattern.sub(" ", text).split())
        if stripped != " ".join(text.split()):
            tail = stripped.split()
            while tail and tail[-1].lower().strip(",.;:") in _TRAILING_CONNECTORS:
                tail.pop()
            text = " ".join(tail).rstrip(" ,.;:-")
    return text


def indicator_key(uraian: Any, instansi: Any) -> str:
    """Matching key of an indicator: its normalised text without the unit's own name."""
    return normalise_text(indicator_label(uraian, instansi))


# -- expressions the expr module lacks (same contract: value() and formula()) ----------------------


def _total(values: Iterable[Any]) -> int | float:
    """Σ of the numbers among ``values`` (exact int when all are ints, else fsum)."""
    numbers = [v for v in values if _number(v) is not None]
    if all(isinstance(v, int) for v in numbers):
        return sum(numbers)
    return math.fsum(numbers)


@dataclass(frozen=True, eq=False)
class RangeSum(Expr):
    """``SUM(sheet!A1:A9)`` of a contiguous range: blanks and text skipped on both sides."""

    sheet: str
    first: str
    last: str
    cells: tuple[Expr, ...]

    def value(self) -> Any:
        return _total(v for v in (c.value() for c in self.cells))

    def formula(self) -> str:
        return f"SUM({quote_sheet(self.sheet)}!{self.first}:{self.last})"


@dataclass(frozen=True, eq=False)
class SumIf(Expr):
    """``SUMIF(criteria range, number, sum range)``: Σ of the cells whose criteria cell equals ``criterion``."""

    sheet: str
    criteria: tuple[str, str]
    criteria_cells: tuple[Expr, ...]
    summed: tuple[str, str]
    cells: tuple[Expr, ...]
    criterion: int | float

    def value(self) -> Any:
        return _total(
            v
            for c, v in zip(
                (c.value() for c in self.criteria_cells), (c.value() for c in self.cells), strict=True
            )
            if _number(c) is not None and c == self.criterion
        )

    def formula(self) -> str:
        sheet = quote_sheet(self.sheet)
        return (
            f"SUMIF({sheet}!{self.criteria[0]}:{self.criteria[1]},{self.criterion},"
            f"{sheet}!{self.summed[0]}:{self.summed[1]})"
        )


@dataclass(frozen=True, eq=False)
class Rank(Expr):
    """``RANK(x, range)``: 1 for the largest number; ties share the better rank."""

    target: Expr
    sheet: str
    first: str
    last: str
    cells: tuple[Expr, ...]

    def value(self) -> Any:
        x = self.target.value()
        if _number(x) is None:
            return None
        return 1 + sum(1 for v in (c.value() for c in self.cells) if _number(v) is not None and v > x)

    def formula(self) -> str:
        return f"RANK({self.target.formula()},{quote_sheet(self.sheet)}!{self.first}:{self.last})"

    def strict_refs(self) -> list[Ref]:
        return self.target.strict_refs()

    def may_fail(self) -> bool:
        return True


# -- stage 2: tabulation and workbook -----------------------------------------------------------


def _a1(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return xl_rowcol_to_cell(row, col)


_REF_FIELDS = {f.name for f in dataclasses.fields(Ref)}


def _ref(sheet: str, cell: str, cached: Any) -> Ref:
    """A reference carrying the cell's value; a text cell is referred to as a label (shown as it is)."""
    if isinstance(cached, str) and cached and "text" in _REF_FIELDS:
        return Ref(sheet, cell, cached, text=True)
    return Ref(sheet, cell, cached)


@dataclass
class _Cell:
    content: Any
    kind: str = "text"  # text | wrap | integer | year | rupiah | percent
    style: str = "normal"  # normal | group | total | flag | detail


class _Sheet:
    """Cells of one sheet before writing; hands out references carrying the cached value."""

    def __init__(self, name: str):
        self.name = name
        self.cells: dict[tuple[int, int], _Cell] = {}
        self.levels: dict[int, int] = {}

    def put(self, row: int, col: int, content: Any, kind: str = "text", style: str = "normal") -> None:
        self.cells[(row, col)] = _Cell(content, kind, style)

    def ref(self, row: int, col: int) -> Ref:
        cell = self.cells.get((row, col))
        content = cell.content if cell else None
        cached = guarded_value(content) if isinstance(content, Expr) else _plain(content)
        return _ref(self.name, _a1(row, col), cached)

    def span(self, first: int, last: int, col: int) -> tuple[str, str, tuple[Ref, ...]]:
        return _a1(first, col), _a1(last, col), tuple(self.ref(r, col) for r in range(first, last + 1))

    def value(self, row: int, col: int) -> Any:
        return self.ref(row, col).value()


@dataclass(frozen=True)
class _Column:
    id: str
    header: str
    kind: str = "text"
    width: float = 12


def _columns(*columns: _Column) -> dict[str, int]:
    return {column.id: index for index, column in enumerate(columns)}


SUMMARY_COLUMNS = (
    _Column("no", "No", "integer", 5),
    _Column("instansi", "Instansi", "wrap", 30),
    _Column("pemda", "Pemerintah Daerah", "wrap", 22),
    _Column("tahun", "Tahun", "year", 7),
    _Column("berkas", "Berkas", "wrap", 24),
    _Column("versi", "Versi Template", "text", 9),
    _Column("aturan", "Aturan Perhitungan", "wrap", 24),
    _Column("kesalahan", "Kesalahan", "integer", 10),
    _Column("peringatan", "Peringatan", "integer", 10),
    _Column("info", "Info", "integer", 7),
    _Column("jumlah_program", "Jumlah Program", "integer", 9),
    _Column("pagu", "Total Pagu (Rp)", "rupiah", 17),
    _Column("realisasi", "Total Realisasi (Rp)", "rupiah", 17),
    _Column("sisa", "Sisa Anggaran (Rp)", "rupiah", 16),
    _Column("serapan", "Serapan (%)", "percent", 10),
    _Column("jumlah_indikator", "Jumlah Indikator", "integer", 9),
    _Column("rata_capaian", f"Rata-rata Capaian {MAIN_JENIS} (%)", "percent", 12),
    _Column("predikat", "Predikat (aturan berkas)", "wrap", 24),
    _Column("di_atas", "Indikator di Atas Target (>100%)", "integer", 11),
    _Column("tepat", "Indikator Tepat Target (=100%)", "integer", 11),
    _Column("di_bawah", "Indikator di Bawah Target (<100%)", "integer", 11),
    _Column("peringkat_serapan", "Peringkat Serapan", "integer", 10),
    _Column("peringkat_capaian", "Peringkat Capaian", "integer", 10),
)
S = _columns(*SUMMARY_COLUMNS)

DATA_PROGRAM_COLUMNS = (
    _Column("no", "No", "integer", 5),
    _Column("instansi", "Instansi", "wrap", 24),
    _Column("berkas", "Berkas", "wrap", 22),
    _Column("tahun", "Tahun", "year", 7),
    _Column("kode", "Kode", "text", 12),
    _Column("program", "Program", "wrap", 44),
    _Column("kelompok", "Dicocokkan sebagai", "wrap", 36),
    _Column("pagu", "Pagu (Rp)", "rupiah", 17),
    _Column("realisasi", "Realisasi (Rp)", "rupiah", 17),
    _Column("sisa", "Sisa (Rp)", "rupiah", 16),
    _Column("serapan", "Serapan (%)", "percent", 10),
)
DP = _columns(*DATA_PROGRAM_COLUMNS)

DATA_INDICATOR_COLUMNS = (
    _Column("no", "No", "integer", 5),
    _Column("instansi", "Instansi", "wrap", 22),
    _Column("berkas", "Berkas", "wrap", 20),
    _Column("tahun", "Tahun", "year", 7),
    _Column("aturan", "Aturan Perhitungan", "wrap", 16),
    _Column("jenis", "Jenis", "wrap", 14),
    _Column("kode", "Kode", "text", 7),
    _Column("indikator", "Indikator", "wrap", 40),
    _Column("satuan", "Satuan", "text", 9),
    _Column("polaritas", "Polaritas", "text", 9),
    _Column("target", "Target", "text", 9),
    _Column("target_atas", "Target Batas Atas", "text", 9),
    _Column("realisasi", "Realisasi", "text", 9),
    _Column("capaian", "Capaian (%)", "percent", 10),
    _Column("predikat", "Predikat (aturan berkas)", "wrap", 18),
    _Column("kelompok", "Dicocokkan sebagai", "wrap", 32),
)
DI = _columns(*DATA_INDICATOR_COLUMNS)

PROGRAM_COLUMNS = (
    _Column("kode", "Kode", "text", 12),
    _Column("nama", "Program / Kecamatan", "wrap", 48),
    _Column("kecamatan", "Jumlah Kecamatan", "integer", 10),
    _Column("pagu", "Pagu (Rp)", "rupiah", 17),
    _Column("realisasi", "Realisasi (Rp)", "rupiah", 17),
    _Column("sisa", "Sisa (Rp)", "rupiah", 16),
    _Column("serapan", "Serapan (%)", "percent", 10),
    _Column("peringkat", "Peringkat Serapan dalam Program", "integer", 12),
)
PR = _columns(*PROGRAM_COLUMNS)

INDICATOR_COLUMNS = (
    _Column("nama", "Indikator / Kecamatan", "wrap", 48),
    _Column("satuan", "Satuan", "wrap", 10),
    _Column("kecamatan", "Jumlah Kecamatan", "integer", 10),
    _Column("target", "Target", "text", 10),
    _Column("realisasi", "Realisasi", "text", 10),
    _Column("capaian", "Capaian (%)", "percent", 10),
    _Column("predikat", "Predikat (aturan berkas)", "wrap", 18),
    _Column("peringkat", "Peringkat Capaian dalam Indikator", "integer", 12),
)
IN = _columns(*INDICATOR_COLUMNS)

RANKING_COLUMNS = (
    _Column("peringkat", "Peringkat", "integer", 9),
    _Column("instansi", "Instansi", "wrap", 26),
    _Column("tahun", "Tahun", "year", 7),
    _Column("serapan", "Serapan (%)", "percent", 10),
    _Column("gap", "", "text", 3),
    _Column("peringkat_c", "Peringkat", "integer", 9),
    _Column("instansi_c", "Instansi", "wrap", 26),
    _Column("tahun_c", "Tahun", "year", 7),
    _Column("capaian", f"Rata-rata Capaian {MAIN_JENIS} (%)", "percent", 12),
    _Column("predikat", "Predikat (aturan berkas)", "wrap", 18),
)
RK = _columns(*RANKING_COLUMNS)

UNREADABLE_COLUMNS = (
    _Column("no", "No", "integer", 5),
    _Column("berkas", "Berkas", "wrap", 30),
    _Column("lokasi", "Lokasi", "wrap", 45),
    _Column("alasan", "Alasan", "wrap", 90),
)


def write_rekap(
    summaries: Sequence[dict[str, Any]],
    path: str | Path,
    overwrite: bool = False,
    inputs: Iterable[str | Path] = (),
) -> dict[str, Any]:
    """Write the rekap workbook for the summaries of :func:`summarise_file` (atomically).

    Returns the JSON summary (also what ``--format json`` prints).  Raises
    :class:`ValueError` when no summary is readable (nothing to consolidate).
    """
    import xlsxwriter

    builder = _Builder(list(summaries))
    if not builder.readable:
        raise ValueError("Tidak ada berkas yang dapat dibaca; rekap tidak dibuat.")
    builder.build()
    sources = [*inputs, *(summary["path"] for summary in summaries)]
    with atomic_output(path, overwrite=overwrite, inputs=sources, suffixes=(".xlsx",)) as temporary:
        workbook = xlsxwriter.Workbook(
            str(temporary),
            {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
        )
        _Writer(workbook, builder).write()
        workbook.close()
    report = builder.report()
    report["output"] = str(path)
    report["written"] = True
    return report


def summary_report(summaries: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The JSON summary without writing a workbook (used when nothing could be read)."""
    builder = _Builder(list(summaries))
    if builder.readable:
        builder.build()
        return builder.report() | {"output": None, "written": False}
    return {
        "output": None,
        "written": False,
        "files": builder.file_counts(),
        "notes": builder.notes,
        "unreadable": builder.unreadable_report(),
        "submissions": [],
    }


class _Builder:
    """Tabulates the summaries and lays out every sheet as cells (expressions or values)."""

    def __init__(self, summaries: list[dict[str, Any]]):
        self.summaries = summaries
        readable = [s for s in summaries if not s.get("unreadable")]
        self.readable, self.superseded = _newest_submissions(readable)
        self.labels = _display_names(self.readable)
        self.unreadable = [s for s in summaries if s.get("unreadable")]
        self._rules_cache: dict[str, Rules] = {}
        self.notes: list[dict[str, str]] = []
        self.sheets = {
            name: _Sheet(name)
            for name in (
                SUMMARY_SHEET,
                RANKING_SHEET,
                PROGRAM_SHEET,
                INDICATOR_SHEET,
                DATA_PROGRAM_SHEET,
                DATA_INDICATOR_SHEET,
                UNREADABLE_SHEET,
                RULES_SHEET,
            )
        }
        if not self.readable:
            self._note("tidak-ada-berkas", "Tidak ada berkas yang dapat dibaca; rekap tidak dibuat.")

    # -- helpers -----------------------------------------------------------------------------
    def rules_of(self, summary: dict[str, Any]) -> Rules:
        source = summary["rules"]["source"]
        if source not in self._rules_cache:
            self._rules_cache[source] = parse_rules(source, origin=summary["rules"]["name"])
        return self._rules_cache[source]

    def _note(self, code: str, message: str) -> None:
        self.notes.append({"code": code, "message": message})

    def file_counts(self) -> dict[str, int]:
        return {
            "total": len(self.summaries),
            "read": len(self.summaries) - len(self.unreadable),
            "unreadable": len(self.unreadable),
            "superseded": sum(len(older) for _, older in self.superseded),
        }

    def unreadable_report(self) -> list[dict[str, Any]]:
        return [{"file": s["file"], "path": s["path"], "reason": s["unreadable"]} for s in self.unreadable]

    # -- build ---------------------------------------------------------------------------------
    def build(self) -> None:
        import pandas as pd

        self.pd = pd
        self.files = pd.DataFrame(
            [
                {
                    "index": i,
                    "instansi": s["instansi"],
                    "tahun": s["tahun"],
                    "key": "|".join(
                        (normalise_text(s["pemda"]), normalise_text(s["instansi"]), str(s["tahun"]))
                    ),
                    "versi": s["template_version"],
                    "aturan": s["rules"]["name"],
                    "source": s["rules"]["source"],
                    "file": s["file"],
                }
                for i, s in enumerate(self.readable)
            ]
        )
        self._flags()
        self._data_programs()
        self._data_indicators()
        self._summary()
        self._rankings()
        self._program_table()
        self._indicator_table()
        self._unreadable_sheet()
        self._rules_sheet()

    def _flags(self) -> None:
        files = self.files
        years = Counter(s["tahun"] for s in self.readable)
        self.years = sorted((y for y in years if y is not None), key=str)
        self.main_year = years.most_common(1)[0][0] if years else None
        self.mixed_years = len(years) > 1
        if self.mixed_years:
            parts = ", ".join(
                f"{y if y is not None else 'tanpa tahun'}: {n} berkas"
                for y, n in sorted(years.items(), key=lambda item: str(item[0]))
            )
            self._note(
                "tahun-campur",
                f"PERHATIAN: kiriman berasal dari tahun laporan yang berbeda ({parts}). Angka antar-tahun "
                "tidak sebanding; sel Tahun yang berbeda diberi warna, dan jumlah per tahun ada di bawah "
                "tabel. Periksa sebelum memakai total dan peringkat gabungan.",
            )
        versions = Counter(s["template_version"] for s in self.readable)
        self.versions = sorted(versions)
        self.main_version = versions.most_common(1)[0][0]
        self.mixed_versions = len(versions) > 1
        if self.mixed_versions:
            parts = ", ".join(f"versi {v}: {n} berkas" for v, n in sorted(versions.items()))
            self._note(
                "versi-campur",
                f"PERHATIAN: kiriman memakai versi template yang berbeda ({parts}). Isian antar-versi bisa "
                "berbeda arti; sel Versi Template yang berbeda diberi warna. Minta kecamatan memakai "
                "template terbaru.",
            )
        rules = Counter(s["rules"]["name"] for s in self.readable)
        sources = files["source"].nunique()
        if sources > 1:
            parts = ", ".join(f"{name}: {n} berkas" for name, n in sorted(rules.items()))
            self._note(
                "aturan-campur",
                f"Berkas memakai aturan perhitungan yang berbeda ({parts}): capaian dan predikat tiap "
                "berkas dihitung menurut aturannya sendiri (lihat lembar Aturan).",
            )
        for newest, older in self.superseded:
            olders = "; ".join(f"{s['file']} (disimpan {s.get('saved') or '-'})" for s in older)
            self._note(
                "instansi-ganda",
                f"{newest['instansi']} ({newest['pemda'] or '-'}, tahun {newest['tahun']}) dikirim "
                f"{len(older) + 1} kali: yang direkap hanya yang paling baru, {newest['file']} (disimpan "
                f"{newest.get('saved') or '-'}); tidak ikut dijumlah: {olders}.",
            )
        if self.unreadable:
            self._note(
                "tidak-terbaca",
                f"{len(self.unreadable)} berkas tidak dapat dibaca dan tidak ikut direkap: lihat lembar "
                f"{UNREADABLE_SHEET}.",
            )

    # -- data sheets ---------------------------------------------------------------------------
    def _data_programs(self) -> None:
        pd = self.pd
        rows = [
            {
                "file": i,
                "pos": p,
                "kode": str(prog.get("kode") or ""),
                "uraian": str(prog.get("uraian") or ""),
                "key": program_key(prog.get("uraian")),
            }
            for i, s in enumerate(self.readable)
            for p, prog in enumerate(s["programs"])
        ]
        frame = pd.DataFrame(rows, columns=["file", "pos", "kode", "uraian", "key"])
        frame["group"] = _merge_groups([r["key"] for r in rows], [r["kode"] for r in rows])
        self.program_frame = frame
        sheet = self.sheets[DATA_PROGRAM_SHEET]
        self.file_program_rows: dict[int, tuple[int, int]] = {}
        self.program_rows: dict[tuple[int, int], int] = {}
        labels = self._group_labels(frame, "uraian")
        row = HEADER_ROW + 1
        for record in frame.itertuples():
            s = self.readable[int(record.file)]
            prog = s["programs"][int(record.pos)]
            sheet.put(row, DP["no"], row - HEADER_ROW, "integer")
            sheet.put(row, DP["instansi"], self.labels[int(record.file)], "wrap")
            sheet.put(row, DP["berkas"], s["file"], "wrap")
            sheet.put(row, DP["tahun"], s["tahun"], "year")
            sheet.put(row, DP["kode"], prog.get("kode"))
            sheet.put(row, DP["program"], prog.get("uraian"), "wrap")
            sheet.put(row, DP["kelompok"], labels[record.group], "wrap")
            sheet.put(row, DP["pagu"], prog.get("pagu"), "rupiah")
            sheet.put(row, DP["realisasi"], prog.get("realisasi"), "rupiah")
            pagu, realisasi = sheet.ref(row, DP["pagu"]), sheet.ref(row, DP["realisasi"])
            sheet.put(row, DP["sisa"], q.selisih(pagu, realisasi), "rupiah")
            sheet.put(row, DP["serapan"], q.serapan(pagu, realisasi), "percent")
            first, _ = self.file_program_rows.get(int(record.file), (row, row))
            self.file_program_rows[int(record.file)] = (first, row)
            self.program_rows[(int(record.file), int(record.pos))] = row
            row += 1
        self.program_group_labels = labels

    def _group_labels(self, frame, text_column: str) -> dict[Any, str]:
        """Display name of each group: its most frequent original text (first seen on ties)."""
        labels: dict[Any, str] = {}
        for group, texts in frame.groupby("group", sort=False)[text_column]:
            counts = Counter(str(t) for t in texts if t)
            labels[group] = max(counts, key=lambda t: (counts[t], -list(counts).index(t))) if counts else "-"
        return labels

    def _data_indicators(self) -> None:
        pd = self.pd
        rows = []
        for i, s in enumerate(self.readable):
            # main jenis first so each file's Sasaran Strategis rows form one range (stable otherwise)
            order = sorted(
                range(len(s["indicators"])), key=lambda p: s["indicators"][p]["jenis"] != MAIN_JENIS
            )
            for p in order:
                ind = s["indicators"][p]
                label = indicator_label(ind.get("uraian"), s["instansi"])
                rows.append(
                    {
                        "file": i,
                        "pos": p,
                        "jenis": ind["jenis"],
                        "label": label,
                        "group": normalise_text(label),
                        "satuan": str(ind.get("satuan") or ""),
                    }
                )
        frame = pd.DataFrame(rows, columns=["file", "pos", "jenis", "label", "group", "satuan"])
        self.indicator_frame = frame
        labels = self._group_labels(frame, "label")
        sheet = self.sheets[DATA_INDICATOR_SHEET]
        self.file_indicator_rows: dict[int, tuple[int, int]] = {}
        self.file_main_rows: dict[int, tuple[int, int]] = {}
        self.indicator_rows: dict[tuple[int, int], int] = {}
        self.fallbacks = 0
        row = HEADER_ROW + 1
        for record in frame.itertuples():
            s = self.readable[int(record.file)]
            ind = s["indicators"][int(record.pos)]
            rules = self.rules_of(s)
            sheet.put(row, DI["no"], row - HEADER_ROW, "integer")
            sheet.put(row, DI["instansi"], self.labels[int(record.file)], "wrap")
            sheet.put(row, DI["berkas"], s["file"], "wrap")
            sheet.put(row, DI["tahun"], s["tahun"], "year")
            sheet.put(row, DI["aturan"], s["rules"]["name"], "wrap")
            sheet.put(row, DI["jenis"], ind["jenis"], "wrap")
            sheet.put(row, DI["kode"], ind.get("kode"))
            sheet.put(row, DI["indikator"], ind.get("uraian"), "wrap")
            sheet.put(row, DI["satuan"], ind.get("satuan"))
            sheet.put(row, DI["polaritas"], ind.get("polaritas"))
            for name in ("target", "target_atas", "realisasi"):
                sheet.put(row, DI[name], ind.get(name), "number")
            upper = sheet.ref(row, DI["target_atas"]) if ind.get("target_atas") is not None else None
            capaian: Any = q.capaian(
                sheet.ref(row, DI["target"]),
                sheet.ref(row, DI["realisasi"]),
                ind.get("polaritas") == "Negatif",
                rules,
                upper,
            )
            if not _same(guarded_value(capaian), ind.get("capaian")):
                # never expected: keep the file's own figure rather than a formula that disagrees with it
                capaian, self.fallbacks = ind.get("capaian"), self.fallbacks + 1
            sheet.put(row, DI["capaian"], capaian, "percent")
            sheet.put(row, DI["predikat"], q.predikat(sheet.ref(row, DI["capaian"]), rules), "wrap")
            sheet.put(row, DI["kelompok"], labels[record.group], "wrap")
            first, _ = self.file_indicator_rows.get(int(record.file), (row, row))
            self.file_indicator_rows[int(record.file)] = (first, row)
            if ind["jenis"] == MAIN_JENIS:
                first, _ = self.file_main_rows.get(int(record.file), (row, row))
                self.file_main_rows[int(record.file)] = (first, row)
            self.indicator_rows[(int(record.file), int(record.pos))] = row
            row += 1
        self.indicator_group_labels = labels

    # -- summary -------------------------------------------------------------------------------
    def _summary(self) -> None:
        sheet = self.sheets[SUMMARY_SHEET]
        programs, indicators = self.sheets[DATA_PROGRAM_SHEET], self.sheets[DATA_INDICATOR_SHEET]
        first = SUMMARY_HEADER_ROW + 1
        last = first + len(self.readable) - 1
        self.summary_rows = list(range(first, last + 1))
        for i, s in enumerate(self.readable):
            row = first + i
            put = functools.partial(sheet.put, row)
            put(S["no"], i + 1, "integer")
            put(S["instansi"], self.labels[i], "wrap")
            put(S["pemda"], s["pemda"], "wrap")
            put(
                S["tahun"],
                s["tahun"],
                "year",
                "flag" if self.mixed_years and s["tahun"] != self.main_year else "normal",
            )
            put(S["berkas"], s["file"], "wrap")
            put(
                S["versi"],
                s["template_version"],
                "text",
                "flag" if s["template_version"] != self.main_version else "normal",
            )
            put(S["aturan"], s["rules"]["name"], "wrap")
            for severity, column in (("error", "kesalahan"), ("warning", "peringatan"), ("info", "info")):
                put(S[column], s["findings"].get(severity, 0), "integer")
            put(S["jumlah_program"], len(s["programs"]), "integer")
            if i in self.file_program_rows:
                a, b = self.file_program_rows[i]
                for name in ("pagu", "realisasi"):
                    put(S[name], RangeSum(DATA_PROGRAM_SHEET, *programs.span(a, b, DP[name])), "rupiah")
            pagu, realisasi = sheet.ref(row, S["pagu"]), sheet.ref(row, S["realisasi"])
            put(S["sisa"], q.selisih(pagu, realisasi), "rupiah")
            put(S["serapan"], q.serapan(pagu, realisasi), "percent")
            put(S["jumlah_indikator"], len(s["indicators"]), "integer")
            if i in self.file_main_rows:
                a, b = self.file_main_rows[i]
                put(
                    S["rata_capaian"],
                    Average(DATA_INDICATOR_SHEET, *indicators.span(a, b, DI["capaian"])),
                    "percent",
                )
            put(S["predikat"], q.predikat(sheet.ref(row, S["rata_capaian"]), self.rules_of(s)), "wrap")
            if i in self.file_indicator_rows:
                a, b = self.file_indicator_rows[i]
                start, end, refs = indicators.span(a, b, DI["capaian"])
                for name, op in (("di_atas", ">"), ("tepat", "="), ("di_bawah", "<")):
                    put(S[name], CountIf(DATA_INDICATOR_SHEET, start, end, refs, op, 100), "integer")
        for name, rank in (("serapan", "peringkat_serapan"), ("rata_capaian", "peringkat_capaian")):
            start, end, refs = sheet.span(first, last, S[name])
            for row in self.summary_rows:
                sheet.put(
                    row, S[rank], Rank(sheet.ref(row, S[name]), SUMMARY_SHEET, start, end, refs), "integer"
                )
        # total row
        total = last + 1
        self.total_row = total
        sheet.put(total, S["instansi"], f"Jumlah ({len(self.readable)} berkas)", "wrap", "total")
        for name in (
            "kesalahan",
            "peringatan",
            "info",
            "jumlah_program",
            "pagu",
            "realisasi",
            "jumlah_indikator",
            "di_atas",
            "tepat",
            "di_bawah",
        ):
            column = next(c for c in SUMMARY_COLUMNS if c.id == name)
            sheet.put(
                total,
                S[name],
                RangeSum(SUMMARY_SHEET, *sheet.span(first, last, S[name])),
                column.kind,
                "total",
            )
        pagu, realisasi = sheet.ref(total, S["pagu"]), sheet.ref(total, S["realisasi"])
        sheet.put(total, S["sisa"], q.selisih(pagu, realisasi), "rupiah", "total")
        sheet.put(total, S["serapan"], q.serapan(pagu, realisasi), "percent", "total")
        sheet.put(
            total,
            S["rata_capaian"],
            Average(SUMMARY_SHEET, *sheet.span(first, last, S["rata_capaian"])),
            "percent",
            "total",
        )
        sheet.put(total, S["predikat"], "rata-rata antar kecamatan", "wrap", "total")
        for col in range(len(SUMMARY_COLUMNS)):
            if (total, col) not in sheet.cells:
                sheet.put(total, col, None, "text", "total")
        # per-year subtotals when years are mixed (never silently pooled)
        self.year_rows: dict[Any, int] = {}
        row = total + 1
        if self.mixed_years:
            tahun_span = sheet.span(first, last, S["tahun"])
            for year in self.years:
                if _number(year) is None:
                    continue
                count = sum(1 for s in self.readable if s["tahun"] == year)
                sheet.put(row, S["instansi"], f"Jumlah tahun {year} ({count} berkas)", "wrap", "total")
                sheet.put(row, S["tahun"], year, "year", "total")
                for name in ("pagu", "realisasi"):
                    values = sheet.span(first, last, S[name])
                    sheet.put(
                        row,
                        S[name],
                        SumIf(SUMMARY_SHEET, tahun_span[:2], tahun_span[2], values[:2], values[2], year),
                        "rupiah",
                        "total",
                    )
                pagu, realisasi = sheet.ref(row, S["pagu"]), sheet.ref(row, S["realisasi"])
                sheet.put(row, S["sisa"], q.selisih(pagu, realisasi), "rupiah", "total")
                sheet.put(row, S["serapan"], q.serapan(pagu, realisasi), "percent", "total")
                self.year_rows[year] = row
                row += 1
        self.chart_row = row + 2

    # -- rankings --------------------------------------------------------------------------------
    def _rankings(self) -> None:
        summary, sheet = self.sheets[SUMMARY_SHEET], self.sheets[RANKING_SHEET]
        frame = self.files.copy()
        frame["serapan"] = [summary.value(r, S["serapan"]) for r in self.summary_rows]
        frame["capaian"] = [summary.value(r, S["rata_capaian"]) for r in self.summary_rows]
        self.ranking_rows = {}
        for value, columns in (
            ("serapan", ("peringkat", "instansi", "tahun", "serapan")),
            ("capaian", ("peringkat_c", "instansi_c", "tahun_c", "capaian")),
        ):
            ordered = frame.sort_values(
                [value, "index"], ascending=[False, True], na_position="last", kind="stable"
            )
            source = (
                ("peringkat_serapan", "instansi", "tahun", "serapan")
                if value == "serapan"
                else ("peringkat_capaian", "instansi", "tahun", "rata_capaian")
            )
            rows = []
            for offset, index in enumerate(ordered["index"].tolist()):
                row = HEADER_ROW + 1 + offset
                summary_row = self.summary_rows[index]
                for target, origin in zip(columns, source, strict=True):
                    kind = next(c for c in RANKING_COLUMNS if c.id == target).kind
                    sheet.put(row, RK[target], summary.ref(summary_row, S[origin]), kind)
                if value == "capaian":
                    sheet.put(row, RK["predikat"], summary.ref(summary_row, S["predikat"]), "wrap")
                rows.append(row)
            self.ranking_rows[value] = rows

    # -- program table -------------------------------------------------------------------------
    def _program_table(self) -> None:
        frame, data, sheet = self.program_frame, self.sheets[DATA_PROGRAM_SHEET], self.sheets[PROGRAM_SHEET]
        row = HEADER_ROW + 1
        group_rows: list[int] = []
        self.program_groups = []
        if frame.empty:
            sheet.put(row, 0, "Tidak ada data program.", "text")
            return
        stats = frame.groupby("group", sort=False).agg(files=("file", "nunique"), first=("file", "min"))
        pagu_of = {
            g: math.fsum(
                _number(self.readable[int(r.file)]["programs"][int(r.pos)].get("pagu")) or 0
                for r in frame[frame["group"] == g].itertuples()
            )
            for g in stats.index
        }
        stats["pagu"] = [pagu_of[g] for g in stats.index]
        stats["label"] = [self.program_group_labels[g] for g in stats.index]
        stats = stats.sort_values(["files", "pagu", "label"], ascending=[False, False, True], kind="stable")
        for group in stats.index:
            members = frame[frame["group"] == group]
            kodes = sorted(
                {
                    str(self.readable[f]["programs"][p]["kode"])
                    for f, p in zip(members["file"].tolist(), members["pos"].tolist(), strict=True)
                    if self.readable[f]["programs"][p].get("kode")
                }
            )
            head = row
            sheet.put(head, PR["kode"], ", ".join(kodes) if kodes else None, "text", "group")
            sheet.put(head, PR["nama"], self.program_group_labels[group], "wrap", "group")
            sheet.put(head, PR["kecamatan"], int(stats.loc[group, "files"]), "integer", "group")
            detail_first = head + 1
            for offset, record in enumerate(members.itertuples()):
                r = detail_first + offset
                s = self.readable[int(record.file)]
                source = self.program_rows[(int(record.file), int(record.pos))]
                sheet.put(r, PR["kode"], s["programs"][int(record.pos)].get("kode"), "text", "detail")
                sheet.put(r, PR["nama"], self.labels[int(record.file)], "wrap", "detail")
                sheet.put(r, PR["pagu"], data.ref(source, DP["pagu"]), "rupiah", "detail")
                sheet.put(r, PR["realisasi"], data.ref(source, DP["realisasi"]), "rupiah", "detail")
                sheet.levels[r] = 1
            detail_last = detail_first + len(members) - 1
            for name in ("pagu", "realisasi"):
                sheet.put(
                    head,
                    PR[name],
                    RangeSum(PROGRAM_SHEET, *sheet.span(detail_first, detail_last, PR[name])),
                    "rupiah",
                    "group",
                )
            for r in range(head, detail_last + 1):
                style = "group" if r == head else "detail"
                pagu, realisasi = sheet.ref(r, PR["pagu"]), sheet.ref(r, PR["realisasi"])
                sheet.put(r, PR["sisa"], q.selisih(pagu, realisasi), "rupiah", style)
                sheet.put(r, PR["serapan"], q.serapan(pagu, realisasi), "percent", style)
            sheet.put(head, PR["peringkat"], None, "integer", "group")
            start, end, refs = sheet.span(detail_first, detail_last, PR["serapan"])
            for r in range(detail_first, detail_last + 1):
                sheet.put(
                    r,
                    PR["peringkat"],
                    Rank(sheet.ref(r, PR["serapan"]), PROGRAM_SHEET, start, end, refs),
                    "integer",
                    "detail",
                )
            group_rows.append(head)
            self.program_groups.append((group, head, detail_first, detail_last, kodes))
            row = detail_last + 1
        total = row
        sheet.put(total, PR["nama"], "Jumlah seluruh program", "wrap", "total")
        for name in ("pagu", "realisasi"):
            sheet.put(
                total, PR[name], Sum(tuple(sheet.ref(r, PR[name]) for r in group_rows)), "rupiah", "total"
            )
        pagu, realisasi = sheet.ref(total, PR["pagu"]), sheet.ref(total, PR["realisasi"])
        sheet.put(total, PR["sisa"], q.selisih(pagu, realisasi), "rupiah", "total")
        sheet.put(total, PR["serapan"], q.serapan(pagu, realisasi), "percent", "total")
        for col in (PR["kode"], PR["kecamatan"], PR["peringkat"]):
            sheet.put(total, col, None, "text", "total")
        self.program_total_row = total

    # -- shared indicators -----------------------------------------------------------------------
    def _indicator_table(self) -> None:
        frame, data, sheet = (
            self.indicator_frame,
            self.sheets[DATA_INDICATOR_SHEET],
            self.sheets[INDICATOR_SHEET],
        )
        row = HEADER_ROW + 1
        self.indicator_groups = []
        counts = frame.groupby("group", sort=False)["file"].nunique() if not frame.empty else None
        shared = [g for g, n in counts.items() if n >= 2 and g] if counts is not None else []
        if not shared:
            sheet.put(row, 0, "Tidak ada indikator yang dipakai oleh dua kecamatan atau lebih.", "text")
            return
        shared.sort(key=lambda g: (-int(counts[g]), self.indicator_group_labels[g]))
        for group in shared:
            members = frame[frame["group"] == group]
            units = sorted(
                {
                    str(self.readable[f]["indicators"][p]["satuan"])
                    for f, p in zip(members["file"].tolist(), members["pos"].tolist(), strict=True)
                    if self.readable[f]["indicators"][p].get("satuan")
                },
                key=str.lower,
            )
            head = row
            sheet.put(head, IN["nama"], self.indicator_group_labels[group], "wrap", "group")
            unit_text = ", ".join(units) + (
                " (satuan berbeda)" if len({u.lower() for u in units}) > 1 else ""
            )
            sheet.put(head, IN["satuan"], unit_text or None, "wrap", "group")
            sheet.put(head, IN["kecamatan"], int(counts[group]), "integer", "group")
            detail_first = head + 1
            for offset, record in enumerate(members.itertuples()):
                r = detail_first + offset
                source = self.indicator_rows[(int(record.file), int(record.pos))]
                sheet.put(r, IN["nama"], self.labels[int(record.file)], "wrap", "detail")
                sheet.put(r, IN["satuan"], data.ref(source, DI["satuan"]), "wrap", "detail")
                for name in ("target", "realisasi", "capaian"):
                    kind = "percent" if name == "capaian" else "number"
                    sheet.put(r, IN[name], data.ref(source, DI[name]), kind, "detail")
                sheet.put(r, IN["predikat"], data.ref(source, DI["predikat"]), "wrap", "detail")
                sheet.levels[r] = 1
            detail_last = detail_first + len(members) - 1
            start, end, refs = sheet.span(detail_first, detail_last, IN["capaian"])
            sheet.put(head, IN["capaian"], Average(INDICATOR_SHEET, start, end, refs), "percent", "group")
            for name in ("target", "realisasi", "predikat", "peringkat"):
                sheet.put(head, IN[name], None, "text", "group")
            for r in range(detail_first, detail_last + 1):
                sheet.put(
                    r,
                    IN["peringkat"],
                    Rank(sheet.ref(r, IN["capaian"]), INDICATOR_SHEET, start, end, refs),
                    "integer",
                    "detail",
                )
            self.indicator_groups.append((group, head, detail_first, detail_last, units))
            row = detail_last + 1

    def _unreadable_sheet(self) -> None:
        sheet = self.sheets[UNREADABLE_SHEET]
        row = HEADER_ROW + 1
        if not self.unreadable:
            sheet.put(row, 0, "Semua berkas dapat dibaca.", "text")
        for number, s in enumerate(self.unreadable, 1):
            sheet.put(row, 0, number, "integer")
            sheet.put(row, 1, s["file"], "wrap")
            sheet.put(row, 2, s["path"], "wrap")
            sheet.put(row, 3, s["unreadable"], "wrap")
            row += 1

    def _rules_sheet(self) -> None:
        sheet = self.sheets[RULES_SHEET]
        row = HEADER_ROW
        used: dict[str, list[str]] = {}
        for s in self.readable:
            used.setdefault(s["rules"]["source"], []).append(s["file"])
        for source, files in used.items():
            rules = self._rules_cache.get(source) or parse_rules(source)
            sheet.put(row, 0, f"Aturan: {rules.name}", "text", "group")
            sheet.put(row, 1, f"Dipakai oleh {len(files)} berkas: " + ", ".join(files), "wrap", "group")
            row += 1
            for setting, value in rules.describe():
                sheet.put(row, 0, setting, "text")
                sheet.put(row, 1, value, "wrap")
                row += 1
            row += 1

    # -- JSON ----------------------------------------------------------------------------------------
    def report(self) -> dict[str, Any]:
        summary = self.sheets[SUMMARY_SHEET]

        def v(sheet: _Sheet, row: int, col: int) -> Any:
            value = sheet.value(row, col)
            return (
                int(value)
                if isinstance(value, float) and value.is_integer() and abs(value) < 2**53
                else value
            )

        submissions = []
        for i, s in enumerate(self.readable):
            row = self.summary_rows[i]
            submissions.append(
                {
                    "file": s["file"],
                    "path": s["path"],
                    "instansi": s["instansi"],
                    "pemda": s["pemda"],
                    "tahun": s["tahun"],
                    "template_version": s["template_version"],
                    "rules": s["rules"]["name"],
                    "errors": s["findings"].get("error", 0),
                    "warnings": s["findings"].get("warning", 0),
                    "info": s["findings"].get("info", 0),
                    "programs": len(s["programs"]),
                    "indicators": len(s["indicators"]),
                    "total_pagu": v(summary, row, S["pagu"]),
                    "total_realisasi": v(summary, row, S["realisasi"]),
                    "sisa_anggaran": v(summary, row, S["sisa"]),
                    "persen_serapan": v(summary, row, S["serapan"]),
                    "rata_capaian": v(summary, row, S["rata_capaian"]),
                    "predikat": v(summary, row, S["predikat"]),
                    "jumlah_di_atas": v(summary, row, S["di_atas"]),
                    "jumlah_tepat": v(summary, row, S["tepat"]),
                    "jumlah_di_bawah": v(summary, row, S["di_bawah"]),
                    "peringkat_serapan": v(summary, row, S["peringkat_serapan"]),
                    "peringkat_capaian": v(summary, row, S["peringkat_capaian"]),
                }
            )
        total = self.total_row
        totals = {
            "total_pagu": v(summary, total, S["pagu"]),
            "total_realisasi": v(summary, total, S["realisasi"]),
            "sisa_anggaran": v(summary, total, S["sisa"]),
            "persen_serapan": v(summary, total, S["serapan"]),
            "rata_capaian_antar_kecamatan": v(summary, total, S["rata_capaian"]),
            "errors": v(summary, total, S["kesalahan"]),
            "warnings": v(summary, total, S["peringatan"]),
        }
        by_year = {
            str(year): {
                "total_pagu": v(summary, r, S["pagu"]),
                "total_realisasi": v(summary, r, S["realisasi"]),
                "persen_serapan": v(summary, r, S["serapan"]),
            }
            for year, r in self.year_rows.items()
        }
        programs_sheet, indicators_sheet = self.sheets[PROGRAM_SHEET], self.sheets[INDICATOR_SHEET]
        programs = [
            {
                "program": self.program_group_labels[group],
                "kode": kodes,
                "kecamatan": v(programs_sheet, head, PR["kecamatan"]),
                "pagu": v(programs_sheet, head, PR["pagu"]),
                "realisasi": v(programs_sheet, head, PR["realisasi"]),
                "persen_serapan": v(programs_sheet, head, PR["serapan"]),
            }
            for group, head, _, _, kodes in self.program_groups
        ]
        indicators = [
            {
                "indikator": self.indicator_group_labels[group],
                "satuan": units,
                "kecamatan": v(indicators_sheet, head, IN["kecamatan"]),
                "rata_capaian": v(indicators_sheet, head, IN["capaian"]),
            }
            for group, head, _, _, units in self.indicator_groups
        ]
        return {
            "files": self.file_counts(),
            "years": self.years,
            "template_versions": self.versions,
            "mixed_years": self.mixed_years,
            "mixed_template_versions": self.mixed_versions,
            "notes": self.notes,
            "total": totals,
            "by_year": by_year,
            "submissions": submissions,
            "programs": programs,
            "shared_indicators": indicators,
            "unreadable": self.unreadable_report(),
            "superseded": [
                {"file": old["file"], "saved": old.get("saved"), "replaced_by": newest["file"]}
                for newest, older in self.superseded
                for old in older
            ],
        }


def _same(left: Any, right: Any) -> bool:
    if _number(left) is None or _number(right) is None:
        return _number(left) is None and _number(right) is None
    return math.isclose(left, right, rel_tol=1e-12, abs_tol=1e-9)


def _merge_groups(keys: list[str], kodes: list[Any]) -> list[int]:
    """Group programs by normalised name, joining groups that share a kode (union-find)."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple[str, str], int] = {}
    for i, (key, kode) in enumerate(zip(keys, kodes, strict=True)):
        for label in (("nama", key) if key else None, ("kode", str(kode)) if kode else None):
            if label is None:
                continue
            if label in first_of:
                a, b = find(first_of[label]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                first_of[label] = i
    return [find(i) for i in range(len(keys))]


# -- writing ------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, workbook, builder: _Builder):
        self.workbook = workbook
        self.b = builder
        self.f = _Formats(workbook)

    def write(self) -> None:
        b = self.b
        self.workbook.set_properties(
            {
                "title": "Rekap LKjIP kecamatan",
                "subject": REKAP_SUBJECT,
                "comments": f"Dibuat oleh sakip-xlsx dari {len(b.summaries)} berkas",
            }
        )
        sheets = {name: self.workbook.add_worksheet(name) for name in b.sheets}
        self._summary(sheets[SUMMARY_SHEET])
        mixed = (
            "PERHATIAN: tahun laporan bercampur; bandingkan peringkat hanya antar berkas dengan tahun yang "
            "sama. "
            if b.mixed_years
            else ""
        )
        self._table(
            sheets[RANKING_SHEET],
            RANKING_SHEET,
            RANKING_COLUMNS,
            "Peringkat Kecamatan",
            mixed + "Kiri: menurut serapan anggaran; kanan: menurut rata-rata capaian Sasaran Strategis "
            "(aturan tiap berkas). Nilai dan peringkat (RANK) dirujuk dari lembar Ringkasan.",
        )
        self._table(
            sheets[PROGRAM_SHEET],
            PROGRAM_SHEET,
            PROGRAM_COLUMNS,
            "Pagu, Realisasi dan Serapan per Program di Semua Kecamatan",
            'Program dicocokkan menurut nama (huruf kecil, tanda baca dan kata awal "Program" diabaikan) '
            "atau kode yang sama. Baris tebal = jumlah semua kecamatan; baris di bawahnya = tiap kecamatan "
            "(dapat dilipat). Serapan = realisasi / pagu × 100.",
        )
        self._table(
            sheets[INDICATOR_SHEET],
            INDICATOR_SHEET,
            INDICATOR_COLUMNS,
            "Indikator yang Dipakai Bersama oleh Beberapa Kecamatan",
            "Indikator dicocokkan menurut uraiannya (huruf kecil, tanda baca dan nama kecamatan sendiri "
            "diabaikan). Baris tebal: rata-rata capaian antar kecamatan; capaian tiap kecamatan menurut "
            "aturan berkasnya.",
        )
        self._table(
            sheets[DATA_PROGRAM_SHEET],
            DATA_PROGRAM_SHEET,
            DATA_PROGRAM_COLUMNS,
            "Data Program per Berkas",
            "Pagu dan realisasi tiap program seperti dihitung dari berkasnya (program = jumlah rinciannya). "
            "Total tiap berkas di Ringkasan = SUM baris-barisnya di sini.",
            autofilter=True,
        )
        self._table(
            sheets[DATA_INDICATOR_SHEET],
            DATA_INDICATOR_SHEET,
            DATA_INDICATOR_COLUMNS,
            "Data Indikator per Berkas",
            "Target dan realisasi dari berkas; capaian dan predikat dihitung ulang dengan rumus menurut "
            "aturan tiap berkas (polaritas, target rentang, batas atas/bawah).",
            autofilter=True,
        )
        self._table(
            sheets[UNREADABLE_SHEET],
            UNREADABLE_SHEET,
            UNREADABLE_COLUMNS,
            "Berkas yang Tidak Dapat Dibaca",
            "Berkas ini tidak ikut direkap. Perbaiki atau minta kirim ulang, lalu jalankan rekap lagi.",
        )
        self._rules(sheets[RULES_SHEET])
        sheets[SUMMARY_SHEET].activate()

    # -- cells ---------------------------------------------------------------------------------------
    def _write(self, ws, row: int, col: int, cell: _Cell) -> None:
        fmt = self.f.cell(cell.kind, cell.style)
        content = cell.content
        if isinstance(content, Expr):
            value = guarded_value(content)
            if isinstance(value, str):  # a cached string is written raw: no control characters in XML
                value = _CONTROL_CHARACTERS.sub("", value)
            ws.write_formula(row, col, cell_formula(content), fmt, "" if value is None else value)
        elif content is None or content == "":
            ws.write_blank(row, col, None, fmt)
        elif isinstance(content, bool):
            ws.write_string(row, col, str(content), fmt)
        elif isinstance(content, (int, float)):
            if math.isfinite(content):
                ws.write_number(row, col, content, fmt)
            else:
                ws.write_blank(row, col, None, fmt)
        else:
            ws.write_string(row, col, str(content)[:32000], fmt)

    def _cells(self, ws, sheet: _Sheet, widths: Sequence[float]) -> None:
        lines: dict[int, int] = {}
        for (row, col), cell in sheet.cells.items():
            if cell.kind == "wrap" and col < len(widths):
                content = guarded_value(cell.content) if isinstance(cell.content, Expr) else cell.content
                bold = cell.style in _BOLD_STYLES
                lines[row] = max(lines.get(row, 1), _lines(content, widths[col], bold))
        for row in sorted(set(lines) | set(sheet.levels)):
            height = 15 * min(lines.get(row, 1), 8) if lines.get(row, 1) > 1 else None
            options = {"level": sheet.levels[row]} if row in sheet.levels else None
            if height is not None or options:
                ws.set_row(row, height, None, options)
        for (row, col), cell in sorted(sheet.cells.items()):
            self._write(ws, row, col, cell)

    def _heading(self, ws, title: str, note: str, widths: Sequence[float]) -> None:
        ws.write_string(0, 0, title, self.f.title)
        # the note wraps across the sheet's columns (text running past them would widen the page)
        warn = note.startswith("PERHATIAN")
        last = _first_page_columns(widths) - 1
        if last > 0:
            ws.merge_range(1, 0, 1, last, note, self.f.warn_note if warn else self.f.note)
        else:
            ws.write_string(1, 0, note, self.f.warn_note if warn else self.f.note)
        lines = _lines(note, sum(widths[: last + 1]), bold=warn)
        if lines > 1:
            ws.set_row(1, 15 * min(lines, 6))

    def _header(self, ws, row: int, columns: Sequence[_Column]) -> None:
        for col, column in enumerate(columns):
            ws.set_column(col, col, column.width)
            if column.header:
                ws.write_string(row, col, column.header, self.f.header)
        # bold, centred header text needs a little more room than body text
        needed = max((_lines(c.header, c.width * 0.85) for c in columns if c.header), default=1)
        ws.set_row(row, 15 * needed + 4)

    def _print(
        self, ws, header_row: int | None, widths: Sequence[float], smallest_font: float = 11.0
    ) -> None:
        """A4, legible (see formats.set_print); ``widths`` of the printed columns."""
        set_print(ws, widths, smallest_font=smallest_font, repeat_row=header_row, repeat_columns=1)
        ws.set_header("&L&11Rekap LKjIP&R&11&A")
        ws.set_footer("&L&11sakip-xlsx&R&11Halaman &P dari &N")

    def _table(
        self, ws, name: str, columns: Sequence[_Column], title: str, note: str, autofilter: bool = False
    ) -> None:
        sheet = self.b.sheets[name]
        self._heading(ws, title, note, [c.width for c in columns])
        self._header(ws, HEADER_ROW, columns)
        self._cells(ws, sheet, [c.width for c in columns])
        if autofilter and sheet.cells:
            last = max(row for row, _ in sheet.cells)
            ws.autofilter(HEADER_ROW, 0, last, len(columns) - 1)
        ws.freeze_panes(HEADER_ROW + 1, 0)
        self._print(ws, HEADER_ROW, [c.width for c in columns])

    # -- summary -----------------------------------------------------------------------------------
    def _summary(self, ws) -> None:
        b, f = self.b, self.f
        counts = b.file_counts()
        self._heading(
            ws,
            "Rekap LKjIP Kecamatan",
            f"Dibuat oleh sakip-xlsx dari {counts['total']} berkas: {counts['read']} terbaca"
            + (f" ({counts['superseded']} diganti kiriman yang lebih baru)" if counts["superseded"] else "")
            + f", {counts['unreadable']} tidak terbaca. Angka turunan adalah rumus atas lembar Data Program dan "
            "Data Indikator; capaian dan predikat menurut aturan tiap berkas.",
            [c.width for c in SUMMARY_COLUMNS],
        )
        notes = [n["message"] for n in b.notes]
        if len(notes) > NOTE_ROWS:
            notes = notes[: NOTE_ROWS - 1] + [" ".join(notes[NOTE_ROWS - 1 :])]
        if not notes:
            year = b.main_year if b.main_year is not None else "-"
            notes = [f"Tidak ada catatan: semua berkas tahun {year}, template versi {b.main_version}."]
        span = _first_page_columns([c.width for c in SUMMARY_COLUMNS])
        width = sum(c.width for c in SUMMARY_COLUMNS[:span])
        for offset, message in enumerate(notes):
            fmt = f.warn if message.startswith("PERHATIAN") else f.remark
            row = NOTE_FIRST_ROW + offset
            ws.merge_range(row, 0, row, span - 1, message, fmt)
            needed = _lines(message, width)
            if needed > 1:
                ws.set_row(row, 15 * min(needed, 4))
        self._header(ws, SUMMARY_HEADER_ROW, SUMMARY_COLUMNS)
        self._cells(ws, b.sheets[SUMMARY_SHEET], [c.width for c in SUMMARY_COLUMNS])
        ws.freeze_panes(SUMMARY_HEADER_ROW + 1, 2)
        self._charts(ws)
        self._print(ws, SUMMARY_HEADER_ROW, [c.width for c in SUMMARY_COLUMNS])

    def _charts(self, ws) -> None:
        b = self.b
        n = len(b.readable)
        height = max(260, 70 + 22 * n)
        anchor = b.chart_row
        ws.set_h_pagebreaks([anchor])  # the charts start a page: a page edge would cut one in two
        for value, col, title, label in (
            ("serapan", RK["serapan"], "Serapan Anggaran per Kecamatan (%)", "Serapan (%)"),
            (
                "capaian",
                RK["capaian"],
                f"Rata-rata Capaian {MAIN_JENIS} per Kecamatan (%)",
                "Rata-rata capaian (%)",
            ),
        ):
            rows = b.ranking_rows[value]
            name_col = RK["instansi"] if value == "serapan" else RK["instansi_c"]
            chart = self.workbook.add_chart({"type": "bar"})
            chart.add_series(
                {
                    "name": label,
                    "categories": [RANKING_SHEET, rows[0], name_col, rows[-1], name_col],
                    "values": [RANKING_SHEET, rows[0], col, rows[-1], col],
                    "fill": {"color": "#2E75B6" if value == "serapan" else "#548235"},
                    "data_labels": {"value": True, "num_format": "0.00"},
                }
            )
            chart.set_title({"name": title})
            chart.set_x_axis({"min": 0, "num_format": "0"})
            chart.set_y_axis({"reverse": True})
            chart.set_legend({"none": True})
            chart.set_size({"width": _chart_width([c.width for c in SUMMARY_COLUMNS]), "height": height})
            ws.insert_chart(anchor, 1, chart)
            anchor += math.ceil(height / 20) + 2

    def _rules(self, ws) -> None:
        sheet = self.b.sheets[RULES_SHEET]
        self._heading(
            ws,
            "Aturan Perhitungan yang Dipakai",
            "Capaian, predikat dan jumlah indikator di atas/di bawah target tiap berkas dihitung menurut "
            "aturan yang tertanam di berkas itu (atau --rules bila diberikan).",
            [38, 90],
        )
        ws.set_column(0, 0, 38)
        ws.set_column(1, 1, 90)
        self._cells(ws, sheet, [38, 90])
        self._print(ws, None, [38, 90])


class _Formats:
    def __init__(self, workbook):
        add = workbook.add_format
        self.add = add
        self.title = add({"bold": True, "font_size": 14, "font_color": TITLE_FONT})
        self.note = add({"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"})
        self.warn_note = add({"bold": True, "font_color": "#9C0006", "text_wrap": True, "valign": "top"})
        self.remark = add({"font_color": "#1F4E78", "text_wrap": True, "valign": "top"})
        self.warn = add(
            {
                "bold": True,
                "font_color": "#9C0006",
                "bg_color": SEVERITY_FILL["warning"],
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.header = add(
            {
                "bold": True,
                "text_wrap": True,
                "align": "center",
                "valign": "vcenter",
                "font_color": HEADER_FONT,
                "bg_color": HEADER_FILL,
                "border": 1,
            }
        )
        self._cells: dict[tuple[str, str], Any] = {}

    def cell(self, kind: str, style: str):
        key = (kind, style)
        if key not in self._cells:
            props: dict[str, Any] = {"border": 1, "border_color": "#BFBFBF", "valign": "top"}
            if kind_format(kind, DECIMALS):
                props["num_format"] = kind_format(kind, DECIMALS)
            elif kind == "wrap":
                props["text_wrap"] = True
            if style in ("group", "total"):
                props["bold"] = True
                props["bg_color"] = "#DDEBF7" if style == "group" else "#F2F2F2"
            if style == "total":
                props["top"] = 2
            if style == "flag":
                props["bg_color"] = SEVERITY_FILL["warning"]
                props["bold"] = True
            if style == "detail" and kind in ("wrap", "text"):
                props["indent"] = 1
            self._cells[key] = self.add(props)
        return self._cells[key]


def format_text_report(report: dict[str, Any]) -> str:
    """Short Indonesian summary of a rekap run for the terminal."""
    files = report["files"]
    lines = []
    if report.get("written"):
        lines.append(f"Rekap ditulis: {report['output']}")
    else:
        lines.append("Rekap tidak dibuat.")
    lines.append(
        f"  {files['read']} berkas terbaca, {files['unreadable']} tidak terbaca"
        + (f" (lihat lembar {UNREADABLE_SHEET})." if files["unreadable"] and report.get("written") else ".")
    )
    total = report.get("total") or {}
    if total.get("total_pagu") is not None:
        serapan = total.get("persen_serapan")
        lines.append(
            f"  Total pagu Rp {_rupiah(total['total_pagu'])}, realisasi Rp "
            f"{_rupiah(total.get('total_realisasi'))}, serapan "
            + (f"{serapan:.2f}".replace(".", ",") + " %." if serapan is not None else "-.")
        )
    for note in report.get("notes", []):
        lines.append(f"  Catatan: {note['message']}")
    return "\n".join(lines)


def _newest_submissions(
    readable: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """One submission per instansi, pemda and year: a revised re-submission replaces the older
    one (the later saved time inside the workbook; on a tie, the later file in the list).

    Returns the submissions kept, in their order, and (kept, replaced ones) per group.
    """
    groups: dict[str, list[int]] = {}
    for index, summary in enumerate(readable):
        key = "|".join(
            (normalise_text(summary["pemda"]), normalise_text(summary["instansi"]), str(summary["tahun"]))
        )
        groups.setdefault(key, []).append(index)
    kept: set[int] = set()
    superseded = []
    for members in groups.values():
        newest = max(members, key=lambda i: (readable[i].get("saved") or "", i))
        kept.add(newest)
        if len(members) > 1:
            superseded.append((readable[newest], [readable[i] for i in members if i != newest]))
    return [s for i, s in enumerate(readable) if i in kept], superseded


def _display_names(readable: list[dict[str, Any]]) -> list[str]:
    """How each submission is named in the rekap: its instansi, with its pemda and year when
    another submission has the same instansi name (two Kecamatan Ngoro of two kabupaten)."""
    by_name: dict[str, list[dict[str, Any]]] = {}
    for summary in readable:
        by_name.setdefault(normalise_text(summary["instansi"]), []).append(summary)
    names = []
    for summary in readable:
        same = by_name[normalise_text(summary["instansi"])]
        parts = []
        if len({normalise_text(s["pemda"]) for s in same}) > 1:
            parts.append(str(summary["pemda"] or "-"))
        if len({str(s["tahun"]) for s in same}) > 1:
            parts.append(f"tahun {summary['tahun']}")
        names.append(f"{summary['instansi']} ({', '.join(parts)})" if parts else str(summary["instansi"]))
    return names


def _chart_width(widths: Sequence[float], most: int = 760) -> int:
    """Pixels of a chart anchored in the second column that stays within the columns printed
    on the first page at full size (a chart across a page edge is cut in two)."""
    room = A4_POINTS[1] - 2 * PRINT_MARGIN * 72
    used = column_points(widths[0]) if widths else 0.0
    pixels = 0
    for width in widths[1:]:
        used += column_points(width)
        if used > room:
            break
        pixels += int(width * 7 + 0.5) + 5  # the column's pixels in Excel (narrower than printed here)
    return max(300, min(most, pixels))


def _first_page_columns(widths: Sequence[float], room: float = 150) -> int:
    """How many leading columns a note may span and still print on the first page (about
    ``room`` characters: an A4 landscape page at the smallest legible scale)."""
    used, count = 0.0, 0
    for width in widths:
        if count and used + width > room:
            break
        used += width
        count += 1
    return count


#: cell styles written in bold (formats of _Formats.cell)
_BOLD_STYLES = frozenset({"group", "total", "flag"})


def _lines(text: Any, width: float, bold: bool = False) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide."""
    return wrapped_lines(None if text is None else str(text), width, bold)


def _rupiah(value: Any) -> str:
    if _number(value) is None:
        return "-"
    return f"{value:,.0f}".replace(",", ".")


def iter_unreadable(summaries: Iterable[dict[str, Any]]) -> Iterable[tuple[str, str]]:
    """(file, reason) of every summary that could not be read."""
    for s in summaries:
        if s.get("unreadable"):
            yield s["path"], s["unreadable"]


__all__ = [
    "collect_summaries",
    "default_jobs",
    "format_text_report",
    "indicator_key",
    "indicator_label",
    "iter_unreadable",
    "normalise_text",
    "program_key",
    "summarise_file",
    "summary_report",
    "write_rekap",
]
