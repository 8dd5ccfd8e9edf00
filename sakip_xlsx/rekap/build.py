"""Stage 2 of the rekap: the summaries tabulated and laid out as cells, sheet by sheet.

:class:`Rekap` holds what every sheet shares (the submissions kept, their display
names, the notes, each file's rules, the cell grid of every sheet); the sheets are
laid out in order by :mod:`.data` (the per-file data sheets), :mod:`.overview` (the
summary and the rankings) and :mod:`.groups` (programs and shared indicators across
files, unreadable files, rules), each returning where it put its rows.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..errors import SakipError
from ..rules import Rules, parse_rules
from . import data, groups, overview
from .layout import SHEETS, UNREADABLE_SHEET, SheetCells
from .matching import Summary, display_names, newest_submissions


class NothingToConsolidate(SakipError, ValueError):
    """No submission could be read: there is no rekap to write."""


class RulesBook:
    """Each file's own rules, parsed once per distinct TOML source (a summary carries them as text)."""

    def __init__(self) -> None:
        self._parsed: dict[str, Rules] = {}

    def of(self, summary: Summary) -> Rules:
        source = summary["rules"]["source"]
        if source not in self._parsed:
            self._parsed[source] = parse_rules(source, origin=summary["rules"]["name"])
        return self._parsed[source]


class Rekap:
    """The rekap of a list of summaries: what every sheet shares, then each sheet's layout."""

    def __init__(self, summaries: list[Summary]):
        self.summaries = summaries
        readable = [s for s in summaries if not s.get("unreadable")]
        self.readable, self.superseded = newest_submissions(readable)
        self.labels = display_names(self.readable)
        self.unreadable = [s for s in summaries if s.get("unreadable")]
        self.rules = RulesBook()
        self.notes: list[dict[str, str]] = []
        self.sheets = {name: SheetCells(name) for name in SHEETS}
        if not self.readable:
            self._note("tidak-ada-berkas", "Tidak ada berkas yang dapat dibaca; rekap tidak dibuat.")

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

    def build(self) -> None:
        """Lay out every sheet (needs at least one readable summary)."""
        import pandas as pd

        self.files = pd.DataFrame(
            [
                {
                    "index": i,
                    "instansi": s["instansi"],
                    "tahun": s["tahun"],
                    "versi": s["template_version"],
                    "aturan": s["rules"]["name"],
                    "source": s["rules"]["source"],
                    "file": s["file"],
                }
                for i, s in enumerate(self.readable)
            ]
        )
        self._flags()
        self.data_programs = data.programs(self)
        self.data_indicators = data.indicators(self)
        self.summary = overview.summary(self)
        self.rankings = overview.rankings(self)
        self.program_groups = groups.programs(self)
        self.indicator_groups = groups.indicators(self)
        groups.unreadable(self)
        groups.rules(self)

    def _flags(self) -> None:
        """The notes on what is mixed or doubled among the files (and the values they flag)."""
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
        if self.files["source"].nunique() > 1:
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
