"""Write what was recognised into a template, with an "Impor" sheet saying where each row came from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .document import Document, Table
from .recognise import Recognised, Row, Source, recognise, similarity, strip_numbering

IMPOR_SHEET = "Impor"


@dataclass
class Placed:
    """One line of the Impor sheet: a template row filled, or something left for the reviewer."""

    status: str  # "diisi" | "tidak ditempatkan"
    target: str  # "Indikator baris 5", "Ringkasan!B3", "" for not placed
    what: str
    source: str


@dataclass
class ImportResult:
    output: Path
    document: Document
    recognised: Recognised
    placed: list[Placed] = field(default_factory=list)

    @property
    def filled(self) -> list[Placed]:
        return [line for line in self.placed if line.status == "diisi"]

    @property
    def not_placed(self) -> list[Placed]:
        return [line for line in self.placed if line.status != "diisi"]


def build_data(
    found: Recognised,
) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]], list[tuple[str, Row]]]:
    """Cells and table rows for the filler, with each row's origin."""
    cells = dict(found.cells)
    tables: dict[str, list[dict[str, Any]]] = {}
    origins: list[tuple[str, Row]] = []

    # sasaran and indikator: codes in order of appearance
    sasaran_codes: dict[str, str] = {}
    for index, row in enumerate(found.rows.get("indikator", []), start=1):
        fields = dict(row.fields)
        sasaran = fields.pop("_sasaran", "") or ""
        key = re.sub(r"[^a-z0-9]+", " ", sasaran.lower()).strip()
        if key and key not in sasaran_codes:
            code = f"S{len(sasaran_codes) + 1}"
            sasaran_codes[key] = code
            tables.setdefault("sasaran", []).append(
                {"kode": code, "jenis": "Sasaran Strategis", "uraian": sasaran}
            )
            origins.append(("sasaran", Row({"uraian": sasaran}, row.source)))
        fields["kode"] = f"IK{index}"
        if key:
            fields["sasaran_kode"] = sasaran_codes[key]
        fields.setdefault("polaritas", "Positif")
        satuan = _satuan(fields.get("target", ""), fields.get("realisasi", "")) or _satuan_of_name(
            fields.get("uraian", "")
        )
        if satuan:
            fields.setdefault("satuan", satuan)
        tables.setdefault("indikator", []).append(fields)
        origins.append(("indikator", Row(fields, row.source)))

    indicators = tables.get("indikator", [])
    for row in found.rows.get("anggaran", []):
        fields = {key: value for key, value in row.fields.items() if key != "kode" or value}
        served = fields.pop("_indikator", "")
        if served:
            best = max(indicators, key=lambda ik: similarity(ik.get("uraian", ""), served), default=None)
            if best is not None and similarity(best.get("uraian", ""), served) >= 0.75:
                fields["indikator_kode"] = best["kode"]
        if fields.get("sumber_dana") and not re.match(r"^[A-Za-z][A-Za-z -]*$", fields["sumber_dana"]):
            fields.pop("sumber_dana")
        if fields.get("target"):
            satuan = _satuan(fields.get("target", ""), fields.get("realisasi_kinerja", ""))
            if satuan:
                fields.setdefault("satuan", satuan)
        tables.setdefault("anggaran", []).append(fields)
        origins.append(("anggaran", Row(fields, row.source)))

    programs = [fields for fields in tables.get("anggaran", []) if fields.get("tingkat") == "Program"]
    for row in found.rows.get("pk_anggaran", []):
        fields = dict(row.fields)
        match = max(
            programs,
            key=lambda program: similarity(program.get("uraian", ""), fields.get("uraian", "")),
            default=None,
        )
        if (
            match is not None
            and match.get("kode")
            and similarity(match.get("uraian", ""), fields.get("uraian", "")) >= 0.6
        ):
            fields["program_kode"] = match["kode"]
        elif match is not None and _spelt_otherwise(match.get("uraian", ""), fields.get("uraian", "")):
            # the same program spelt otherwise ("Ketentraman" / "Ketenteraman"): the budget's name links them
            fields["uraian"] = match["uraian"]
        tables.setdefault("pk_anggaran", []).append(fields)
        origins.append(("pk_anggaran", Row(fields, row.source)))

    for table_id in ("penduduk", "kutipan", "renstra"):
        for row in found.rows.get(table_id, []):
            fields = dict(row.fields)
            served = fields.pop("_indikator", None)
            if served is not None:
                code = next((ik["kode"] for ik in indicators if ik.get("uraian") == served), None)
                if code is None:
                    continue
                fields["kode"] = code
            tables.setdefault(table_id, []).append(fields)
            origins.append((table_id, Row(fields, row.source)))
    return cells, tables, origins


