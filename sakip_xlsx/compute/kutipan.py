"""Figures the narrative cites (Kutipan): each citation's one true value."""

from __future__ import annotations

import re
from typing import Any

from .. import quantities as q
from ..expr import Expr, Num, Sum
from ..model import BudgetLine, Submission
from ..names import normalise_name
from ..tables import DColumn, DerivedTable
from .figures import BLANK_CELL, input_ref
from .plan import Resolver, cited_lines, is_lines_kode, year_span

#: the besaran counting the items (layanan, desa, ...) of a table on the Tabel Bebas sheet
ROW_COUNT = "jumlah baris tabel"


def free_tables_named(sub: Submission, kode: Any) -> list[Any]:
    """The free tables (Tabel Bebas) a citation's kode names: one, none, or several (ambiguous)."""
    if not sub.free_tables:
        return []
    from ..freetables import tables_named  # loaded already: the workbook has free tables

    return tables_named(sub.free_tables, kode)


class KutipanTables:
    """Part of the computation (mixed into ``_Computer``; its state is set by ``_Computer.__init__``)."""

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
        if besaran == ROW_COUNT:
            return self._row_count(kode)
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

    def _row_count(self, kode: Any) -> Expr | None:
        """The number of items (data rows with figures) of the one free table ``kode`` names."""
        found = free_tables_named(self.sub, kode)
        return Num(len(found[0].item_rows())) if len(found) == 1 else None

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
