"""The "Ringkasan" sheet (one row per file, totals, per-year subtotals) and the "Peringkat" sheet."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import quantities as q
from ..expr import Average, CountIf, RangeSum, SumIf
from ..precision import is_number
from .layout import (
    DATA_INDICATOR,
    DATA_INDICATOR_SHEET,
    DATA_PROGRAM,
    DATA_PROGRAM_SHEET,
    HEADER_ROW,
    RANKING,
    RANKING_SHEET,
    SUMMARY,
    SUMMARY_HEADER_ROW,
    SUMMARY_SHEET,
)
from .record import Summary

if TYPE_CHECKING:
    from .build import Rekap

#: summary columns summed on the total row
_SUMMED = (
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
)


@dataclass
class SummaryRows:
    """Where the summary sheet put its rows."""

    #: the row of each readable file, in order
    rows: list[int]
    total: int
    #: year -> its subtotal row (mixed years only)
    years: dict[Any, int]
    #: the first row of the charts
    chart: int


def summary(rekap: Rekap) -> SummaryRows:
    sheet = rekap.sheets[SUMMARY_SHEET]
    columns = SUMMARY
    first = SUMMARY_HEADER_ROW + 1
    last = first + len(rekap.readable) - 1
    rows = list(range(first, last + 1))
    for i, s in enumerate(rekap.readable):
        _file_row(rekap, first + i, i, s)
    for name, rank in (("serapan", "peringkat_serapan"), ("rata_capaian", "peringkat_capaian")):
        sheet.put_ranks(first, last, columns[name], columns[rank])
    total = last + 1
    _total_row(rekap, total, first, last)
    # per-year subtotals when years are mixed (never silently pooled)
    years: dict[Any, int] = {}
    row = total + 1
    if rekap.mixed_years:
        tahun_span = sheet.span(first, last, columns["tahun"])
        for year in rekap.years:
            if not is_number(year):
                continue
            count = sum(1 for s in rekap.readable if s["tahun"] == year)
            sheet.put(row, columns["instansi"], f"Jumlah tahun {year} ({count} berkas)", "wrap", "total")
            sheet.put(row, columns["tahun"], year, "year", "total")
            for name in ("pagu", "realisasi"):
                values = sheet.span(first, last, columns[name])
                sheet.put(
                    row,
                    columns[name],
                    SumIf(SUMMARY_SHEET, tahun_span[:2], tahun_span[2], values[:2], values[2], year),
                    "rupiah",
                    "total",
                )
            pagu, realisasi = sheet.ref(row, columns["pagu"]), sheet.ref(row, columns["realisasi"])
            sheet.put(row, columns["sisa"], q.selisih(pagu, realisasi), "rupiah", "total")
            sheet.put(row, columns["serapan"], q.serapan(pagu, realisasi), "percent", "total")
            years[year] = row
            row += 1
    return SummaryRows(rows, total, years, row + 2)


def _file_row(rekap: Rekap, row: int, i: int, s: Summary) -> None:
    """The summary row of the ``i``-th readable file ``s``."""
    sheet, columns = rekap.sheets[SUMMARY_SHEET], SUMMARY
    programs, indicators = rekap.sheets[DATA_PROGRAM_SHEET], rekap.sheets[DATA_INDICATOR_SHEET]
    put = functools.partial(sheet.put, row)
    put(columns["no"], i + 1, "integer")
    put(columns["instansi"], rekap.labels[i], "wrap")
    put(columns["pemda"], s["pemda"], "wrap")
    put(
        columns["tahun"],
        s["tahun"],
        "year",
        "flag" if rekap.mixed_years and s["tahun"] != rekap.main_year else "normal",
    )
    put(columns["berkas"], s["file"], "wrap")
    put(
        columns["versi"],
        s["template_version"],
        "text",
        "flag" if s["template_version"] != rekap.main_version else "normal",
    )
    put(columns["aturan"], s["rules"]["name"], "wrap")
    for severity, column in (("error", "kesalahan"), ("warning", "peringatan"), ("info", "info")):
        put(columns[column], s["findings"].get(severity, 0), "integer")
    put(columns["jumlah_program"], len(s["programs"]), "integer")
    if i in rekap.data_programs.file_rows:
        a, b = rekap.data_programs.file_rows[i]
        for name in ("pagu", "realisasi"):
            put(
                columns[name],
                RangeSum(DATA_PROGRAM_SHEET, *programs.span(a, b, DATA_PROGRAM[name])),
                "rupiah",
            )
    pagu, realisasi = sheet.ref(row, columns["pagu"]), sheet.ref(row, columns["realisasi"])
    put(columns["sisa"], q.selisih(pagu, realisasi), "rupiah")
    put(columns["serapan"], q.serapan(pagu, realisasi), "percent")
    put(columns["jumlah_indikator"], len(s["indicators"]), "integer")
    main_rows = rekap.data_indicators.main_rows or {}
    if i in main_rows:
        a, b = main_rows[i]
        put(
            columns["rata_capaian"],
            Average(DATA_INDICATOR_SHEET, *indicators.span(a, b, DATA_INDICATOR["capaian"])),
            "percent",
        )
    put(columns["predikat"], q.predikat(sheet.ref(row, columns["rata_capaian"]), rekap.rules.of(s)), "wrap")
    if i in rekap.data_indicators.file_rows:
        a, b = rekap.data_indicators.file_rows[i]
        start, end, refs = indicators.span(a, b, DATA_INDICATOR["capaian"])
        for name, op in (("di_atas", ">"), ("tepat", "="), ("di_bawah", "<")):
            put(columns[name], CountIf(DATA_INDICATOR_SHEET, start, end, refs, op, 100), "integer")


def _total_row(rekap: Rekap, total: int, first: int, last: int) -> None:
    sheet, columns = rekap.sheets[SUMMARY_SHEET], SUMMARY
    sheet.put(total, columns["instansi"], f"Jumlah ({len(rekap.readable)} berkas)", "wrap", "total")
    for name in _SUMMED:
        sheet.put(
            total,
            columns[name],
            RangeSum(SUMMARY_SHEET, *sheet.span(first, last, columns[name])),
            columns.kind(name),
            "total",
        )
    pagu, realisasi = sheet.ref(total, columns["pagu"]), sheet.ref(total, columns["realisasi"])
    sheet.put(total, columns["sisa"], q.selisih(pagu, realisasi), "rupiah", "total")
    sheet.put(total, columns["serapan"], q.serapan(pagu, realisasi), "percent", "total")
    sheet.put(
        total,
        columns["rata_capaian"],
        Average(SUMMARY_SHEET, *sheet.span(first, last, columns["rata_capaian"])),
        "percent",
        "total",
    )
    sheet.put(total, columns["predikat"], "rata-rata antar kecamatan", "wrap", "total")
    for col in range(len(columns)):
        if (total, col) not in sheet.cells:
            sheet.put(total, col, None, "text", "total")


def rankings(rekap: Rekap) -> dict[str, list[int]]:
    """The two rankings side by side (by serapan, by rata-rata capaian): the rows of each."""
    summary, sheet = rekap.sheets[SUMMARY_SHEET], rekap.sheets[RANKING_SHEET]
    summary_rows = rekap.summary.rows
    frame = rekap.files.copy()
    frame["serapan"] = [summary.value(r, SUMMARY["serapan"]) for r in summary_rows]
    frame["capaian"] = [summary.value(r, SUMMARY["rata_capaian"]) for r in summary_rows]
    placed = {}
    for value, targets, sources in (
        (
            "serapan",
            ("peringkat", "instansi", "tahun", "serapan"),
            ("peringkat_serapan", "instansi", "tahun", "serapan"),
        ),
        (
            "capaian",
            ("peringkat_c", "instansi_c", "tahun_c", "capaian"),
            ("peringkat_capaian", "instansi", "tahun", "rata_capaian"),
        ),
    ):
        ordered = frame.sort_values(
            [value, "index"], ascending=[False, True], na_position="last", kind="stable"
        )
        rows = []
        for offset, index in enumerate(ordered["index"].tolist()):
            row = HEADER_ROW + 1 + offset
            summary_row = summary_rows[index]
            for target, origin in zip(targets, sources, strict=True):
                sheet.put(
                    row, RANKING[target], summary.ref(summary_row, SUMMARY[origin]), RANKING.kind(target)
                )
            if value == "capaian":
                sheet.put(row, RANKING["predikat"], summary.ref(summary_row, SUMMARY["predikat"]), "wrap")
            rows.append(row)
        placed[value] = rows
    return placed