def _spelt_otherwise(a: str, b: str) -> bool:
    """The same words, one or another spelt with a letter more or less (not a word missing or added)."""
    words_a, words_b = re.findall(r"[a-z0-9]+", a.lower()), re.findall(r"[a-z0-9]+", b.lower())
    if not words_a or words_a == words_b or len(words_a) != len(words_b):
        return False
    return all(
        one == other or (one[:3] == other[:3] and similarity(one, other) >= 0.7)
        for one, other in zip(words_a, words_b, strict=True)
    )


def _satuan(*texts: str) -> str:
    for text in texts:
        if "%" in text:
            return "%"
    for text in texts:
        match = re.search(r"\d\s*([A-Za-z][A-Za-z/]+)", text)
        if match:
            return match.group(1).title()
    return ""


def _satuan_of_name(uraian: str) -> str:
    """The unit an indicator's name states: "Persentase ..." is %, "Indeks ..." an index, "Nilai ..." a score."""
    first = uraian.strip().split(" ", 1)[0].lower() if uraian.strip() else ""
    if first in ("persentase", "prosentase", "presentase", "cakupan", "rasio"):
        return "%"
    if first in ("indeks", "index"):
        return "Indeks"
    if first in ("nilai", "skor"):
        return "Nilai"
    return ""


_FREE_MAX_COLUMNS = 26


def _free_tables(found: Recognised, rules: Any = None) -> list[Any]:
    """Other numeric tables with a title, for the free-tables sheet, each with the rule row its own
    header words give (:mod:`.free`; the reviewer adds what the words do not say)."""
    from ..filling import FreeTable
    from .free import infer_rules, total_labels

    tables = []
    for table, header, data in found.free_tables:
        if len(header.labels) > _FREE_MAX_COLUMNS:
            continue
        rows = total_labels(header, data)
        tables.append(
            FreeTable(
                title=_title_of(table),
                header=header.labels,
                rows=rows,
                rules=infer_rules(table.rows, header, rows, rules),
            )
        )
    return tables


def _title_of(table: Table) -> str:
    from .recognise import _title

    return _title(table)


def import_report(
    source: str | Path,
    output: str | Path,
    rules: Any = None,
    overwrite: bool = False,
) -> ImportResult:
    """Read ``source``, recognise its parts and write a filled template to ``output`` atomically."""
    from ..filling import fill_workbook
    from ..output import check_target, write_atomically
    from ..rules import load_rules
    from ..template import blank_workbook, share_formulas
    from . import read_document

    source_path, output_path = Path(source), Path(output)
    # refused before any work: the report itself, an existing file without --overwrite, not .xlsx
    check_target(output_path, inputs=(source_path,), overwrite=overwrite, suffixes=(".xlsx",))
    document = read_document(source_path)
    found = recognise(document)
    cells, tables, origins = build_data(found)
    rules = rules if rules is not None else load_rules("default")
    result = ImportResult(output_path, document, found)
    workbook = blank_workbook(rules)

    def write(temporary: Path) -> None:
        filled = fill_workbook(workbook, cells, tables, _free_tables(found, rules))
        result.placed = _placed_lines(found, filled, origins)
        _impor_sheet(workbook, result)
        workbook.save(temporary)
        # openpyxl writes each row of the template's filled-down live-check columns in full
        share_formulas(temporary)

    write_atomically(output_path, write, inputs=(source_path,), overwrite=overwrite, suffixes=(".xlsx",))
    return result


