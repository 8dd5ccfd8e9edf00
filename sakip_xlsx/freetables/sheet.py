"""Reading the free-table sheet: titles, headers, rule rows, data and total rows, every cell through
the shared reader (:func:`sakip_xlsx.values.parse_value`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..cells import column_index, column_letter
from ..description import FREE_SHEET_INSTRUCTIONS
from ..findings import Finding, finding
from ..model import Entry
from ..names import normalise_name
from ..precision import is_number
from ..values import Parsed, UnreadableValue, parse_value
from .language import (
    _LARGEST,
)

FREE_SHEET = "Tabel Bebas"
TABLE_ID = "tabel_bebas"

INSTRUCTIONS = FREE_SHEET_INSTRUCTIONS
FIRST_TABLE_ROW = len(INSTRUCTIONS) + 2


@dataclass
class FreeRow:
    """One data or total row of a free table."""

    row: int  # Excel row number
    label: str | None
    kind: str  # "data" | "sum" | "mean"
    #: column letter -> Entry (value: the number read, or None; parsed: the reading, None if unreadable)
    cells: dict[str, Entry]


@dataclass
class FreeTable:
    """One table pasted into the free-table sheet."""

    title: str
    sheet: str
    title_row: int
    header_row: int
    rule_row: int | None
    headers: dict[str, str]  # column letter -> header text
    rows: list[FreeRow]  # data and total rows in order
    column_rules: dict[str, str]  # column letter -> formula text as written
    checks: list[str]  # row equalities as written (without "cek:")
    kode_column: str | None
    scales: dict[str, str]  # column letter -> scale name
    #: rule-row cell of each entry of ``checks``
    check_cells: list[str] = field(default_factory=list)
    #: columns marked "abaikan" in the rule row
    ignored: list[str] = field(default_factory=list)
    #: columns of words: the row labels ("1 Pendapatan Asli Daerah") and columns without a figure ("APBD")
    label_columns: list[str] = field(default_factory=list)
    #: what a total row is in a column, from the rule row ("total:rata", "jumlah:abaikan"):
    #: column -> row kind (sum | mean) -> sum | mean | rule | skip
    total_modes: dict[str, dict[str, str]] = field(default_factory=dict)
    #: how each column's cells are read ("rupiah" when rupiah is written in it, else "number")
    value_types: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Column letters in sheet order."""
        return sorted(self.headers, key=column_index)

    @property
    def index_columns(self) -> list[str]:
        """Columns headed No / Nomor: row numbering, never a figure."""
        return [c for c in self.columns if normalise_name(self.headers[c]) in _INDEX_HEADERS]

    def item_rows(self) -> list[FreeRow]:
        """The rows a count of the table's items counts ("6 jenis layanan", "18 desa"): its data rows
        (not the header, Rumus, total or mean rows) that hold a figure or "-" outside the label, number
        and kode columns; a group heading without figures ("1 Kecamatan Ngoro") is no item."""
        skip = {*self.label_columns, *self.index_columns, self.kode_column}
        return [
            row
            for row in self.rows
            if row.kind == "data"
            and any(not _blank(entry.raw) for column, entry in row.cells.items() if column not in skip)
        ]


# ---------------------------------------------------------------------------
# The rule language: tokenizer and recursive-descent parser
# ---------------------------------------------------------------------------


