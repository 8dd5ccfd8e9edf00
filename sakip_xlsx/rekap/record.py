"""The summary of one submission: the record stage 1 of the rekap hands to stage 2.

A plain dict at run time (it travels between worker processes and is written as JSON;
tests round-trip it), typed here so that every key and what it holds is written once.
A file that could not be read has only ``file``, ``path`` and ``unreadable`` (its reason).
"""

from typing import Any, NotRequired, TypedDict

#: a figure as read or computed: a number, or None when missing or not a number
Figure = int | float | None


class ProgramFigures(TypedDict):
    """One program of the file's Realisasi Anggaran."""

    kode: str | None
    uraian: Any
    pagu: Figure
    realisasi: Figure


class IndicatorFigures(TypedDict):
    """One indicator of the file's Tabel 3.1 (its order)."""

    kode: str | None
    uraian: Any
    jenis: str
    satuan: Any
    polaritas: Any
    target: Any
    #: the upper bound compute() uses: the typed one, else the upper end of a "60 - 70" target
    target_atas: Any
    realisasi: Any
    capaian: Figure


class RulesSource(TypedDict):
    """The file's own rules, as their name and TOML text (parsed once per source by ``RulesBook``)."""

    name: str
    source: str


class Summary(TypedDict):
    """One submission: identity, finding counts, programs, indicators and the file's own totals."""

    file: str
    path: str
    #: why the file could not be read (Indonesian); None for a file that was read
    unreadable: str | None
    saved: NotRequired[str | None]
    instansi: NotRequired[str | None]
    pemda: NotRequired[Any]
    tahun: NotRequired[Any]
    template_version: NotRequired[str | None]
    rules: NotRequired[RulesSource]
    #: count per severity: error, warning, info
    findings: NotRequired[dict[str, int]]
    has_macros: NotRequired[bool]
    programs: NotRequired[list[ProgramFigures]]
    indicators: NotRequired[list[IndicatorFigures]]
    #: the file's own totals (name -> value), see ``Computation.totals``
    totals: NotRequired[dict[str, Any]]