_TABLE_NAMES = {
    "sasaran": "Sasaran",
    "indikator": "Indikator",
    "anggaran": "Anggaran",
    "pk_anggaran": "PK Anggaran",
    "penduduk": "Penduduk",
    "kutipan": "Kutipan",
    "renstra": "Renstra",
}


def _placed_lines(found: Recognised, filled: Any, origins: list[tuple[str, Row]]) -> list[Placed]:
    from ..schema import template_schema

    schema = template_schema()
    cell_at = {cell["field"]: f"{cell['sheet']}!{cell['cell']}" for cell in schema["cells"]}
    lines = []
    for name, source in found.cell_sources.items():
        if name in cell_at:
            lines.append(Placed("diisi", cell_at[name], f"{name} = {found.cells[name]}", source.describe()))
    counters: dict[str, int] = {}
    for table_id, row in origins:
        index = counters.get(table_id, 0)
        counters[table_id] = index + 1
        excel_row = filled.first_rows.get(table_id, 0) + index
        label = row.fields.get("uraian") or row.fields.get("besaran") or row.fields.get("tahun") or ""
        if table_id == "renstra":
            label = (
                f"{row.fields.get('kode', '')} ({row.fields.get('sumber', '')} {row.fields.get('tahun', '')})"
            )
        lines.append(
            Placed(
                "diisi",
                f"{_TABLE_NAMES.get(table_id, table_id)} baris {excel_row}",
                str(label)[:80],
                row.source.describe(),
            )
        )
    for index, free in enumerate(filled.free_rows):
        table = found.free_tables[index][0] if index < len(found.free_tables) else None
        if table is not None:
            lines.append(
                Placed(
                    "diisi",
                    f"Tabel Bebas baris {free}",
                    _title_of(table),
                    Source(_title_of(table), table.page, table.line).describe(),
                )
            )
    for table, reason in found.unplaced_tables:
        lines.append(
            Placed(
                "tidak ditempatkan",
                "",
                f"tabel ({len(table.rows)} baris): {reason}",
                Source(_title_of(table), table.page, table.line).describe(),
            )
        )
    for paragraph in found.unplaced_sentences:
        lines.append(
            Placed(
                "tidak ditempatkan",
                "",
                "kalimat berisi angka",
                Source(f"“{paragraph.text[:100]}”", paragraph.page, paragraph.line).describe(),
            )
        )
    return lines


def _impor_sheet(workbook: Any, result: ImportResult) -> None:
    from openpyxl.styles import Font

    from ..filling import put

    sheet = workbook.create_sheet(IMPOR_SHEET)
    put(sheet.cell(row=1, column=1), f"Impor dari {result.document.path.name}")
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    put(
        sheet.cell(row=2, column=1),
        "Angka diketik persis seperti tercetak. Periksa setiap baris terhadap laporan, lengkapi yang "
        "tidak ditempatkan, lalu jalankan pemeriksaan (check).",
    )
    headers = ("Status", "Diisi ke", "Isi", "Sumber di laporan")
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(row=4, column=column)
        put(cell, text)
        cell.font = Font(bold=True)
    for offset, line in enumerate(result.placed, start=5):
        for column, text in enumerate((line.status, line.target, line.what, line.source), start=1):
            put(sheet.cell(row=offset, column=column), text)
    for letter, width in (("A", 18), ("B", 24), ("C", 60), ("D", 80)):
        sheet.column_dimensions[letter].width = width


__all__ = ["IMPOR_SHEET", "ImportResult", "Placed", "build_data", "import_report", "strip_numbering"]
