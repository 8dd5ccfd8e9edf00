"""Kabupaten consolidation (``sakip-xlsx rekap``): one workbook comparing every kecamatan submission.

Two stages:

1. :mod:`.summary`: :func:`summarise_file` checks one submission and returns its figures
   as a plain, picklable dict (identity, finding counts, every program's pagu and
   realisasi, every indicator's target and realisasi, the file's own totals; its keys are
   typed in :mod:`.record`);
   :func:`collect_summaries` runs it for many files in the shared worker pool.  A file
   that cannot be read never stops the run: its dict carries ``unreadable`` (an
   Indonesian reason) instead of figures.
2. :mod:`.build` tabulates the dicts (pandas: grouping, matching, ordering) and lays out
   every sheet as cells (:mod:`.layout`: sheets, rows, columns; :mod:`.matching`: which
   programs and indicators of different files are the same; :mod:`.data`,
   :mod:`.overview`, :mod:`.groups`: the sheets); :mod:`.write` writes the workbook
   (xlsxwriter) and :mod:`.report` the JSON summary.

Auditability: the per-file raw figures are written as values on the data sheets ("Data
Program", "Data Indikator"); everything derived from them is a live formula built with
:mod:`sakip_xlsx.expr` (so its cached value is the same Python computation): capaian per
indicator under that file's rules, each file's total pagu / realisasi (SUM over its program
rows), serapan, rata-rata capaian (AVERAGE over its Sasaran Strategis rows), predikat on the
file's own scale, counts above / at / below target (COUNTIF), rankings (RANK) and totals
(SUM / SUMIF).

Mixed report years, template versions or calculation rules, and one instansi sent twice,
are flagged in Indonesian on the summary sheet and in the JSON ``notes`` (with per-year
subtotals when years are mixed).
"""

from __future__ import annotations

from .build import NothingToConsolidate
from .matching import indicator_key, indicator_label, program_key
from .report import format_text_report, summary_report
from .summary import collect_summaries, default_jobs, iter_unreadable, summarise_file
from .write import write_rekap

__all__ = [
    "NothingToConsolidate",
    "collect_summaries",
    "default_jobs",
    "format_text_report",
    "indicator_key",
    "indicator_label",
    "iter_unreadable",
    "program_key",
    "summarise_file",
    "summary_report",
    "write_rekap",
]
