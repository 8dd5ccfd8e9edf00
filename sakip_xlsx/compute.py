"""Recompute every derived LKjIP table (Bab III) from a submission.

Pure: takes a :class:`~sakip_xlsx.model.Submission`, returns a
:class:`Computation` holding the derived tables (cells are expressions or
plain values) and, per input record, the expressions the checks compare the
stated figures with.  Input cells are referenced where the results workbook
copies them: same sheet name, same cell address as in the submitted file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import quantities as q
from .description import column_letter
from .expr import Average, CountIf, Expr, Num, Ref, Sum, Text, guarded_value
from .model import BudgetLine, Record, Submission

TITLE_ROW, NOTE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3, 4


@dataclass(frozen=True)
class DColumn:
    """A column of a derived table."""

    id: str
    header: str
    kind: str = "text"  # text | kode | rupiah | percent | number | integer
    width: float = 14


@dataclass
class DRow:
    key: str | None
    cells: dict[str, Any]
    style: str = "normal"  # normal | program | kegiatan | total


@dataclass
class DerivedTable:
    """One Bab III table of the results workbook."""

    id: str
    sheet: str
    title: str
    columns: list[DColumn]
    note: str = ""
    rows: list[DRow] = field(default_factory=list)

    def column(self, column_id: str) -> str:
        return column_letter([c.id for c in self.columns].index(column_id))

    def cell(self, index: int, column_id: str) -> str:
        return f"{self.column(column_id)}{FIRST_ROW + index}"

    def add(self, key: str | None, cells: dict[str, Any], style: str = "normal") -> int:
        self.rows.append(DRow(key, cells, style))
        return len(self.rows) - 1

    def ref(self, index: int, column_id: str) -> Ref:
        """A reference to a cell of this table, carrying its computed value."""
        content = self.rows[index].cells.get(column_id)
        cached = guarded_value(content) if isinstance(content, Expr) else content
        return Ref(self.sheet, self.cell(index, column_id), cached)

    def span(self, first: int, last: int, column_id: str) -> tuple[str, str, tuple[Ref, ...]]:
        refs = tuple(self.ref(i, column_id) for i in range(first, last + 1))
        return self.cell(first, column_id), self.cell(last, column_id), refs


@dataclass
class IndikatorResult:
    record: Record
    jenis: str
    capaian: Expr | None = None
    capaian_ref: Ref | None = None
    kemajuan: Expr | None = None
    efisiensi: Expr | None = None
    serapan: Expr | None = None


@dataclass
class BudgetResult:
    line: BudgetLine
    pagu: Expr
    realisasi: Expr
    pagu_ref: Ref | None = None
    realisasi_ref: Ref | None = None
    selisih: Expr | None = None
    serapan: Expr | None = None
    capaian: Expr | None = None
    #: True when pagu/realisasi are the Σ of children (then a typed value is checked)
    rolled_up: bool = False


@dataclass
class Computation:
    tables: list[DerivedTable]
    indikator: dict[int, IndikatorResult]
    budget: dict[int, BudgetResult]
    totals: dict[str, Expr]
    penduduk: dict[int, dict[str, Expr]]
    pk_by_program: dict[str, dict[str, Expr]]
    #: (sheet, cell) of each derived total shown on the summary
    summary: dict[str, Ref] = field(default_factory=dict)


def input_ref(record: Record, field_id: str) -> Ref | None:
    """Reference to an input cell as copied into the results workbook."""
    entry = record.entry(field_id)
    if entry is None:
        return None
    value = entry.value
    if entry.parsed is not None and getattr(entry.parsed, "kind", None) == "range":
        value = entry.parsed.value
    return Ref(entry.sheet, entry.cell, value)


def _program_name(text: Any) -> str:
    words = re.sub(r"[^0-9a-z]+", " ", str(text or "").lower()).split()
    if words and words[0] == "program":
        words = words[1:]
    return " ".join(words)


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


def _blank_if_none(expr: Expr | None) -> Expr:
    return expr if expr is not None else Text("")


def compute(submission: Submission) -> Computation:
    """Every derived table and expected figure of a submission."""
    return _Computer(submission).run()


class _Computer:
    def __init__(self, submission: Submission):
        self.sub = submission
        self.rules = submission.rules
        self.tables: list[DerivedTable] = []
        self.indikator: dict[int, IndikatorResult] = {}
        self.budget: dict[int, BudgetResult] = {}
        self.totals: dict[str, Expr] = {}
        self.penduduk: dict[int, dict[str, Expr]] = {}
        self.pk_by_program: dict[str, dict[str, Expr]] = {}
        self.summary: dict[str, Ref] = {}
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
        self._pk_vs_dpa()
        self._penduduk()
        return Computation(
            self.tables, self.indikator, self.budget, self.totals, self.penduduk, self.pk_by_program, self.summary
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
        rows: dict[int, int] = {}

        def place(line: BudgetLine) -> None:
            record = line.record
            index = table.add(
                record.key,
                {"kode": record.key, "tingkat": record.get("tingkat"), "uraian": record.get("uraian")},
                {0: "program", 1: "kegiatan"}.get(line.level, "normal"),
            )
            rows[record.row] = index
            for child in line.children:
                place(child)

        for program in self.sub.programs:
            place(program)

        def fill(line: BudgetLine) -> None:
            for child in line.children:
                fill(child)
            record, index = line.record, rows[line.record.row]
            cells = table.rows[index].cells
            result = BudgetResult(line, Text(""), Text(""))
            for field_id in ("pagu", "realisasi"):
                children = [c for c in line.children if self._has_amount(c, field_id)]
                if children:
                    expr: Expr = Sum(tuple(table.ref(rows[c.record.row], field_id) for c in line.children))
                    result.rolled_up = True
                else:
                    expr = _blank_if_none(input_ref(record, field_id))
                cells[field_id] = expr
                setattr(result, field_id, expr)
            result.pagu_ref = table.ref(index, "pagu")
            result.realisasi_ref = table.ref(index, "realisasi")
            result.selisih = q.selisih(result.pagu_ref, result.realisasi_ref)
            result.serapan = q.serapan(result.pagu_ref, result.realisasi_ref)
            cells["selisih"] = result.selisih
            cells["serapan"] = result.serapan
            self.budget[record.row] = result

        for program in self.sub.programs:
            fill(program)
        program_rows = [rows[p.record.row] for p in self.sub.programs]
        pagu = Sum(tuple(table.ref(i, "pagu") for i in program_rows))
        realisasi = Sum(tuple(table.ref(i, "realisasi") for i in program_rows))
        index = table.add(None, {"uraian": "Jumlah", "pagu": pagu, "realisasi": realisasi}, "total")
        pagu_ref, realisasi_ref = table.ref(index, "pagu"), table.ref(index, "realisasi")
        table.rows[index].cells["selisih"] = q.selisih(pagu_ref, realisasi_ref)
        table.rows[index].cells["serapan"] = q.serapan(pagu_ref, realisasi_ref)
        self.totals |= {
            "total_pagu": pagu,
            "total_realisasi": realisasi,
            "sisa_anggaran": q.selisih(pagu_ref, realisasi_ref),
            "persen_serapan": q.serapan(pagu_ref, realisasi_ref),
        }
        for name in ("pagu", "realisasi", "selisih", "serapan"):
            self.summary[f"total_{name}"] = table.ref(index, name)
        self.budget_table, self.budget_rows = table, rows
        self.tables.append(table)

    def _has_amount(self, line: BudgetLine, field_id: str) -> bool:
        if line.record.number(field_id) is not None:
            return True
        return any(self._has_amount(child, field_id) for child in line.children)

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
        for line in self.sub.budget_lines:
            record = line.record
            target, realisasi = input_ref(record, "target"), input_ref(record, "realisasi_kinerja")
            if target is None or realisasi is None or (target.value() is None and realisasi.value() is None):
                continue
            upper = None
            parsed_target = record.entry("target").parsed
            if getattr(parsed_target, "kind", None) == "range":
                upper = Num(parsed_target.upper)
            capaian = q.capaian(target, realisasi, False, self.rules, upper)
            index = table.add(
                record.key,
                {
                    "kode": record.key,
                    "tingkat": record.get("tingkat"),
                    "uraian": record.get("uraian"),
                    "indikator": record.get("indikator_keluaran"),
                    "satuan": record.get("satuan"),
                    "target": target,
                    "realisasi": realisasi,
                    "capaian": capaian,
                    "predikat": None,
                },
                {0: "program", 1: "kegiatan"}.get(line.level, "normal"),
            )
            table.rows[index].cells["predikat"] = q.predikat(table.ref(index, "capaian"), self.rules)
            self.budget[record.row].capaian = capaian
        self.tables.append(table)

    # -- indicator comparisons -------------------------------------------------
    def _indicator_table(self, table_id: str, sheet: str, title: str, columns: list[DColumn], note: str,
                         build) -> DerivedTable:
        table = DerivedTable(
            table_id,
            sheet,
            title,
            [DColumn("kode", "Kode", "kode", 9), DColumn("uraian", "Indikator Kinerja", "text", 40),
             DColumn("satuan", "Satuan", "text", 10), *columns],
            note=note,
        )
        for record in self._ordered_indicators():
            cells = build(record)
            if cells is None:
                continue
            table.add(record.key, {"kode": record.key, "uraian": record.get("uraian"),
                                   "satuan": record.get("satuan"), **cells})
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
            change = (q.perbandingan(realisasi, last_year)
                      if realisasi is not None and last_year is not None else None)
            result = self.indikator.get(record.row)
            return {
                "lalu_3": past[0], "lalu_2": past[1], "lalu_1": past[2], "realisasi": realisasi,
                "perubahan": _blank_if_none(change),
                "capaian": result.capaian_ref if result and result.capaian_ref else Text(""),
            }

        tahun = self.sub.cell_value("tahun")
        label = (lambda n: f"Realisasi {int(tahun) - n}") if isinstance(tahun, (int, float)) else (
            lambda n: f"Realisasi n-{n}" if n else "Realisasi n")
        self._indicator_table(
            "perbandingan_tahun", "Perbandingan Tahun", "Perbandingan Realisasi Kinerja dengan Tahun Sebelumnya",
            [DColumn("lalu_3", label(3), "number", 11), DColumn("lalu_2", label(2), "number", 11),
             DColumn("lalu_1", label(1), "number", 11), DColumn("realisasi", label(0), "number", 11),
             DColumn("perubahan", "Perubahan thd Tahun Lalu", "number", 12),
             DColumn("capaian", "Capaian Tahun Ini (%)", "percent", 11)],
            "Perubahan = realisasi tahun ini − realisasi tahun lalu.", build,
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
            "kemajuan", "Kemajuan Renstra", "Tingkat Kemajuan Capaian terhadap Target Akhir Renstra",
            [DColumn("target_akhir", "Target Akhir Renstra", "number", 12),
             DColumn("realisasi", "Realisasi", "number", 11),
             DColumn("kemajuan", "Tingkat Kemajuan (%)", "percent", 12)],
            "Tingkat kemajuan = realisasi / target akhir Renstra × 100 (aturan polaritas dan batas sama).", build,
        )

    def _perbandingan_wilayah(self) -> None:
        def build(record: Record):
            refs = {name: input_ref(record, f"pembanding_{name}") for name in ("kabupaten", "provinsi", "nasional")}
            if all(ref is None or ref.value() is None for ref in refs.values()):
                return None
            realisasi = self._realisasi_ref(record)
            cells: dict[str, Any] = {"realisasi": realisasi}
            for name, ref in refs.items():
                cells[name] = ref
                present = ref is not None and ref.value() is not None and realisasi is not None
                cells[f"selisih_{name}"] = q.perbandingan(realisasi, ref) if present else Text("")
            return cells

        self._indicator_table(
            "perbandingan_wilayah", "Perbandingan Wilayah",
            "Perbandingan Realisasi dengan Kabupaten, Provinsi dan Nasional",
            [DColumn("realisasi", "Realisasi", "number", 11),
             DColumn("kabupaten", "Kabupaten", "number", 11), DColumn("selisih_kabupaten", "Selisih Kab.", "number", 11),
             DColumn("provinsi", "Provinsi", "number", 11), DColumn("selisih_provinsi", "Selisih Prov.", "number", 11),
             DColumn("nasional", "Nasional", "number", 11), DColumn("selisih_nasional", "Selisih Nas.", "number", 11)],
            "Selisih = realisasi − pembanding (positif: lebih tinggi dari pembanding).", build,
        )

    # -- allocation and efficiency ----------------------------------------------
    def _linked_lines(self) -> dict[str, list[BudgetLine]]:
        """Top-most budget lines linked to each indicator (children of a linked line are not counted twice)."""
        linked: dict[str, list[BudgetLine]] = {}
        for line in self.sub.budget_lines:
            kode = line.record.get("indikator_kode")
            if not kode:
                continue
            ancestor, covered = line.parent, False
            while ancestor is not None:
                if ancestor.record.get("indikator_kode"):
                    covered = True
                    break
                ancestor = ancestor.parent
            if not covered and line.record.row in self.budget_rows:
                linked.setdefault(str(kode), []).append(line)
        return linked

    def _alokasi_dan_efisiensi(self) -> None:
        linked = self._linked_lines()
        self.linked_lines = linked
        total_pagu = self.summary.get("total_pagu")
        alokasi = DerivedTable(
            "alokasi", "Alokasi Anggaran", "Alokasi Anggaran per Sasaran dan Indikator",
            [DColumn("tingkat", "Tingkat", "text", 10), DColumn("kode", "Kode", "kode", 9),
             DColumn("uraian", "Sasaran / Indikator", "text", 48), DColumn("pagu", "Alokasi Pagu (Rp)", "rupiah", 17),
             DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17), DColumn("persen", "% dari Total Pagu", "percent", 11)],
            note="Alokasi = jumlah pagu program/kegiatan yang mendukung indikator; % = alokasi / total pagu × 100.",
        )
        indikator_rows: dict[str, int] = {}
        by_sasaran: dict[str, list[Record]] = {}
        for record in self._ordered_indicators():
            by_sasaran.setdefault(str(record.get("sasaran_kode")), []).append(record)
        for sasaran_kode, records in by_sasaran.items():
            sasaran = self.sasaran.get(sasaran_kode)
            sasaran_index = alokasi.add(sasaran_kode, {"tingkat": "Sasaran", "kode": sasaran_kode,
                                                       "uraian": sasaran.get("uraian") if sasaran else sasaran_kode},
                                        "program")
            children = []
            for record in records:
                lines = linked.get(str(record.key), [])
                cells: dict[str, Any] = {"tingkat": "Indikator", "kode": record.key, "uraian": record.get("uraian")}
                if lines:
                    cells["pagu"] = Sum(tuple(self.budget_table.ref(self.budget_rows[ln.record.row], "pagu")
                                              for ln in lines))
                    cells["realisasi"] = Sum(tuple(
                        self.budget_table.ref(self.budget_rows[ln.record.row], "realisasi") for ln in lines))
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
            index = alokasi.add(None, {"uraian": "Jumlah porsi indikator",
                                       "pagu": Sum(tuple(alokasi.ref(i, "pagu") for i in shares)),
                                       "persen": Sum(tuple(alokasi.ref(i, "persen") for i in shares))}, "total")
            self.totals["jumlah_porsi"] = alokasi.rows[index].cells["persen"]
        self.tables.append(alokasi)

        efisiensi = DerivedTable(
            "kinerja_anggaran", "Kinerja dan Anggaran", "Pencapaian Kinerja dan Anggaran (Efisiensi)",
            [DColumn("kode", "Kode", "kode", 9), DColumn("uraian", "Indikator Kinerja", "text", 40),
             DColumn("capaian", "Capaian Kinerja (%)", "percent", 12), DColumn("pagu", "Pagu (Rp)", "rupiah", 17),
             DColumn("realisasi", "Realisasi (Rp)", "rupiah", 17), DColumn("serapan", "Serapan (%)", "percent", 11),
             DColumn("efisiensi", "Efisiensi", "percent", 11)],
            note=f"Efisiensi = {self.rules.efisiensi_formula}.",
        )
        for record in self._ordered_indicators():
            result = self.indikator.get(record.row)
            index_alokasi = indikator_rows.get(str(record.key))
            if index_alokasi is None:
                continue
            index = efisiensi.add(record.key, {
                "kode": record.key, "uraian": record.get("uraian"),
                "capaian": result.capaian_ref if result and result.capaian_ref else Text(""),
                "pagu": alokasi.ref(index_alokasi, "pagu"), "realisasi": alokasi.ref(index_alokasi, "realisasi"),
            })
            serapan = q.serapan(efisiensi.ref(index, "pagu"), efisiensi.ref(index, "realisasi"))
            efisiensi.rows[index].cells["serapan"] = serapan
            value = q.efisiensi(efisiensi.ref(index, "capaian"), efisiensi.ref(index, "serapan"), self.rules)
            efisiensi.rows[index].cells["efisiensi"] = value
            if result is not None:
                result.serapan, result.efisiensi = serapan, value
        self.tables.append(efisiensi)

    def _efisiensi_sdm(self) -> None:
        table = DerivedTable(
            "efisiensi_sdm", "Efisiensi SDM", "Efisiensi Penggunaan Sumber Daya Manusia",
            [DColumn("kode", "Kode", "kode", 9), DColumn("uraian", "Indikator Kinerja", "text", 40),
             DColumn("kebutuhan", "Kebutuhan SDM", "number", 11), DColumn("ketersediaan", "Ketersediaan SDM", "number", 11),
             DColumn("persen", "% Ketersediaan", "percent", 11), DColumn("capaian", "Capaian (%)", "percent", 11),
             DColumn("efisiensi", "Efisiensi SDM", "percent", 11)],
            note="% ketersediaan = ketersediaan / kebutuhan × 100; efisiensi SDM = capaian − % ketersediaan; "
            "jumlah dihitung Σ/Σ.",
        )
        rows = []
        for record in self._ordered_indicators():
            need, have = input_ref(record, "kebutuhan_sdm"), input_ref(record, "ketersediaan_sdm")
            if need is None or have is None or (need.value() is None and have.value() is None):
                continue
            result = self.indikator.get(record.row)
            index = table.add(record.key, {"kode": record.key, "uraian": record.get("uraian"), "kebutuhan": need,
                                           "ketersediaan": have,
                                           "capaian": result.capaian_ref if result and result.capaian_ref else Text("")})
            table.rows[index].cells["persen"] = q.ratio(table.ref(index, "ketersediaan"), table.ref(index, "kebutuhan"))
            table.rows[index].cells["efisiensi"] = q.efisiensi_sdm(table.ref(index, "capaian"),
                                                                   table.ref(index, "persen"))
            rows.append(index)
        if rows:
            index = table.add(None, {"uraian": "Jumlah",
                                     "kebutuhan": Sum(tuple(table.ref(i, "kebutuhan") for i in rows)),
                                     "ketersediaan": Sum(tuple(table.ref(i, "ketersediaan") for i in rows))}, "total")
            table.rows[index].cells["persen"] = q.ratio(table.ref(index, "ketersediaan"), table.ref(index, "kebutuhan"))
        self.tables.append(table)

    # -- PK and population ---------------------------------------------------------
    def _pk_vs_dpa(self) -> None:
        table = DerivedTable(
            "pk_dpa", "PK vs DPA", "Anggaran Perjanjian Kinerja dibanding Pagu DPA per Program",
            [DColumn("kode", "Kode Program", "kode", 16), DColumn("uraian", "Program", "text", 44),
             DColumn("versi", "Versi PK", "text", 11), DColumn("pk", "Anggaran PK (Rp)", "rupiah", 17),
             DColumn("dpa", "Pagu DPA (Rp)", "rupiah", 17), DColumn("selisih", "Selisih (Rp)", "rupiah", 16)],
            note="Selisih = anggaran PK − pagu DPA program yang sama.",
        )
        by_versi: dict[str, list[int]] = {}
        for record in self.sub.records("pk_anggaran"):
            anggaran = input_ref(record, "anggaran")
            versi = record.get("versi") or "Murni"
            program = match_program(record, self.sub.programs)
            cells: dict[str, Any] = {"kode": record.get("program_kode") or (program.record.key if program else None), "uraian": record.get("uraian"),
                                     "versi": versi, "pk": anggaran}
            if program is not None:
                dpa = self.budget_table.ref(self.budget_rows[program.record.row], "pagu")
                cells["dpa"] = dpa
            index = table.add(record.get("program_kode"), cells)
            if program is not None and anggaran is not None:
                table.rows[index].cells["selisih"] = table.ref(index, "pk") - table.ref(index, "dpa")
                self.pk_by_program.setdefault(str(record.row), {})["dpa"] = table.ref(index, "dpa")
            by_versi.setdefault(versi, []).append(index)
        for versi, indexes in by_versi.items():
            index = table.add(None, {"uraian": f"Jumlah PK {versi}",
                                     "pk": Sum(tuple(table.ref(i, "pk") for i in indexes))}, "total")
            self.totals[f"total_pk:{versi}"] = table.rows[index].cells["pk"]
            self.summary[f"total_pk:{versi}"] = table.ref(index, "pk")
        self.tables.append(table)

    def _penduduk(self) -> None:
        table = DerivedTable(
            "penduduk", "Rekap Penduduk", "Jumlah Penduduk menurut Jenis Kelamin",
            [DColumn("tahun", "Tahun", "kode", 10), DColumn("laki_laki", "Laki-laki", "integer", 13),
             DColumn("perempuan", "Perempuan", "integer", 13), DColumn("total", "Jumlah", "integer", 13),
             DColumn("rasio", "Rasio Jenis Kelamin", "percent", 12)],
            note="Jumlah = laki-laki + perempuan; rasio = laki-laki / perempuan × 100.",
        )
        for record in self.sub.records("penduduk"):
            laki, perempuan = input_ref(record, "laki_laki"), input_ref(record, "perempuan")
            if laki is None or perempuan is None:
                continue
            total, rasio = q.penduduk_total(laki, perempuan), q.rasio_jenis_kelamin(laki, perempuan)
            table.add(str(record.get("tahun")), {"tahun": record.get("tahun"), "laki_laki": laki,
                                                  "perempuan": perempuan, "total": total, "rasio": rasio})
            self.penduduk[record.row] = {"total": total, "rasio": rasio}
        if table.rows:
            self.tables.append(table)
