"""Write Bab III "Akuntabilitas Kinerja" of the LKjIP as a Word document (python-docx).

Every table and every sentence is made from the :class:`~sakip_xlsx.compute.Computation`
of the submission: the same recomputed figures the results workbook shows, never a
figure as typed where the computation has its own.  Nothing is computed here; each
number is a cell of a derived table (or a total of the computation), formatted the
Indonesian way (``Rp 1.250.000``, ``98,71 %``).

Order of the document (a table is left out when the submission has nothing for it;
the tables that remain are numbered "Tabel 3.1", "Tabel 3.2", ... without gaps):

1. title, identity, and -- when ``check`` found errors -- a box listing each figure of
   the input that differs from the computation (cell, as typed, as computed);
2. the rules in force (named once);
3. A. Capaian Kinerja Organisasi: :data:`TABLES` in order, each with its sentences;
4. B. Realisasi Anggaran: the budget per program / kegiatan / sub kegiatan, PK vs DPA;
5. C. Ikhtisar untuk Bab IV: rata-rata capaian and predikat per jenis, indicators above /
   at / below target, budget absorption.

Word needs nothing repaired: the document is written by python-docx; the only XML
written by hand are the documented table tweaks (``w:tblHeader`` to repeat header rows,
``w:cantSplit``, ``w:shd`` cell shading).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from .compute import Computation
from .description import TEMPLATE
from .expr import Expr, guarded_value
from .findings import KINDS, Finding
from .model import Submission
from .output import LAPORAN_SUBJECT, check_target, write_atomically
from .precision import format_number, is_number
from .tables import DerivedTable, DRow

#: usable width of an A4 portrait page with the margins below (cm)
PAGE_WIDTH_CM = 21.0
MARGIN_LEFT_CM, MARGIN_RIGHT_CM = 2.5, 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - MARGIN_LEFT_CM - MARGIN_RIGHT_CM

NBSP = "\u00a0"
EMPTY = "-"
HEADER_SHADE, GROUP_SHADE, TOTAL_SHADE, BOX_SHADE = "D9E2F3", "F2F2F2", "EDEDED", "FFF2CC"


# ---------------------------------------------------------------------------
# Indonesian numbers (on top of precision.format_number, the one id-ID formatter)
# ---------------------------------------------------------------------------


def angka(value: Any, decimals: int | None = None) -> str:
    """A number as typed figures are shown: ``1.250``, ``98,71``, ``0,5`` (at most 4 decimals).

    ``decimals`` fixes the number of decimals instead (a derived figure).
    """
    if not is_number(value):
        return EMPTY if value in (None, "") else str(value)
    if decimals is not None:
        return format_number(value, decimals)
    if float(value).is_integer():
        return format_number(value, 0)
    text = format_number(value, 4).rstrip("0")
    return text[:-1] if text.endswith(",") else text


def rupiah(value: Any) -> str:
    """``Rp 1.250.000`` (whole rupiah)."""
    return f"Rp{NBSP}{format_number(value, 0)}" if is_number(value) else EMPTY


def persen(value: Any, decimals: int) -> str:
    """``98,71 %`` with the rules' decimals."""
    return f"{format_number(value, decimals)}{NBSP}%" if is_number(value) else EMPTY


def with_unit(value: Any, satuan: Any) -> str:
    """A typed figure with its satuan: ``81 %``, ``400 dokumen``."""
    text = angka(value)
    unit = str(satuan or "").strip()
    if not is_number(value) or not unit:
        return text
    if unit in ("%", "persen", "Persen"):
        return f"{text}{NBSP}%"
    return f"{text}{NBSP}{unit}"


def cell_value(content: Any) -> Any:
    """The value a derived-table cell shows (an expression's guarded value, else the content)."""
    if isinstance(content, Expr):
        return guarded_value(content)
    return None if content == "" else content


# ---------------------------------------------------------------------------
# Which derived tables, which columns, in which order
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Col:
    """A column of a document table: a column of the derived table, its header and width (cm)."""

    id: str
    header: str
    width: float
    #: how the value is shown: text | kode | rupiah | percent | ratio | number | integer | target
    kind: str | None = None


@dataclass(frozen=True)
class TableSpec:
    table_id: str
    title: str
    section: str  # "A" (capaian kinerja) or "B" (realisasi anggaran)
    heading: str
    columns: tuple[Col, ...]


