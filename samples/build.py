"""Regenerate the filled sample input workbooks from ``samples/data/<name>.json``.

Usage::

    python samples/build.py                 # every samples/data/*.json -> samples/<name>.xlsx
    python samples/build.py NAME...         # only these (NAME, NAME.json or a path)
    python samples/build.py --findings ...  # also list the reader's findings per sample

Each data file is turned into a workbook exactly as a program outside the
package would do it: a blank template is written with the data file's rules
preset, then filled *only* through the published schema
(``sakip_xlsx.schema.template_schema()``: single cells at ``cells[].sheet/cell``,
table rows from ``first_data_row`` down at each column's letter), and saved
atomically.  The result is then read back with the project's reader and
compared with what was written.

Values: JSON strings are written as text exactly as given (the reports'
printed styles such as ``2.739.149.000`` or ``98,32 %`` must reach the reader
as typed text), JSON numbers and values of ``year`` fields as numbers.  With
``"typed_as": "numbers"`` at the top of a data file, every value of a numeric
column that reads cleanly as a plain number is written as a number too.
Keys starting with ``_`` are ignored, and so is ``extra`` (for now).
"""

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl.writer.excel import ExcelWriter

from sakip_xlsx.description import TEMPLATE
from sakip_xlsx.filling import FillError, FreeTable, fill_workbook
from sakip_xlsx.output import atomic_output
from sakip_xlsx.reader import read_workbook
from sakip_xlsx.rules import load_rules
from sakip_xlsx.template import blank_workbook, live_formula_spans, share_formulas

SAMPLES = Path(__file__).resolve().parent
DATA = SAMPLES / "data"

#: Workbook created/modified stamp and zip entry times: regenerating gives the same file.
FIXED_TIME = dt.datetime(2024, 1, 1)


class SampleDataError(ValueError):
    """A data file that cannot be turned into a workbook."""


@dataclass
class Built:
    """What build_sample wrote, for reporting and for checking it back."""

    data_path: Path
    out_path: Path
    #: cell field -> value written (None: left blank)
    cells: dict[str, Any] = field(default_factory=dict)
    #: table id -> one dict per JSON row: field -> value written (None: left blank)
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    #: table id -> first data row of the table in the template
    first_rows: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: how many free tables were written to the free-tables sheet
    free_tables: int = 0


def _warn_stderr(message: str) -> None:
    print(message, file=sys.stderr)


def build_sample(
    data_path: str | Path,
    out_path: str | Path | None = None,
    warn: Callable[[str], None] | None = _warn_stderr,
) -> Built:
    """Build the sample workbook of ``data_path`` into ``out_path`` (default samples/<name>.xlsx).

    Fields the schema does not know are not written; each one is reported
    through ``warn`` (one line per data row) and listed in ``Built.warnings``.
    """
    data_path = Path(data_path)
    out_path = Path(out_path) if out_path is not None else SAMPLES / f"{data_path.stem}.xlsx"
    try:
        data = json.loads(data_path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SampleDataError(f"{data_path}: cannot read the data file: {exc}") from None
    if not isinstance(data, dict):
        raise SampleDataError(f"{data_path}: the data file must hold a JSON object")
    typed_as = data.get("typed_as", "text")
    if typed_as not in ("text", "numbers"):
        raise SampleDataError(f"{data_path}: typed_as must be 'text' or 'numbers', not {typed_as!r}")
    typed_numbers = typed_as == "numbers"
    built = Built(data_path, out_path)

    def warn_unknown(where: str, names: Iterable[str]) -> None:
        names = sorted(names)
        if names:
            message = (
                f"warning: {data_path.name}: {where}: unknown field(s) not in the schema, "
                f"not written: {', '.join(names)}"
            )
            built.warnings.append(message)
            if warn is not None:
                warn(message)

    workbook = blank_workbook(load_rules(data.get("rules") or "default"))

    tables = dict(data.get("tables") or {}) | extra_tables(data.get("extra") or {})
    if not isinstance(tables, dict):
        raise SampleDataError(f"{data_path}: 'tables' must be an object of table id -> rows")
    for table_id, rows in tables.items():
        if not isinstance(rows, list):
            raise SampleDataError(f"{data_path}: table {table_id!r} must be a list of rows")
    free = [
        FreeTable(
            title=str(table.get("judul") or "Tabel"),
            header=table.get("header") or [],
            rows=table.get("rows") or [],
            rules=table.get("rumus") or {},
        )
        for table in (data.get("extra") or {}).get("tabel_bebas") or []
    ]
    try:
        filled = fill_workbook(
            workbook,
            _fields(data.get("cells") or {}, data_path, "cells"),
            {
                table_id: [_fields(row, data_path, f"{table_id}[{index}]") for index, row in enumerate(rows)]
                for table_id, rows in tables.items()
            },
            free,
            typed_numbers,
        )
    except FillError as exc:
        raise SampleDataError(f"{data_path}: {exc}") from None
    for table_id in filled.unknown_tables:
        message = f"warning: {data_path.name}: table {table_id!r} is not in the schema, not written"
        built.warnings.append(message)
        if warn is not None:
            warn(message)
    for where, names in filled.unknown:
        warn_unknown(where, names)
    built.cells = filled.cells
    built.rows = filled.rows
    built.first_rows = filled.first_rows
    built.free_tables = len(filled.free_rows)
    _place_row_references(workbook, free, filled.free_rows)

    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    with atomic_output(out_path, overwrite=True) as temporary:
        _save_deterministic(workbook, temporary)
        # openpyxl writes each row of a filled-down live-check column in full: share them again
        share_formulas(temporary, live_formula_spans())
        os.chmod(temporary, 0o644)  # mkstemp makes it owner-only
    return built


#: a data row of a free table in a cell rule of the data files: "E{r4} = E{r3} - H{r1}"
ROW_REFERENCE = re.compile(r"\{r(\d+)\}")


def _place_row_references(workbook: Any, free: list[FreeTable], title_rows: list[int]) -> None:
    """Write the sheet row of each ``{rN}`` (data row N of its table) into the cell rules of the
    free tables, as a person typing the rule in the Tabel Bebas sheet sees the addresses."""
    sheet = workbook[TEMPLATE.free_sheet]
    for table, title_row in zip(free, title_rows, strict=True):
        if not any(ROW_REFERENCE.search(str(rule)) for rule in table.rules.values()):
            continue
        rule_row = title_row + 2  # title, header, Rumus; data row 1 follows the Rumus row
        for cell in sheet[rule_row]:
            if isinstance(cell.value, str) and ROW_REFERENCE.search(cell.value):
                cell.value = ROW_REFERENCE.sub(lambda m, at=rule_row: str(at + int(m.group(1))), cell.value)


#: besaran as written in the data files (snake case) -> the template's list value
BESARAN = {
    "realisasi_kinerja": "realisasi kinerja",
    "persen_alokasi": "persen alokasi",
    "pk_target": "target PK",
    "pk_anggaran": "anggaran PK",
    "total_pagu": "total pagu",
    "total_realisasi": "total realisasi",
    "total_serapan": "total serapan",
    "total_sisa": "total sisa",
    "total_pk": "total PK",
    "rata_capaian": "rata-rata capaian",
    "jumlah_program": "jumlah program",
    "jumlah_kegiatan": "jumlah kegiatan",
    "jumlah_sub_kegiatan": "jumlah sub kegiatan",
    "jumlah_indikator": "jumlah indikator",
    "penduduk_l": "penduduk laki-laki",
    "penduduk_p": "penduduk perempuan",
    "penduduk_total": "penduduk total",
}


def _name_kode(entry: dict[str, Any]) -> Any:
    """A renstra/kutipan row's kode, or else the uraian it names (numbering like "1. " dropped)."""
    if entry.get("kode"):
        return entry["kode"]
    budget_line = entry.get("_tingkat") in ("Program", "Kegiatan", "Sub Kegiatan")
    for key in ("_uraian", "_indikator") if budget_line else ("_indikator", "_uraian"):
        if entry.get(key):
            return re.sub(r"^\s*[0-9IVX]+[.)]\s*", "", str(entry[key])).strip()
    return None


def extra_tables(extra: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The data files' ``extra`` section as rows of the kutipan and renstra tables."""
    tables: dict[str, list[dict[str, Any]]] = {}
    if extra.get("kutipan"):
        tables["kutipan"] = [
            {
                "lokasi": entry.get("lokasi"),
                "besaran": BESARAN.get(entry.get("besaran"), entry.get("besaran")),
                "kode": _name_kode(entry),
                "nilai": entry.get("nilai"),
            }
            for entry in extra["kutipan"]
        ]
    if extra.get("renstra"):
        tables["renstra"] = [
            {
                "kode": _name_kode(entry),
                "tahun": entry.get("tahun"),
                "target": entry.get("target"),
                "pagu": entry.get("pagu"),
                "sumber": entry.get("sumber"),
                "target_akhir_dilaporkan": entry.get("target_akhir_dilaporkan"),
                "pagu_akhir_dilaporkan": entry.get("pagu_akhir_dilaporkan"),
            }
            for entry in extra["renstra"]
        ]
    return tables


def _fields(mapping: Any, data_path: Path, where: str) -> dict[str, Any]:
    """The object's entries without the ``_``-prefixed annotation keys."""
    if not isinstance(mapping, dict):
        raise SampleDataError(f"{data_path}: {where} must be a JSON object")
    return {key: value for key, value in mapping.items() if not key.startswith("_")}


class _FixedTimeZip(ZipFile):
    """A zip whose entries all carry FIXED_TIME, so equal content gives equal bytes."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if not isinstance(zinfo_or_arcname, ZipInfo):
            info = ZipInfo(zinfo_or_arcname, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        name = arcname if arcname is not None else Path(filename).name
        self.writestr(name, Path(filename).read_bytes(), compress_type, compresslevel)


def _save_deterministic(workbook: Any, path: Path) -> None:
    """openpyxl's save_workbook, minus its 'modified = now' and the zip entry times."""
    archive = _FixedTimeZip(path, "w", ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(workbook, archive).save()


# --- checking a built workbook back with the project's reader -----------------


@dataclass
class Verified:
    """The reader's view of a built sample, compared with what was written."""

    records: dict[str, int]
    findings: list[Any]
    problems: list[str]


def _same(written: Any, read: Any) -> bool:
    if written is None:
        return read is None or read == ""
    if isinstance(written, str) or isinstance(read, str):
        return written == read
    return float(written) == float(read)


def verify_sample(built: Built) -> Verified:
    """Read the built workbook back: every row and value must arrive as written."""
    submission = read_workbook(built.out_path)
    problems = []
    for name, value in built.cells.items():
        entry = submission.cells.get(name)
        raw = None if entry is None else entry.raw
        if not _same(value, raw):
            problems.append(f"cell {name}: wrote {value!r}, reader has {raw!r}")
    records = {}
    for table_id, rows in built.rows.items():
        table = submission.tables.get(table_id)
        found = table.records if table is not None else []
        records[table_id] = len(found)
        if len(found) != len(rows):
            problems.append(f"table {table_id}: {len(rows)} rows written, reader has {len(found)}")
        by_row = {record.row: record for record in found}
        for index, written in enumerate(rows):
            excel_row = built.first_rows[table_id] + index
            record = by_row.get(excel_row)
            if record is None:
                problems.append(f"table {table_id} row {index}: not read (sheet row {excel_row})")
                continue
            for name, value in written.items():
                entry = record.entries.get(name)
                raw = None if entry is None else entry.raw
                if not _same(value, raw):
                    problems.append(
                        f"table {table_id} row {index} {name}: wrote {value!r}, reader has {raw!r}"
                    )
    return Verified(records, list(submission.findings), problems)


# --- command line ---------------------------------------------------------------


def _data_files(names: list[str]) -> list[Path]:
    if not names:
        files = sorted(DATA.glob("*.json"))
        if not files:
            raise SampleDataError(f"no data files in {DATA}")
        return files
    files = []
    for name in names:
        candidate = Path(name)
        if candidate.suffix != ".json" or not candidate.exists():
            candidate = DATA / f"{Path(name).stem if name.endswith('.json') else name}.json"
        if not candidate.exists():
            raise SampleDataError(f"no data file for {name!r} (looked for {candidate})")
        files.append(candidate)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the sample input workbooks from samples/data/*.json.")
    parser.add_argument("names", nargs="*", help="data file names (default: all)")
    parser.add_argument("--findings", action="store_true", help="list the reader's findings of each sample")
    parser.add_argument("--no-verify", action="store_true", help="do not read the built workbooks back")
    args = parser.parse_args(argv)
    try:
        files = _data_files(args.names)
    except SampleDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    failed = False
    for data_path in files:
        try:
            built = build_sample(data_path)
        except SampleDataError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = True
            continue
        shown = (
            built.out_path.relative_to(Path.cwd())
            if built.out_path.is_relative_to(Path.cwd())
            else built.out_path
        )
        rows = " ".join(f"{table}={len(rows)}" for table, rows in built.rows.items())
        line = f"{shown}: {rows}"
        if built.warnings:
            line += f"; {len(built.warnings)} warning(s)"
        if not args.no_verify:
            verified = verify_sample(built)
            codes = Counter(finding.code for finding in verified.findings)
            summary = ", ".join(f"{code} {count}" for code, count in sorted(codes.items())) or "none"
            line += f"; reader findings: {summary}"
            if verified.problems:
                failed = True
                line += f"; READ-BACK MISMATCH ({len(verified.problems)})"
        print(line)
        if not args.no_verify:
            for problem in verified.problems:
                print(f"  mismatch: {problem}")
            if args.findings:
                for finding in verified.findings:
                    where = f"{finding.sheet or ''}!{finding.cell or ''}"
                    print(f"  {finding.code} {where}: {finding.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
