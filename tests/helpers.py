"""Shared test helpers: write a blank template and fill it through the schema.

Everything here goes through the public contract (SPEC section 8): the
``sakip-xlsx schema --format json`` output tells where each field lives, and
the workbook is filled with openpyxl exactly as another program would.

Main entry points:

* :func:`schema` - the schema JSON as printed by the CLI (parsed, cached);
* :func:`write_blank_template` - a fresh template for a rules preset;
* :func:`fill_template` - put values into a template at the schema's cells;
* :func:`cell_of` / :func:`cell_ref` - where a table value lands (sheet, A1).

The ``filled_template`` fixture in ``conftest.py`` combines them.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from click.testing import CliRunner

from sakip_xlsx.cli import main
from sakip_xlsx.rules import load_rules
from sakip_xlsx.template import TemplateOptions, share_formulas, write_template

#: One table's rows for :func:`fill_template`: either a list (item ``i`` goes to
#: ``first_data_row + i``; ``None`` leaves that row blank) or a mapping from
#: Excel row number to the row's values.  Each row maps field id -> value.
TableRows = Sequence[Mapping[str, Any] | None] | Mapping[int, Mapping[str, Any]]

#: Words of which an Indonesian message holds at least one.
INDONESIAN_WORDS = frozenset(
    """
    tidak dan di ke dari yang atau bukan wajib diisi sudah dipakai lembar kolom baris kode satuan
    berbeda jumlah uang negatif induk punya berkas template versi pilih pilihan sah terbaca sebagai
    dibuat aturan harus angka salah satu tertulis batas bawah lebih besar atas pakai ditemukan ada
    isi buka simpan ulang lalu kirim dapat dibaca preset timpa galat keluaran rusak sel berisi
    """.split()
)
#: English words that must not appear in a message meant for staff.
ENGLISH_WORDS = frozenset("the is are must not found invalid error file sheet value please".split())


def is_indonesian(message: str, detail_after: str | None = None) -> bool:
    """True if ``message`` reads as Indonesian (some Indonesian words, no English ones).

    ``detail_after``: a marker after which the message quotes a library's own
    (English) error text, such as a TOML parser's position; only the part
    before it is judged.
    """
    if detail_after is not None:
        assert detail_after in message, message
        message = message.split(detail_after, 1)[0]
    words = set(re.findall(r"[a-z]+", message.lower()))
    return bool(words & INDONESIAN_WORDS) and not (words & ENGLISH_WORDS)


@functools.cache
def _schema_text() -> str:
    result = CliRunner().invoke(main, ["schema", "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.output


def schema() -> dict[str, Any]:
    """The template contract as printed by ``sakip-xlsx schema --format json`` (a fresh copy)."""
    return json.loads(_schema_text())


def table_schema(table_id: str) -> dict[str, Any]:
    """The schema entry of one table."""
    for table in schema()["tables"]:
        if table["id"] == table_id:
            return table
    raise KeyError(table_id)


def cell_schema(field_id: str) -> dict[str, Any]:
    """The schema entry of one single-cell field."""
    for cell in schema()["cells"]:
        if cell["field"] == field_id:
            return cell
    raise KeyError(field_id)


def column_of(table_id: str, field_id: str) -> str:
    """Column letter of a table field according to the schema."""
    for column in table_schema(table_id)["columns"]:
        if column["field"] == field_id:
            return column["column"]
    raise KeyError(f"{table_id}.{field_id}")


def cell_of(table_id: str, field_id: str, index: int = 0) -> tuple[str, str]:
    """(sheet, A1 cell) of item ``index`` of a table filled as a list by :func:`fill_template`."""
    table = table_schema(table_id)
    return table["sheet"], f"{column_of(table_id, field_id)}{table['first_data_row'] + index}"


def write_blank_template(path: str | Path, rules: str | None = None, **options: Any) -> Path:
    """Write a blank template for rules preset (or TOML file) ``rules``; options prefill Identitas."""
    return write_template(Path(path), load_rules(rules), TemplateOptions(**options))


def _rows(table: dict[str, Any], rows: TableRows) -> list[tuple[int, Mapping[str, Any]]]:
    if isinstance(rows, Mapping):
        return sorted(rows.items())
    return [(table["first_data_row"] + i, row) for i, row in enumerate(rows) if row is not None]


def fill_template(
    path: str | Path,
    cells: Mapping[str, Any] | None = None,
    tables: Mapping[str, TableRows] | None = None,
    output: str | Path | None = None,
) -> Path:
    """Fill the template at ``path`` through the schema and save it (to ``output`` or in place).

    ``cells`` maps a single-cell field id (``pemda``, ``total_pagu_dilaporkan``,
    ...) to its value; ``tables`` maps a table id to its rows (see
    :data:`TableRows`).  Values are written as given: numbers stay numbers,
    text stays text (``"Rp. 3.961.741.788"``), ``None`` leaves the cell empty.
    Returns the path written.
    """
    contract = schema()
    stripped = _strip_shared_formulas(Path(path))
    workbook = openpyxl.load_workbook(stripped.source)
    by_field = {cell["field"]: cell for cell in contract["cells"]}
    for field_id, value in (cells or {}).items():
        cell = by_field[field_id]
        workbook[cell["sheet"]][cell["cell"]].value = value
    by_table = {table["id"]: table for table in contract["tables"]}
    for table_id, rows in (tables or {}).items():
        table = by_table[table_id]
        letters = {column["field"]: column["column"] for column in table["columns"]}
        worksheet = workbook[table["sheet"]]
        for row_number, row in _rows(table, rows):
            for field_id, value in row.items():
                worksheet[f"{letters[field_id]}{row_number}"].value = value
    target = Path(output or path)
    workbook.save(target)
    workbook.close()
    stripped.restore(target)
    return target


_SHARED_DEPENDENT = re.compile(
    rb'<c r="([A-Z]+)([0-9]+)"[^>]*><f t="shared" si="[0-9]+"/>(?:<v>[^<]*</v>)?</c>'
)
_FORMULA_MASTER = re.compile(rb'<c r="([A-Z]+)([0-9]+)"( s="[0-9]+")?[^>]*><f>')


class _Stripped:
    """A template whose filled-down live-check formulas are cut down to each column's first row.

    openpyxl translates every cell of a shared formula on load (seconds per template: the live
    checks' formulas are long); the tests fill hundreds of templates.  The cells below each
    first row are put back after saving, as Excel saves a filled-down column: one shared formula
    (:func:`sakip_xlsx.template.share_formulas`), with the first row's style.
    """

    def __init__(self, source: Path, cut: dict[str, list[tuple[bytes, int]]], folder: Any):
        self.source, self.cut, self._folder = source, cut, folder

    def restore(self, target: Path) -> None:
        import zipfile

        from sakip_xlsx.reader import _part_sheets

        with zipfile.ZipFile(target) as archive:
            parts = {info.filename: archive.read(info) for info in archive.infolist()}
            names = _part_sheets(archive)
        for part, name in names.items():
            cells = self.cut.get(name)
            if not cells:
                continue
            data = parts[part]
            styles = {m.group(1): m.group(3) or b"" for m in _FORMULA_MASTER.finditer(data)}
            by_row: dict[int, list[bytes]] = {}
            for letter, row in cells:
                by_row.setdefault(row, []).append(
                    b'<c r="%s%d"%s><f>0</f></c>' % (letter, row, styles[letter])
                )

            def put(match: re.Match[bytes], by_row=by_row) -> bytes:
                added = by_row.pop(int(match.group(1)), None)
                return match.group(0) if added is None else match.group(0)[:-6] + b"".join(added) + b"</row>"

            data = re.sub(rb'<row r="([0-9]+)"[^>]*>.*?</row>', put, data, flags=re.S)
            assert not by_row, f"rows missing in {name}: {sorted(by_row)[:5]}"
            parts[part] = data
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        share_formulas(target)
        self._folder.cleanup()


def _strip_shared_formulas(path: Path) -> _Stripped:
    import tempfile
    import zipfile

    from sakip_xlsx.reader import _part_sheets

    folder = tempfile.TemporaryDirectory(prefix="sakip-fill-")
    source = Path(folder.name) / path.name
    cut: dict[str, list[tuple[bytes, int]]] = {}
    with zipfile.ZipFile(path) as archive, zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as copy:
        names = _part_sheets(archive)
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename in names:
                found = [(m.group(1), int(m.group(2))) for m in _SHARED_DEPENDENT.finditer(data)]
                if found:
                    cut[names[info.filename]] = found
                    data = _SHARED_DEPENDENT.sub(b"", data)
            copy.writestr(info.filename, data)
    return _Stripped(source, cut, folder)


def cell_ref(table_id: str, field_id: str, row: int) -> str:
    """A1 reference of a table field at Excel row ``row`` (schema letters)."""
    return f"{column_of(table_id, field_id)}{row}"