#: Every table the document may hold, in document order (README: "The Word report").
TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "capaian_kinerja",
        "Pengukuran Capaian Kinerja Sasaran",
        "A",
        "Pengukuran Capaian Kinerja",
        (
            Col("kode", "Kode", 1.3, "kode"),
            Col("uraian", "Indikator Kinerja", 5.2, "text"),
            Col("satuan", "Satuan", 1.7, "text"),
            Col("target", "Target", 1.8, "target"),
            Col("realisasi", "Realisasi", 1.8, "number"),
            Col("capaian", "Capaian (%)", 1.9, "percent"),
            Col("predikat", "Predikat", 2.8, "text"),
        ),
    ),
    TableSpec(
        "capaian_program",
        "Capaian Kinerja Program, Kegiatan dan Sub Kegiatan",
        "A",
        "Capaian Kinerja Program, Kegiatan dan Sub Kegiatan",
        (
            Col("kode", "Kode", 2.2, "kode"),
            Col("uraian", "Program / Kegiatan / Sub Kegiatan", 3.4, "text"),
            Col("indikator", "Indikator Keluaran / Hasil", 3.4, "text"),
            Col("satuan", "Satuan", 1.5, "text"),
            Col("target", "Target", 1.3, "number"),
            Col("realisasi", "Realisasi", 1.3, "number"),
            Col("capaian", "Capaian (%)", 1.4, "percent"),
            Col("predikat", "Predikat", 2.0, "text"),
        ),
    ),
    TableSpec(
        "perbandingan_tahun",
        "Perbandingan Realisasi Kinerja dengan Tahun Sebelumnya",
        "A",
        "Perbandingan Realisasi Kinerja dengan Tahun Sebelumnya",
        (
            Col("kode", "Kode", 1.2, "kode"),
            Col("uraian", "Indikator Kinerja", 4.3, "text"),
            Col("satuan", "Satuan", 1.4, "text"),
            Col("lalu_3", "", 1.6, "number"),
            Col("lalu_2", "", 1.6, "number"),
            Col("lalu_1", "", 1.6, "number"),
            Col("realisasi", "", 1.6, "number"),
            Col("perubahan", "Perubahan thd Tahun Lalu", 1.6, "derived"),
            Col("capaian", "Capaian Tahun Ini (%)", 1.6, "percent"),
        ),
    ),
    TableSpec(
        "kemajuan",
        "Tingkat Kemajuan terhadap Target Akhir Renstra",
        "A",
        "Perbandingan dengan Target Akhir Renstra",
        (
            Col("kode", "Kode", 1.3, "kode"),
            Col("uraian", "Indikator Kinerja", 7.4, "text"),
            Col("satuan", "Satuan", 1.8, "text"),
            Col("target_akhir", "Target Akhir Renstra", 2.0, "number"),
            Col("realisasi", "Realisasi", 2.0, "number"),
            Col("kemajuan", "Tingkat Kemajuan (%)", 2.0, "percent"),
        ),
    ),
    TableSpec(
        "perbandingan_wilayah",
        "Perbandingan Realisasi dengan Kabupaten, Provinsi dan Nasional",
        "A",
        "Perbandingan dengan Kabupaten, Provinsi dan Nasional",
        (
            Col("kode", "Kode", 1.2, "kode"),
            Col("uraian", "Indikator Kinerja", 3.7, "text"),
            Col("satuan", "Satuan", 1.3, "text"),
            Col("realisasi", "Realisasi", 1.5, "number"),
            Col("kabupaten", "Kabupaten", 1.4, "number"),
            Col("selisih_kabupaten", "Selisih Kab.", 1.4, "derived"),
            Col("provinsi", "Provinsi", 1.4, "number"),
            Col("selisih_provinsi", "Selisih Prov.", 1.4, "derived"),
            Col("nasional", "Nasional", 1.4, "number"),
            Col("selisih_nasional", "Selisih Nas.", 1.4, "derived"),
        ),
    ),
    TableSpec(
        "alokasi",
        "Alokasi Anggaran per Sasaran dan Indikator",
        "A",
        "Alokasi Anggaran per Sasaran",
        (
            Col("kode", "Kode", 1.3, "kode"),
            Col("uraian", "Sasaran / Indikator", 7.0, "text"),
            Col("pagu", "Alokasi Pagu (Rp)", 2.9, "rupiah"),
            Col("realisasi", "Realisasi (Rp)", 2.9, "rupiah"),
            Col("persen", "Porsi dari Total Pagu (%)", 2.4, "percent"),
        ),
    ),
    TableSpec(
        "kinerja_anggaran",
        "Pencapaian Kinerja dan Anggaran (Efisiensi)",
        "A",
        "Efisiensi Penggunaan Anggaran",
        (
            Col("kode", "Kode", 1.2, "kode"),
            Col("uraian", "Indikator Kinerja", 4.5, "text"),
            Col("capaian", "Capaian Kinerja (%)", 1.9, "percent"),
            Col("pagu", "Pagu (Rp)", 2.6, "rupiah"),
            Col("realisasi", "Realisasi (Rp)", 2.6, "rupiah"),
            Col("serapan", "Serapan (%)", 1.8, "percent"),
            Col("efisiensi", "Efisiensi (%)", 1.9, "percent"),
        ),
    ),
    TableSpec(
        "efisiensi_sdm",
        "Efisiensi Penggunaan Sumber Daya Manusia",
        "A",
        "Efisiensi Penggunaan Sumber Daya Manusia",
        (
            Col("kode", "Kode", 1.2, "kode"),
            Col("uraian", "Indikator Kinerja", 5.3, "text"),
            Col("kebutuhan", "Kebutuhan SDM", 1.9, "number"),
            Col("ketersediaan", "Ketersediaan SDM", 2.0, "number"),
            Col("persen", "Ketersediaan (%)", 2.0, "percent"),
            Col("capaian", "Capaian (%)", 2.0, "percent"),
            Col("efisiensi", "Efisiensi SDM (%)", 2.0, "percent"),
        ),
    ),
    TableSpec(
        "analisis_program",
        "Analisis Kinerja Program: Kemajuan, Efisiensi dan SDM",
        "A",
        "Analisis Kinerja Program",
        (
            Col("kode", "Kode", 2.0, "kode"),
            Col("uraian", "Program / Kegiatan", 3.3, "text"),
            Col("capaian", "Capaian (%)", 1.4, "percent"),
            Col("target_akhir", "Target Akhir Renstra", 1.4, "number"),
            Col("realisasi", "Realisasi Kinerja", 1.4, "number"),
            Col("kemajuan", "Kemajuan (%)", 1.4, "percent"),
            Col("serapan", "Serapan (%)", 1.4, "percent"),
            Col("efisiensi", "Efisiensi (%)", 1.4, "percent"),
            Col("persen_sdm", "Ketersediaan SDM (%)", 1.4, "percent"),
            Col("efisiensi_sdm", "Efisiensi SDM (%)", 1.4, "percent"),
        ),
    ),
    TableSpec(
        "penduduk",
        "Jumlah Penduduk menurut Jenis Kelamin",
        "A",
        "Data Kependudukan",
        (
            Col("tahun", "Tahun", 2.5, "kode"),
            Col("laki_laki", "Laki-laki", 3.5, "integer"),
            Col("perempuan", "Perempuan", 3.5, "integer"),
            Col("total", "Jumlah", 3.5, "integer"),
            Col("rasio", "Rasio Jenis Kelamin", 3.5, "ratio"),
        ),
    ),
    TableSpec(
        "realisasi_anggaran",
        "Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan",
        "B",
        "Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan",
        (
            Col("kode", "Kode", 2.7, "kode"),
            Col("uraian", "Program / Kegiatan / Sub Kegiatan", 4.0, "text"),
            Col("pagu", "Pagu (Rp)", 2.9, "rupiah"),
            Col("realisasi", "Realisasi (Rp)", 2.9, "rupiah"),
            Col("selisih", "Selisih (Rp)", 2.7, "rupiah"),
            Col("serapan", "Serapan (%)", 1.3, "percent"),
        ),
    ),
    TableSpec(
        "pk_dpa",
        "Anggaran Perjanjian Kinerja dibanding Pagu DPA per Program",
        "B",
        "Anggaran Perjanjian Kinerja dan DPA",
        (
            Col("kode", "Kode Program", 2.4, "kode"),
            Col("uraian", "Program", 4.7, "text"),
            Col("versi", "Versi PK", 1.6, "text"),
            Col("pk", "Anggaran PK (Rp)", 2.7, "rupiah"),
            Col("dpa", "Pagu DPA (Rp)", 2.7, "rupiah"),
            Col("selisih", "Selisih (Rp)", 2.4, "rupiah"),
        ),
    ),
)

