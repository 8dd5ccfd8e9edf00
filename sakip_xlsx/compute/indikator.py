"""Tabel 3.1 and the indicator tables: capaian kinerja, comparison with earlier years, kemajuan (progress towards the Renstra target), comparison with other regions."""

from __future__ import annotations

from typing import Any

from .. import quantities as q
from ..expr import Average, CountIf, Num
from ..model import Record
from ..precision import is_number
from ..tables import DColumn, DerivedTable
from .figures import BLANK_CELL, IndikatorResult, _blank_if_none, input_ref


class IndikatorTables:
    """Part of the computation (mixed into ``_Computer``; its state is set by ``_Computer.__init__``)."""

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
            self.indikator[record.row] = IndikatorResult(
                record, jenis, capaian, capaian_ref, target_atas=upper
            )
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
            if is_number(tahun)
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