_SUM_LABELS = frozenset(
    {
        "jumlah",
        "total",
        "jumlah total",
        "total jumlah",
        "sub total",
        "subtotal",
        "sub jumlah",
        "grand total",
        "jumlah seluruhnya",
        "jumlah keseluruhan",
        "total keseluruhan",
    }
)
_MEAN_LABELS = frozenset({"rata rata", "ratarata", "rata2", "rerata"})
_EXPLICIT_TOTAL = re.compile(r"^\s*(jumlah|total|sub\s*total|rata[\s-]*rata|rerata)\s*:", re.IGNORECASE)
_INDEX_HEADERS = frozenset({"no", "nomor", "no urut", "nomor urut", "no urt", "nmr"})
_NUMBERING = re.compile(r"^\(?\s*([0-9]+)\s*[.)]?\s*\)?$")
_ROMAN = re.compile(r"^(?=[ivxlc]+\.?$)m*(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})\.?$", re.IGNORECASE)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text (whole floats without ".0")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _cell_at(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else ""


def _title_of(row: list[object]) -> str | None:
    """The title when ``row`` is a title row, else None."""
    if not row or not isinstance(row[0], str):
        return None
    text = " ".join(row[0].split())
    if any(not _blank(value) for value in row[1:]):
        return None
    lowered = text.lower()
    judul = re.match(r"judul\s*:", lowered)
    if judul:
        return text[judul.end() :].strip() or "Tabel tanpa judul"
    if lowered.startswith("tabel"):
        return text
    return None


def _is_blank_row(row: list[object]) -> bool:
    return all(_blank(value) for value in row)


_RUPIAH_MARK = re.compile(r"^\s*[(\-−–]?\s*(?:rp|idr)\b|[0-9],-\s*$", re.IGNORECASE)


def _looks_rupiah(raw: object) -> bool:
    """Text written as rupiah: "Rp. 1.250.000.000,00", "IDR 5.000", "4.349.483.103,-"."""
    return isinstance(raw, str) and bool(_RUPIAH_MARK.search(raw))


def _read_number(raw: object, value_type: str = "number") -> tuple[Any, Parsed | None]:
    """(number or None, parsed or None when unreadable) of one cell, read by the shared reader."""
    if _blank(raw):
        return None, Parsed(None, "empty")
    try:
        parsed = parse_value(raw, value_type)
    except (UnreadableValue, ValueError):
        if value_type == "number":
            return None, None
        return _read_number(raw)  # "400 Dokumen" in a column that also holds rupiah
    value = parsed.value if parsed.kind == "number" else None
    if value is not None and abs(value) > _LARGEST:
        return None, None
    return value, parsed


def _is_numeric_cell(raw: object) -> bool:
    value, parsed = _read_number(raw, "rupiah" if _looks_rupiah(raw) else "number")
    return value is not None and parsed is not None and parsed.unit is None and parsed.grade is None


def _numbering_values(row: list[object]) -> list[int] | None:
    values = []
    for raw in row:
        if _blank(raw):
            continue
        if is_number(raw) and float(raw).is_integer():
            values.append(int(raw))
            continue
        match = _NUMBERING.match(str(raw).strip()) if isinstance(raw, str) else None
        if match is None:
            return None
        values.append(int(match.group(1)))
    return values


def _is_numbering_row(row: list[object]) -> bool:
    """A column-numbering row: 1, 2, 3, ... in neighbouring columns from the first used one."""
    values = _numbering_values(row)
    if not values or len(values) < 3 or values != list(range(1, len(values) + 1)):
        return False
    used = [i for i, raw in enumerate(row) if not _blank(raw)]
    return used == list(range(used[0], used[0] + len(used)))


def _label_of(row: list[object], skip: set[int]) -> tuple[str | None, int | None]:
    """(label, its column index): the first text cell with letters that is not a figure.

    A number, a numbering ("1.", "IV"), a score with its grade ("78 Baik") or a number with its unit
    ("400 Dokumen") is no label; "1 Pendapatan Asli Daerah" (a number followed by several words) is.
    """
    for index, raw in enumerate(row):
        if index in skip or not isinstance(raw, str):
            continue
        text = " ".join(raw.split())
        if not text or _NUMBERING.match(text) or _ROMAN.match(text) or not re.search(r"[A-Za-z]", text):
            continue
        value, parsed = _read_number(raw, "rupiah" if _looks_rupiah(raw) else "number")
        if (
            value is not None
            and parsed is not None
            and (parsed.grade or len((parsed.unit or "").split()) < 2)
        ):
            continue  # a figure: "84,5", "78 Baik", "400 Dokumen"
        return text, index
    return None, None


_TOTAL_HEAD = re.compile(r"^(sub ?total|sub jumlah|grand total|jumlah|total|rata ?rata|rata2|rerata)(?: |$)")
#: words after "Jumlah"/"Total" that keep a label a total anywhere in a table ("Jumlah Seluruh Anggaran")
_TOTAL_QUALIFIERS = frozenset(
    {"seluruh", "seluruhnya", "keseluruhan", "semua", "akhir", "umum", "total", "jumlah", "kecamatan"}
    | {"kabupaten", "anggaran", "tahun", "nilai", "semuanya", "pagu", "realisasi", "belanja"}
)
_TOTAL_MODES = {
    "jumlah": "sum",
    "sum": "sum",
    "rata": "mean",
    "rata rata": "mean",
    "ratarata": "mean",
    "rerata": "mean",
    "average": "mean",
    "rumus": "rule",
    "abaikan": "skip",
}
#: "total:rata" (every total row), "jumlah:abaikan" (sum rows only), "rata:jumlah" (mean rows only)
_TOTAL_SCOPE = re.compile(r"(total|jumlah|rata(?:\s*-?\s*rata)?)\s*:\s*")
_RULE_MARKER = re.compile(r"(?i)^\s*rumus\s*(?::|$)")


def _is_rule_row(row: list[object]) -> bool:
    """A rule row: one of its cells is "Rumus" (alone, or "Rumus: <rule of this column>")."""
    return any(isinstance(raw, str) and _RULE_MARKER.match(raw) for raw in row)


def _is_wordy(raw: object) -> bool:
    """Text that is no attempt at a number: it does not start with a digit, sign or "Rp" ("APBD 2021")."""
    return (
        isinstance(raw, str)
        and bool(re.search(r"[A-Za-z]{2}", raw))
        and not re.match(r"\s*[(+\-−–]?\s*(?:rp|idr|[0-9])", raw, re.IGNORECASE)
        and _read_number(raw)[1] is None
    )


def _is_na(raw: object) -> bool:
    parsed = _read_number(raw)[1]
    return parsed is not None and parsed.kind in ("na", "empty")


def _is_word_cell(raw: object) -> bool:
    """Words without a digit: in a total row, a label beside the figures, never a figure."""
    return isinstance(raw, str) and bool(re.search(r"[A-Za-z]{2}", raw)) and not re.search(r"[0-9]", raw)


def _row_kind(label: str | None, at_foot: bool = False) -> str:
    """ "sum", "mean" or "data" for a row label.

    Jumlah, Total, Sub Total, Rata-rata alone or with words such as "Seluruh", "Keseluruhan",
    "Anggaran Tahun 2021" are totals anywhere; "Rata-rata Capaian IKU", "RATA-RATA TINGKAT
    KEMAJUAN" (other words after the total word) only in the rows at the foot of the table
    (``at_foot``), so a data row such as "Rata-rata lama sekolah" higher up stays data.
    """
    if not label:
        return "data"
    explicit = _EXPLICIT_TOTAL.match(label)
    if explicit:
        word = normalise_name(explicit.group(1)).replace(" ", "")
        return "mean" if word in ("ratarata", "rerata") else "sum"
    normal = normalise_name(label)
    if normal in _SUM_LABELS:
        return "sum"
    if normal in _MEAN_LABELS or normal.replace(" ", "") in ("ratarata", "rata2"):
        return "mean"
    head = _TOTAL_HEAD.match(normal)
    if head is None:
        return "data"
    kind = "mean" if head.group(1).replace(" ", "") in ("ratarata", "rata2", "rerata") else "sum"
    rest = normal[head.end() :].split()
    if all(word in _TOTAL_QUALIFIERS or word.isdigit() for word in rest) or at_foot:
        return kind
    return "data"


def _is_year(raw: object) -> bool:
    value, _ = _read_number(raw)
    return is_number(value) and float(value).is_integer() and 1900 <= value <= 2100


def _is_continuation(row: list[object], header: list[object]) -> bool:
    """A second header row under merged group headers ("Pendidikan" over "S2 S1 D3")."""
    used = [i for i, raw in enumerate(row) if not _blank(raw)]
    if not used:
        return False
    # sub-headers are words, or years ("Realisasi" over 2019 2020 2021)
    numeric = [i for i in used if _is_numeric_cell(row[i])]
    if any(not _is_year(row[i]) for i in numeric):
        return False
    if len(numeric) == len(used) and len(used) < 2:
        return False
    if _title_of(row) is not None or _is_rule_row(row):
        return False
    if not any(_blank(_cell_at(header, i)) for i in used):
        return False
    for i in used:
        above = _cell_at(header, i)
        group_start = not _blank(above) and _blank(_cell_at(header, i + 1))
        if not (_blank(above) or group_start):
            return False
    return True


def _row_texts(row: list[object]) -> list[str]:
    """Normalised texts of a row without trailing blanks (to spot repeated header or numbering rows)."""
    texts = [normalise_name(_text(raw)) if not _blank(raw) else "" for raw in row]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _merge_headers(header: list[object], extra: list[object]) -> list[object]:
    width = max(len(header), len(extra))
    merged: list[object] = []
    group = ""
    for i in range(width):
        top, below = _cell_at(header, i), _cell_at(extra, i)
        if not _blank(top):
            group = _text(top)
        elif _blank(below):
            group = ""
        if _blank(below):
            merged.append(top)
        else:
            merged.append(f"{group} {_text(below)}".strip() if group else _text(below))
    return merged


def _split_rule_cell(text: str) -> list[str]:
    """Parts of a rule-row cell separated by ";" or new lines outside parentheses."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ";\n":
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _short_title(title: str) -> str:
    match = re.match(r"(?i)\s*(?:judul:\s*)?tabel\.?\s*([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)", title)
    if match and re.search(r"[0-9]", match.group(1)) or (match and len(match.group(1)) <= 2):
        return f"Tabel {match.group(1)}"
    return _clip(title, 40)


def tables_named(tables: Iterable[FreeTable], name: object) -> list[FreeTable]:
    """The free tables a reference names (a Kutipan kode): the title as typed in its title row
    (without "Judul:"), else its number ("Tabel 3.18"), else the start of the title (whole words);
    the first of these forms that names any table.  Case, spacing and punctuation are ignored."""
    wanted = normalise_name(re.sub(r"(?i)^\s*judul\s*:", "", str(name or "")))
    if not wanted:
        return []
    tables = list(tables)
    titles = [normalise_name(table.title) for table in tables]
    numbers = [normalise_name(_short_title(table.title)) for table in tables]
    for found in (
        [t for t, title in zip(tables, titles, strict=True) if title == wanted],
        [t for t, number in zip(tables, numbers, strict=True) if number == wanted],
        [t for t, title in zip(tables, titles, strict=True) if title.startswith(wanted + " ")],
    ):
        if found:
            return found
    return []


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _where(table: FreeTable, cell: str | None, label: str, column: str) -> dict[str, Any]:
    return {
        "sheet": table.sheet,
        "cell": cell,
        "table": TABLE_ID,
        "row_key": f"{_short_title(table.title)} / {label}",
        "field": column,
    }


def parse_free_tables(
    grid: list[list[object]], sheet: str = FREE_SHEET
) -> tuple[list[FreeTable], list[Finding]]:
    """Read every free table of the sheet ``grid`` (row-major, A1 at ``grid[0][0]``)."""
    rows = [list(row) if isinstance(row, (list, tuple)) else [] for row in grid]
    tables: list[FreeTable] = []
    findings: list[Finding] = []
    index, stray_open = 0, False
    while index < len(rows):
        title = _title_of(rows[index])
        if title is None:
            row = rows[index]
            if any(_is_numeric_cell(raw) for raw in row):
                if not stray_open:
                    first = next(i for i, raw in enumerate(row) if not _blank(raw))
                    cell = f"{column_letter(first)}{index + 1}"
                    findings.append(
                        finding(
                            "no-value",
                            f"{sheet}!{cell}: baris {index + 1} berisi angka tetapi tidak berada di bawah judul tabel, "
                            'jadi tidak diperiksa. Tambahkan baris judul ("Tabel ...") dan baris judul kolom di atasnya.',
                            severity="warning",
                            sheet=sheet,
                            cell=cell,
                            table=TABLE_ID,
                        )
                    )
                stray_open = True
            elif _is_blank_row(row):
                stray_open = False
            index += 1
            continue
        stray_open = False
        table, index, found = _read_table(rows, index, sheet, title)
        findings.extend(found)
        if table is not None:
            tables.append(table)
    return tables, findings


def _read_table(
    rows: list[list[object]], start: int, sheet: str, title: str
) -> tuple[FreeTable | None, int, list[Finding]]:
    """One table from its title row; returns (table, index of the row after it, findings)."""
    findings: list[Finding] = []
    where = {"sheet": sheet, "cell": f"A{start + 1}", "table": TABLE_ID, "row_key": _short_title(title)}
    r = start + 1
    while r < len(rows) and _is_blank_row(rows[r]):
        r += 1
    if r >= len(rows) or _title_of(rows[r]) is not None:
        findings.append(
            finding(
                "empty-table",
                f"{sheet}!A{start + 1}: tabel “{_clip(title, 80)}” tidak punya baris judul kolom dan data.",
                **where,
            )
        )
        return None, r, findings
    header_index = r
    header = list(rows[r])
    r += 1
    for _ in range(2):
        if r < len(rows) and _is_continuation(rows[r], header):
            header = _merge_headers(header, rows[r])
            r += 1
        else:
            break
    headers = {column_letter(i): _text(raw) for i, raw in enumerate(header) if not _blank(raw)}

    rule_row: int | None = None
    column_rules: dict[str, str] = {}
    checks: list[str] = []
    check_cells: list[str] = []
    kode_column: str | None = None
    scales: dict[str, str] = {}
    ignored: list[str] = []
    total_modes: dict[str, dict[str, str]] = {}
    numbering: list[str] | None = None
    while r < len(rows) and _is_numbering_row(rows[r]):
        numbering = _row_texts(rows[r])
        r += 1
    if r < len(rows) and _is_rule_row(rows[r]):
        rule_row = r + 1
        for i, raw in enumerate(rows[r]):
            if _blank(raw):
                continue
            letter = column_letter(i)
            cell = f"{letter}{rule_row}"
            text = _text(raw) if not isinstance(raw, str) else raw.strip()
            marker = _RULE_MARKER.match(text)
            if marker:  # "Rumus" alone marks the row; "Rumus: kode" also gives this column its rule
                text = text[marker.end() :].strip()
                if not text:
                    continue
            if not isinstance(raw, str):
                findings.append(
                    finding(
                        "unreadable-value",
                        f"{sheet}!{cell}: baris Rumus tabel “{_clip(title, 80)}” berisi angka {text}, bukan rumus; "
                        "mungkin Excel sudah menghitung rumusnya. Ketik ulang rumusnya dengan tanda petik di depan, "
                        "mis. '=D/C*100.",
                        sheet=sheet,
                        cell=cell,
                        table=TABLE_ID,
                        row_key=_short_title(title),
                        stated=text,
                    )
                )
                continue
            if text.startswith("#"):
                findings.append(
                    finding(
                        "unreadable-value",
                        f"{sheet}!{cell}: baris Rumus tabel “{_clip(title, 80)}” berisi galat Excel “{text}”: rumus "
                        "diketik tanpa tanda petik sehingga Excel mencoba menghitungnya. Ketik ulang dengan tanda "
                        "petik di depan, mis. '=D/C*100.",
                        sheet=sheet,
                        cell=cell,
                        table=TABLE_ID,
                        row_key=_short_title(title),
                        stated=text,
                    )
                )
                continue
            for part in _split_rule_cell(text):
                lowered = part.lower()
                body = part[1:] if part.startswith("=") else part
                if re.match(r"(?i)cek\s*:", part) or "=" in body:  # an equality, with or without "cek:"
                    checks.append(re.sub(r"(?i)^\s*cek\s*:\s*", "", part).strip())
                    check_cells.append(cell)
                elif lowered == "kode":
                    if kode_column is None:
                        kode_column = letter
                    else:
                        findings.append(
                            finding(
                                "unreadable-value",
                                f"{sheet}!{cell}: tabel “{_clip(title, 80)}” sudah punya kolom kode ({kode_column}); "
                                "hanya satu kolom kode yang dipakai.",
                                sheet=sheet,
                                cell=cell,
                                table=TABLE_ID,
                                row_key=_short_title(title),
                                stated=part,
                            )
                        )
                elif lowered.startswith("skala"):
                    scales[letter] = normalise_name(
                        part.split(":", 1)[1] if ":" in part else part[5:]
                    ).replace(" ", "_")
                elif lowered in ("abaikan", "-", "teks"):
                    ignored.append(letter)
                elif _TOTAL_SCOPE.match(lowered):
                    scope = _TOTAL_SCOPE.match(lowered)
                    kinds = {"total": ("sum", "mean"), "jumlah": ("sum",)}.get(scope.group(1), ("mean",))
                    mode = _TOTAL_MODES.get(normalise_name(lowered[scope.end() :]))
                    if mode is None:
                        findings.append(
                            finding(
                                "unreadable-value",
                                f"{sheet}!{cell}: “{part}” di baris Rumus tabel “{_clip(title, 80)}” tidak dikenal; "
                                "pilihan: total:jumlah, total:rata, total:rumus, total:abaikan (di semua baris "
                                "total), atau jumlah:... / rata:... (hanya di baris jumlah / baris rata-rata).",
                                sheet=sheet,
                                cell=cell,
                                table=TABLE_ID,
                                row_key=_short_title(title),
                                stated=part,
                            )
                        )
                    else:
                        for kind in kinds:
                            total_modes.setdefault(letter, {})[kind] = mode
                elif letter in column_rules:
                    findings.append(
                        finding(
                            "unreadable-value",
                            f"{sheet}!{cell}: kolom {letter} tabel “{_clip(title, 80)}” sudah punya rumus "
                            f"“{column_rules[letter]}”; rumus kedua “{part}” tidak dipakai.",
                            sheet=sheet,
                            cell=cell,
                            table=TABLE_ID,
                            row_key=_short_title(title),
                            stated=part,
                        )
                    )
                else:
                    column_rules[letter] = part
        r += 1

    index_columns = {i for i, raw in enumerate(header) if normalise_name(_text(raw)) in _INDEX_HEADERS}
    body: list[tuple[int, list[object]]] = []  # (0-based row index, cells) of the data and total rows
    while r < len(rows) and not _is_blank_row(rows[r]) and _title_of(rows[r]) is None:
        row = rows[r]
        texts = _row_texts(row)
        if (not body and _is_numbering_row(row)) or texts in (numbering, _row_texts(header)):
            numbering = texts if numbering is None and _is_numbering_row(row) else numbering
            r += 1
            continue
        for i, raw in enumerate(row):
            letter = column_letter(i)
            if not _blank(raw) and letter not in headers:
                headers[letter] = f"Kolom {letter}"
        body.append((r, row))
        r += 1

    # each row's label, and the column(s) the labels come from: a label cell is never a figure
    skip = {column_index(kode_column)} if kode_column else set()
    labelled = [_label_of(row, skip) for _, row in body]
    sources = [index for _, index in labelled if index is not None]
    label_columns = {
        column_letter(index)
        for index in set(sources)
        if sources.count(index) * 2 >= len(sources) and column_letter(index) != kode_column
    }
    # a column of words only ("APBD", "Baik") is no figure column either
    for letter in headers:
        texts = [_cell_at(row, column_index(letter)) for _, row in body]
        texts = [raw for raw in texts if not _blank(raw)]
        wordy = [raw for raw in texts if _is_wordy(raw)]
        if letter != kode_column and wordy and all(_is_wordy(raw) or _is_na(raw) for raw in texts):
            label_columns.add(letter)
    # a column with rupiah written in it ("Rp. 1.250.000.000,00", "4.349.483.103,-") is read as rupiah
    value_types = {
        letter: "rupiah"
        if any(_looks_rupiah(_cell_at(row, column_index(letter))) for _, row in body)
        else "number"
        for letter in headers
    }
    data: list[FreeRow] = []
    for (r_index, row), (label, _) in zip(body, labelled, strict=True):
        cells: dict[str, Entry] = {}
        for letter in headers:
            i = column_index(letter)
            raw = _cell_at(row, i)
            if letter == kode_column:
                try:
                    parsed = parse_value(raw, "kode")
                except (UnreadableValue, ValueError):
                    parsed = None
                cells[letter] = Entry(None, raw, sheet, letter, r_index + 1, parsed)
                continue
            if letter in label_columns:
                kind = "empty" if _blank(raw) else "text"
                cells[letter] = Entry(None, raw, sheet, letter, r_index + 1, Parsed(None, kind))
                continue
            value, parsed = _read_number(raw, value_types[letter])
            cells[letter] = Entry(value, raw, sheet, letter, r_index + 1, parsed)
        if label is None:
            label = next(
                (
                    _text(_cell_at(row, i))
                    for i in range(len(row))
                    if i not in index_columns and not _blank(_cell_at(row, i))
                ),
                None,
            )
        data.append(FreeRow(r_index + 1, label, _row_kind(label), cells))
    # "RATA-RATA TINGKAT KEMAJUAN", "Rata-rata Capaian": a total only at the foot of the table
    for row in reversed(data):
        if row.kind != "data":
            continue
        kind = _row_kind(row.label, at_foot=True)
        if kind == "data":
            break
        row.kind = kind
    for row in data:
        if row.kind != "data":
            for letter, entry in row.cells.items():
                if _is_word_cell(entry.raw):  # "RATA-RATA KETERSEDIAAN SDM" beside a total: a label
                    row.cells[letter] = Entry(None, entry.raw, sheet, letter, row.row, Parsed(None, "text"))

    findings.extend(_ambiguity_findings(data, headers, index_columns, title, sheet))
    if not data:
        findings.append(
            finding(
                "empty-table",
                f"{sheet}!A{start + 1}: tabel “{_clip(title, 80)}” tidak punya baris data di bawah "
                "judul kolomnya.",
                **where,
            )
        )
        return None, r, findings
    table = FreeTable(
        title=title,
        sheet=sheet,
        title_row=start + 1,
        header_row=header_index + 1,
        rule_row=rule_row,
        headers=dict(sorted(headers.items(), key=lambda item: column_index(item[0]))),
        rows=data,
        column_rules=column_rules,
        checks=checks,
        kode_column=kode_column,
        scales=scales,
        check_cells=check_cells,
        ignored=ignored,
        label_columns=sorted(label_columns, key=column_index),
        total_modes=total_modes,
        value_types=value_types,
    )
    return table, r, findings


def _zero_thousands(entry: Entry) -> bool:
    """ "650.000" read as 650000: three zeros after the point are never written as decimals."""
    return float(entry.value).is_integer() and bool(re.search(r"[.,]000(?![0-9])", _text(entry.raw)))


def _ambiguity_findings(
    data: list[FreeRow], headers: dict[str, str], index_columns: set[int], title: str, sheet: str
) -> list[Finding]:
    """One ``ambiguous-value`` info per column whose other figures do not confirm a guessed reading.

    "1.100" is read as 1100 and "21,746" as 21,746; when the column's unambiguous figures are all
    whole numbers (resp. include a decimal one) the reading is confirmed and nothing is said.
    """
    findings: list[Finding] = []
    for letter, header in headers.items():
        if column_index(letter) in index_columns:
            continue
        entries = [row.cells[letter] for row in data if letter in row.cells and row.cells[letter].is_number]
        guessed = [e for e in entries if e.parsed is not None and e.parsed.note and not _zero_thousands(e)]
        if not guessed:
            continue
        sure = [float(e.value) for e in entries if e.parsed is not None and not e.parsed.note]
        unconfirmed = [
            e
            for e in guessed
            if not (
                (float(e.value).is_integer() and sure and all(v.is_integer() for v in sure))
                or (not float(e.value).is_integer() and any(not v.is_integer() for v in sure))
            )
        ]
        if not unconfirmed:
            continue
        first = unconfirmed[0]
        more = (
            f" (juga {len(unconfirmed) - 1} sel lain di kolom ini dibaca dengan cara yang sama)"
            if len(unconfirmed) > 1
            else ""
        )
        findings.append(
            finding(
                "ambiguous-value",
                f"{sheet}!{first.cell}: kolom “{header}” tabel “{_clip(title, 80)}”: {first.parsed.note}{more}",
                sheet=sheet,
                cell=first.cell,
                cells=tuple(e.cell for e in unconfirmed),
                table=TABLE_ID,
                row_key=_short_title(title),
                field=header,
                stated=_text(first.raw),
                expected=first.value,
            )
        )
    return findings