SECTIONS = {"A": "A. Capaian Kinerja Organisasi", "B": "B. Realisasi Anggaran"}
IKHTISAR_HEADING = "C. Ikhtisar untuk Bab IV (Penutup)"
BOX_TITLE_SUFFIX = "dokumen ini memakai angka hasil hitungan"


def spec_of(table_id: str) -> TableSpec:
    return next(spec for spec in TABLES if spec.table_id == table_id)


# ---------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------


def write_laporan(
    submission: Submission,
    computation: Computation,
    findings: Iterable[Finding],
    path: str | Path,
    overwrite: bool = False,
    inputs: Iterable[str | Path] = (),
) -> Path:
    """Write Bab III of ``submission`` as a Word document at ``path`` (atomically); return the path.

    Raises an :class:`~sakip_xlsx.output.OutputError` (message in Indonesian) when the
    document is not written: the path is the submission or one of ``inputs`` (with any
    ``overwrite``), it exists without ``overwrite``, it is a folder, its name does not end
    in ``.docx``.  The path is refused before the document is built.
    """
    sources = [submission.path, *inputs]
    target = check_target(path, inputs=sources, overwrite=overwrite, suffixes=(".docx",))
    document = build_document(submission, computation, list(findings))
    return write_atomically(
        target,
        lambda temporary: document.save(str(temporary)),
        inputs=sources,
        overwrite=overwrite,
        suffixes=(".docx",),
    )


def build_document(submission: Submission, computation: Computation, findings: list[Finding]):
    """The Word document (a python-docx ``Document``) of Bab III."""
    return _Writer(submission, computation, findings).build()


class _Writer:
    def __init__(self, submission: Submission, computation: Computation, findings: list[Finding]):
        self.sub = submission
        self.comp = computation
        self.findings = findings
        self.rules = submission.rules
        self.decimals = submission.rules.decimals
        self.tables = {table.id: table for table in computation.tables}
        self.number = 0  # the last table number used
        tahun = submission.cell_value("tahun")
        self.tahun = int(tahun) if is_number(tahun) else None
        self.instansi = _text(submission.instansi)
        self.doc = Document()

    # -- document frame -----------------------------------------------------------
    def build(self):
        self._page()
        self._styles()
        self._title()
        self._error_box()
        self._rules()
        self._section_a()
        self._section_b()
        self._ikhtisar()
        return self.doc

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Cm(MARGIN_LEFT_CM), Cm(MARGIN_RIGHT_CM)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        properties = self.doc.core_properties
        properties.title = f"Bab III Akuntabilitas Kinerja {self.instansi}"
        properties.subject = LAPORAN_SUBJECT  # folder scans know it as our own output
        properties.author = "sakip-xlsx"
        properties.comments = clean(f"Dibuat dari {self.sub.path.name} dengan aturan {self.rules.name}")
        properties.language = "id-ID"

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(10.5)
        normal.paragraph_format.space_after = Pt(6)
        for name, align in (("Isi Tabel", None), ("Angka Tabel", WD_ALIGN_PARAGRAPH.RIGHT)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.size = Pt(8)
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.space_before = Pt(0)
            if align is not None:
                style.paragraph_format.alignment = align
        caption = styles["Caption"]
        caption.font.size = Pt(10)
        caption.font.bold = True
        caption.font.italic = False
        caption.font.color.rgb = RGBColor(0, 0, 0)
        caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        caption.paragraph_format.keep_with_next = True
        # table cells set the style id on the paragraph element directly: the style setter of
        # python-docx looks the default style up each time (most of the writing time otherwise)
        self.cell_style = styles["Isi Tabel"].style_id
        self.number_style = styles["Angka Tabel"].style_id

    def _title(self) -> None:
        doc = self.doc
        for text in ("BAB III", "AKUNTABILITAS KINERJA"):
            paragraph = doc.add_heading(text, level=1)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pemda = self.sub.cell_value("pemda")
        who = _text(self.instansi) + (f", {_text(pemda)}" if pemda else "")
        line = doc.add_paragraph(f"{who} • Tahun {self.tahun if self.tahun is not None else '-'}")
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER

    # -- the box of errors ----------------------------------------------------------
    def _error_box(self) -> None:
        errors = [f for f in self.findings if f.severity == "error"]
        if not errors:
            return
        figures = [f for f in errors if is_number(f.expected)]
        others = [f for f in errors if not is_number(f.expected)]
        box = self.doc.add_table(rows=1, cols=1)
        box.style = "Table Grid"
        box.alignment = WD_TABLE_ALIGNMENT.CENTER
        cell = box.rows[0].cells[0]
        cell.width = Cm(TEXT_WIDTH_CM)
        _shade(cell, BOX_SHADE)
        first = cell.paragraphs[0]
        if figures:
            first.add_run(
                f"{len(figures)} angka di berkas isian berbeda dari hitungan; {BOX_TITLE_SUFFIX}."
            ).bold = True
        else:
            first.add_run(f"Berkas isian memuat {len(others)} kesalahan; {BOX_TITLE_SUFFIX}.").bold = True
        cell.add_paragraph(
            "Daftar di bawah menyebut sel berkas isian, angka yang tertulis dan angka hasil hitungan. "
            "Perbaiki berkas isian lalu buat dokumen ini lagi."
        )
        if figures:
            inner = cell.add_table(rows=1, cols=4)
            inner.style = "Table Grid"
            widths = (3.2, 6.6, 2.9, 2.9)
            self._header(inner, ("Sel", "Isian", "Tertulis", "Hasil Hitungan"), widths)
            for item in figures:
                self._row(
                    inner,
                    (
                        clean(item.location),
                        clean(_finding_label(item)),
                        angka(item.stated),
                        angka(item.expected, None if _whole(item.expected) else self.decimals),
                    ),
                    (False, False, True, True),
                )
        if others:
            cell.add_paragraph(f"{len(others)} kesalahan lain pada isian:")
            for item in others:
                cell.add_paragraph(clean(f"{item.location}: {item.message}"), style="List Bullet")
        warnings = sum(1 for f in self.findings if f.severity == "warning")
        if warnings:
            cell.add_paragraph(
                f"Selain itu ada {warnings} peringatan; lihat hasil pemeriksaan (sakip-xlsx check)."
            )
        self.doc.add_paragraph()

    # -- rules ----------------------------------------------------------------------
    def _rules(self) -> None:
        rules = self.rules
        cap = "tanpa batas atas" if rules.cap is None else f"dibatasi paling tinggi {angka(rules.cap)}{NBSP}%"
        floor = "" if rules.floor is None else f" dan paling rendah {angka(rules.floor)}{NBSP}%"
        bands = "; ".join(f"{band.label} {band.describe()}" for band in rules.predikat)
        self.doc.add_paragraph(
            clean(
                f"Semua angka dalam bab ini dihitung ulang oleh sakip-xlsx dari berkas isian {self.sub.path.name} "
                f'dengan aturan perhitungan "{rules.name}": capaian = realisasi / target × 100 (polaritas negatif: '
                f"{rules.negative_formula} × 100), {cap}{floor}; tingkat kemajuan = realisasi / target akhir Renstra × 100; "
                f"serapan = realisasi / pagu × 100; efisiensi = {rules.efisiensi_formula}; predikat capaian: {bands}. "
                f"Persentase ditampilkan dengan {rules.decimals} desimal."
            )
        )

    # -- section A ------------------------------------------------------------------
    def _section_a(self) -> None:
        self.doc.add_heading(SECTIONS["A"], level=2)
        self.doc.add_paragraph(
            f"Pengukuran capaian kinerja {self.instansi} tahun {self._year()} membandingkan target "
            "setiap indikator kinerja dengan realisasinya."
        )
        self.sub_number = 0
        self._capaian_kinerja()
        for table_id, sentences in (
            ("capaian_program", None),
            ("perbandingan_tahun", self._perbandingan_tahun),
            ("kemajuan", self._kemajuan),
            ("perbandingan_wilayah", self._perbandingan_wilayah),
            ("alokasi", self._alokasi),
            ("kinerja_anggaran", self._efisiensi),
            ("efisiensi_sdm", self._sdm),
            ("analisis_program", None),
            ("penduduk", self._penduduk),
        ):
            table = self.tables.get(table_id)
            if table is None or not table.rows:
                continue
            self._subheading(spec_of(table_id).heading)
            self._table(table)
            if sentences is not None:
                sentences(table)

    def _subheading(self, text: str) -> None:
        self.sub_number += 1
        self.doc.add_heading(f"{self.sub_number}. {text}", level=3)

    def _capaian_kinerja(self) -> None:
        table = self.tables["capaian_kinerja"]
        self._subheading(spec_of("capaian_kinerja").heading)
        results = list(self.comp.indikator.values())  # the table's first rows, in the same order
        groups: dict[int, str] = {}
        previous = None
        for index, result in enumerate(results):
            kode = result.record.get("sasaran_kode")
            if kode != previous:
                uraian = _text(table.rows[index].cells.get("sasaran") or kode)
                groups[index] = f"Sasaran {_kode(kode)}: {uraian}" if kode not in (None, "") else uraian
                previous = kode
        self._table(table, groups=groups)
        # the standard sentences, per sasaran
        previous = object()
        for index, result in enumerate(results):
            if index in groups:
                heading = groups[index]
                self.doc.add_paragraph().add_run(heading).bold = True
            row = table.rows[index]
            record = result.record
            satuan = record.get("satuan")
            capaian = cell_value(row.cells.get("capaian"))
            uraian = _text(row.cells.get("uraian"))
            if capaian is None:
                self.doc.add_paragraph(
                    f"Capaian indikator {uraian} tahun {self._year()} tidak dapat dihitung karena target atau "
                    "realisasinya kosong atau bukan angka."
                )
                continue
            target = self._target_text(row, satuan)
            realisasi = with_unit(cell_value(row.cells.get("realisasi")), satuan)
            predikat = cell_value(row.cells.get("predikat"))
            tail = f" (predikat {_text(predikat)})" if predikat else ""
            self.doc.add_paragraph(
                f"Realisasi indikator {uraian} tahun {self._year()} sebesar {realisasi} dari target {target}; "
                f"capaiannya {persen(capaian, self.decimals)}{tail}."
            )

    def _target_text(self, row: DRow, satuan: Any) -> str:
        target = cell_value(row.cells.get("target"))
        upper = cell_value(row.cells.get("target_atas"))
        if is_number(upper) and is_number(target):
            return f"{angka(target)} – {with_unit(upper, satuan)}"
        return with_unit(target, satuan)

    def _perbandingan_tahun(self, table: DerivedTable) -> None:
        for row in table.rows:
            change = cell_value(row.cells.get("perubahan"))
            if not is_number(change) or self.tahun is None:
                continue
            satuan = row.cells.get("satuan")
            now = with_unit(cell_value(row.cells.get("realisasi")), satuan)
            before = with_unit(cell_value(row.cells.get("lalu_1")), satuan)
            uraian = _text(row.cells.get("uraian"))
            if change > 0:
                how = f"naik {angka(change, self.decimals)} dibanding"
            elif change < 0:
                how = f"turun {angka(-change, self.decimals)} dibanding"
            else:
                how = "sama dengan"
            self.doc.add_paragraph(
                f"Realisasi {uraian} tahun {self.tahun} ({now}) {how} tahun {self.tahun - 1} ({before})."
            )

    def _kemajuan(self, table: DerivedTable) -> None:
        for row in table.rows:
            kemajuan = cell_value(row.cells.get("kemajuan"))
            if not is_number(kemajuan):
                continue
            target = with_unit(cell_value(row.cells.get("target_akhir")), row.cells.get("satuan"))
            self.doc.add_paragraph(
                f"Tingkat kemajuan {_text(row.cells.get('uraian'))} terhadap target akhir Renstra ({target}) "
                f"sebesar {persen(kemajuan, self.decimals)}."
            )

    def _perbandingan_wilayah(self, table: DerivedTable) -> None:
        for row in table.rows:
            satuan = row.cells.get("satuan")
            realisasi = with_unit(cell_value(row.cells.get("realisasi")), satuan)
            for name in ("kabupaten", "provinsi", "nasional"):
                difference = cell_value(row.cells.get(f"selisih_{name}"))
                if not is_number(difference):
                    continue
                other = with_unit(cell_value(row.cells.get(name)), satuan)
                if difference > 0:
                    how = f"lebih tinggi {angka(difference, self.decimals)} dari"
                elif difference < 0:
                    how = f"lebih rendah {angka(-difference, self.decimals)} dari"
                else:
                    how = "sama dengan"
                self.doc.add_paragraph(
                    f"Realisasi {_text(row.cells.get('uraian'))} ({realisasi}) {how} realisasi {name} ({other})."
                )

    def _alokasi(self, table: DerivedTable) -> None:
        for row in table.rows:
            if row.cells.get("tingkat") != "Sasaran":
                continue
            pagu = cell_value(row.cells.get("pagu"))
            if not is_number(pagu):
                continue
            self.doc.add_paragraph(
                f"Sasaran {_text(row.cells.get('uraian'))} didukung alokasi pagu {rupiah(pagu)} "
                f"({persen(cell_value(row.cells.get('persen')), self.decimals)} dari total pagu) dengan realisasi "
                f"{rupiah(cell_value(row.cells.get('realisasi')))}."
            )

    def _efisiensi(self, table: DerivedTable) -> None:
        for row in table.rows:
            efisiensi = cell_value(row.cells.get("efisiensi"))
            if not is_number(efisiensi):
                continue
            self.doc.add_paragraph(
                f"Indikator {_text(row.cells.get('uraian'))} mencapai capaian "
                f"{persen(cell_value(row.cells.get('capaian')), self.decimals)} dengan serapan anggaran "
                f"{persen(cell_value(row.cells.get('serapan')), self.decimals)}, sehingga efisiensinya "
                f"{persen(efisiensi, self.decimals)}."
            )

    def _sdm(self, table: DerivedTable) -> None:
        total = next((row for row in table.rows if row.style == "total"), None)
        if total is None:
            return
        have, need = cell_value(total.cells.get("ketersediaan")), cell_value(total.cells.get("kebutuhan"))
        share = cell_value(total.cells.get("persen"))
        if not (is_number(have) and is_number(need)):
            return
        self.doc.add_paragraph(
            f"Secara keseluruhan tersedia {angka(have)} dari {angka(need)} pegawai yang dibutuhkan "
            f"({persen(share, self.decimals)})."
        )

    def _penduduk(self, table: DerivedTable) -> None:
        for row in table.rows:
            total = cell_value(row.cells.get("total"))
            if not is_number(total):
                continue
            self.doc.add_paragraph(
                f"Tahun {_kode(row.cells.get('tahun'))} jumlah penduduk {angka(total)} jiwa "
                f"({angka(cell_value(row.cells.get('laki_laki')))} laki-laki dan "
                f"{angka(cell_value(row.cells.get('perempuan')))} perempuan); rasio jenis kelamin "
                f"{angka(cell_value(row.cells.get('rasio')), self.decimals)}."
            )

    # -- section B ------------------------------------------------------------------
    def _section_b(self) -> None:
        self.doc.add_heading(SECTIONS["B"], level=2)
        self.sub_number = 0
        table = self.tables.get("realisasi_anggaran")
        totals = self.comp.totals
        if table is not None and table.row_count > 1:
            self._subheading(spec_of("realisasi_anggaran").heading)
            pagu, realisasi = _total(totals, "total_pagu"), _total(totals, "total_realisasi")
            self.doc.add_paragraph(
                f"Realisasi anggaran {self.instansi} tahun {self._year()} per program, kegiatan dan sub "
                f"kegiatan disajikan pada Tabel 3.{self.number + 1}. Pagu dan realisasi program dan kegiatan "
                "adalah jumlah rinciannya."
            )
            self._table(table)
            self.doc.add_paragraph(
                f"Dari pagu {rupiah(pagu)}, terealisasi {rupiah(realisasi)} atau "
                f"{persen(_total(totals, 'persen_serapan'), self.decimals)}, sisa "
                f"{rupiah(_total(totals, 'sisa_anggaran'))}."
            )
            for row in table.rows:
                if row.style != "program":
                    continue
                self.doc.add_paragraph(
                    f"Program {_text(row.cells.get('uraian'))}: pagu {rupiah(cell_value(row.cells.get('pagu')))}, "
                    f"realisasi {rupiah(cell_value(row.cells.get('realisasi')))} "
                    f"({persen(cell_value(row.cells.get('serapan')), self.decimals)}), sisa "
                    f"{rupiah(cell_value(row.cells.get('selisih')))}.",
                    style="List Bullet",
                )
        else:
            self.doc.add_paragraph("Berkas isian tidak memuat baris anggaran.")
        table = self.tables.get("pk_dpa")
        if table is not None and table.rows:
            self._subheading(spec_of("pk_dpa").heading)
            self._table(table)
            pagu = _total(totals, "total_pagu")
            for row in table.rows:
                if row.style == "total":
                    versi = str(row.cells.get("uraian") or "").removeprefix("Jumlah PK ").strip()
                    self.doc.add_paragraph(
                        f"Jumlah anggaran Perjanjian Kinerja {versi} {rupiah(cell_value(row.cells.get('pk')))}; "
                        f"jumlah pagu DPA {rupiah(pagu)}."
                    )
                    continue
                difference = cell_value(row.cells.get("selisih"))
                if is_number(difference) and difference != 0:
                    self.doc.add_paragraph(
                        f"Anggaran PK {_text(row.cells.get('versi'))} {_text(row.cells.get('uraian'))} berselisih "
                        f"{rupiah(difference)} dari pagu DPA program itu."
                    )

    # -- ikhtisar -------------------------------------------------------------------
    def _ikhtisar(self) -> None:
        self.doc.add_heading(IKHTISAR_HEADING, level=2)
        totals, summary = self.comp.totals, self.comp.summary
        for key, mean in totals.items():
            if not key.startswith("rata_capaian:"):
                continue
            jenis = key.split(":", 1)[1]
            value = guarded_value(mean)
            if not is_number(value):
                continue
            predikat_ref = summary.get(f"predikat:{jenis}")
            predikat = guarded_value(predikat_ref) if predikat_ref is not None else None
            tail = f" (predikat {_text(predikat)})" if predikat else ""
            self.doc.add_paragraph(
                f"Rata-rata capaian {_text(jenis)} tahun {self._year()} sebesar {persen(value, self.decimals)}{tail}."
            )
        counts = [_total(totals, f"jumlah_{name}") for name in ("di_atas", "tepat", "di_bawah")]
        if all(is_number(count) for count in counts):
            above, at, below = (int(count) for count in counts)
            self.doc.add_paragraph(
                f"Dari {above + at + below} indikator yang capaiannya dapat dihitung, {above} melampaui target, "
                f"{at} tepat mencapai target dan {below} di bawah target."
            )
        pagu = _total(totals, "total_pagu")
        if is_number(pagu):
            self.doc.add_paragraph(
                f"Serapan anggaran {persen(_total(totals, 'persen_serapan'), self.decimals)} "
                f"({rupiah(_total(totals, 'total_realisasi'))} dari pagu {rupiah(pagu)}), sisa "
                f"{rupiah(_total(totals, 'sisa_anggaran'))}."
            )

    def _year(self) -> str:
        return str(self.tahun) if self.tahun is not None else "laporan"

    # -- tables ---------------------------------------------------------------------
    def _table(self, table: DerivedTable, groups: dict[int, str] | None = None) -> None:
        spec = spec_of(table.id)
        self.number += 1
        self.doc.add_paragraph(f"Tabel 3.{self.number} {spec.title}", style="Caption")
        headers = [col.header or self._column_header(table, col.id) for col in spec.columns]
        widths = [col.width for col in spec.columns]
        out = self.doc.add_table(rows=1, cols=len(spec.columns))
        out.style = "Table Grid"
        out.alignment = WD_TABLE_ALIGNMENT.CENTER
        out.autofit = False
        self._header(out, headers, widths)
        kinds = [col.kind for col in spec.columns]
        numeric = tuple(kind not in ("text", "kode") for kind in kinds)
        groups = groups or {}
        shapes: dict = {}
        for index, row in enumerate(table.rows):
            if index in groups:
                group_row = out.add_row()
                merged = group_row.cells[0].merge(group_row.cells[-1])
                merged.paragraphs[0]._p.style = self.cell_style
                merged.paragraphs[0].add_run(groups[index]).bold = True
                _shade(merged, GROUP_SHADE)
            texts = [self._show(row, col) for col in spec.columns]
            if row.style == "total":  # a total row shows its totals only, no dash in the other columns
                texts = ["" if text == EMPTY else text for text in texts]
            self._row(out, texts, numeric, style=row.style, shapes=shapes)
        if table.note:
            self.doc.add_paragraph(f"Keterangan: {table.note}", style="Isi Tabel")
        self.doc.add_paragraph()

    def _column_header(self, table: DerivedTable, column_id: str) -> str:
        return next((c.header for c in table.columns if c.id == column_id), column_id)

    def _show(self, row: DRow, col: Col) -> str:
        value = cell_value(row.cells.get(col.id))
        kind = col.kind
        if kind == "target":
            if value is None:
                return EMPTY
            upper = cell_value(row.cells.get("target_atas"))
            return f"{angka(value)} – {angka(upper)}" if is_number(upper) else angka(value)
        if kind == "kode":
            return _kode(value)
        if kind == "text":
            return _text(value)
        if not is_number(value):
            return EMPTY if value is None else clean(value)
        if kind == "rupiah":
            return format_number(value, 0)
        if kind in ("percent", "ratio", "derived"):
            return format_number(value, self.decimals)
        if kind == "integer":
            return format_number(value, 0)
        return angka(value)

    def _header(self, table, headers, widths) -> None:
        for index, width in enumerate(widths):
            table.columns[index].width = Cm(width)
        row = table.rows[0]
        _repeat_header(row)
        for cell, text, width in zip(row.cells, headers, widths, strict=True):
            cell.width = Cm(width)
            paragraph = cell.paragraphs[0]
            paragraph._p.style = self.cell_style
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(text).bold = True
            _shade(cell, HEADER_SHADE)

    def _row(self, table, texts, numeric, style: str = "normal", shapes: dict | None = None) -> None:
        """One table row. With ``shapes`` (one dict per table), a row of a style already written is a
        copy of that row's XML with its texts replaced: python-docx builds every cell element by
        element, which made a long budget table take minutes."""
        key = (style, numeric)
        plain = all(text and "\t" not in text and "\n" not in text for text in texts)
        if shapes is not None and plain and key in shapes:
            tr = deepcopy(shapes[key])
            table._tbl.append(tr)
            for t, text in zip(tr.iter(_W_T), texts, strict=True):
                t.text = text
                if len(text.strip()) < len(text):  # as python-docx writes it
                    t.set(_XML_SPACE, "preserve")
                elif _XML_SPACE in t.attrib:
                    del t.attrib[_XML_SPACE]
            return
        row = table.add_row()
        _no_split(row)
        bold = style in ("program", "total")
        italic = style == "kegiatan"
        for cell, text, right in zip(row.cells, texts, numeric, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph._p.style = self.number_style if right else self.cell_style
            run = paragraph.add_run(text)
            if bold:
                run.bold = True
            if italic:
                run.italic = True
            if style == "total":
                _shade(cell, TOTAL_SHADE)
        if shapes is not None and plain:
            shapes[key] = deepcopy(row._tr)


# ---------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------


def _total(totals: dict[str, Expr], key: str) -> Any:
    expr = totals.get(key)
    return guarded_value(expr) if expr is not None else None


def _whole(value: Any) -> bool:
    return is_number(value) and float(value).is_integer()


#: characters XML 1.0 (so Word) does not allow; a typed text may hold them (pasted from elsewhere)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: Any) -> str:
    """Text as a document may hold it: characters XML does not allow removed."""
    return _NOT_XML.sub("", str(text))


def _text(value: Any) -> str:
    value = cell_value(value)
    if value is None:
        return EMPTY
    if is_number(value):
        return angka(value)
    return " ".join(clean(value).split())


def _kode(value: Any) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    if is_number(value) and float(value).is_integer():
        return str(int(value))
    return clean(value)


def _finding_label(item: Finding) -> str:
    """What a finding is about, in the words of the template: ``Jumlah tidak sama ...: Pagu (Rp) 7.01.01``."""
    header = None
    table = TEMPLATE.table.get(item.table or "")
    if table is not None and item.field in table.by_field:
        header = table.by_field[item.field].header
    elif item.field in TEMPLATE.cell_field:
        header = TEMPLATE.cell_field[item.field][1].label
    where = " ".join(" ".join(str(part).split()) for part in (header, item.row_key) if part)
    kind = KINDS[item.code].title
    return f"{kind}: {where}" if where else kind


def _repeat_header(row) -> None:
    """Mark a table row as a header row, repeated at the top of every page (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


_W_T = qn("w:t")
_XML_SPACE = qn("xml:space")


def _no_split(row) -> None:
    """Keep a table row on one page (w:cantSplit)."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def _shade(cell, fill: str) -> None:
    """Shade a table cell (w:shd), placed where the schema wants it among the cell properties."""
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.insert_element_before(
        shading, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )
