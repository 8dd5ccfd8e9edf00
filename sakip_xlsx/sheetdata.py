"""Bounded reading of worksheet XML: a sheet never claims more memory than the template needs.

The spreadsheet parser (python-calamine) holds a sheet as one dense grid spanning
its farthest cell: a single space typed at XFD1048576 asks for 17 billion cells
(a 549 GB allocation that aborts the process), one at Z1048576 for a gigabyte.
It also refuses a whole workbook for one cached error value it does not know
(``#SPILL!``, ``#CALC!`` ...) and reads the ones it knows (``#REF!``, ``#N/A``
...) as empty cells.

The safety gate (:mod:`sakip_xlsx.safety`) notes, while it streams each worksheet
once, whether it reaches beyond :data:`READ_COLUMNS` columns or :data:`READ_ROWS`
rows, has cells or rows without a position, or holds error values.  Only such
sheets are rewritten here, before the parser sees them: every cell gets its
explicit position; cells outside the read area are dropped (those holding
something are reported, empty or blank ones silently); error values become the
text of the error (``#REF!``), which the reader reports as a finding at its
cell.  Every other sheet is read as it is.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from .cells import column_index, column_letter

__all__ = ["READ_COLUMNS", "READ_ROWS", "Dropped", "bounded_package", "bounded_sheet"]

#: the read area of a sheet that reaches far: columns A..BL and rows 1..100,000
#: (the template's widest table has under 40 columns; 100,000 rows is twice a consolidated
#: pemda's budget).  64 x 100,000 cells cost the parser about 200 MB at most.
READ_COLUMNS = 64
READ_ROWS = 100_000

_SHEET_DATA = re.compile(rb"<sheetData\b[^>]*?(?:/>|>(.*?)</sheetData>)", re.S)
_TOKEN = re.compile(rb"<row\b([^>]*?)(/?)>|</row>|<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_R = re.compile(rb"""\br\s*=\s*["']([^"']*)["']""")
_T = re.compile(rb"""\bt\s*=\s*["']([^"']*)["']""")
_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_VALUE = re.compile(rb"<v>(.*?)</v>", re.S)
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_BLANK_TEXT = re.compile(rb"\s*")


@dataclass(frozen=True)
class Dropped:
    """Cells of one sheet outside the read area that held something."""

    count: int
    first: tuple[tuple[str, str], ...]  # (A1 reference, content shown) of the first few


def bounded_sheet(
    data: bytes,
    shared: list[str] | None = None,
    max_rows: int = READ_ROWS,
    max_columns: int = READ_COLUMNS,
) -> tuple[bytes, Dropped]:
    """The worksheet XML with every cell at an explicit position inside the read area, error values
    as text; and the cells dropped that held something (``shared``: the shared strings, to tell a
    blank one)."""
    match = _SHEET_DATA.search(data)
    if match is None or match.group(1) is None:
        return data, Dropped(0, ())
    rows: list[tuple[int, list[bytes]]] = []  # (row number, its cells), consecutive cells of a row together
    dropped = 0
    first: list[tuple[str, str]] = []
    row = 0
    column = 0
    in_row = False
    for token in _TOKEN.finditer(match.group(1)):
        whole = token.group(0)
        if whole.startswith(b"</row"):
            in_row = False
            continue
        if whole.startswith(b"<row"):
            position = _R.search(token.group(1) or b"")
            row = int(position.group(1)) if position and position.group(1).isdigit() else row + 1
            column = 0
            in_row = token.group(2) != b"/"
            continue
        attributes = token.group(3) or b""
        content = token.group(4) or b""
        position = _R.search(attributes)
        reference = _REF.fullmatch(position.group(1)) if position else None
        if reference is not None:
            column = column_index(reference.group(1).decode("ascii")) + 1
            cell_row = int(reference.group(2))
        else:
            column += 1
            cell_row = row if in_row or row else 1
        kind_match = _T.search(attributes)
        kind = kind_match.group(1) if kind_match else b"n"
        if column > max_columns or cell_row > max_rows or cell_row < 1:
            shown = _shown(kind, content, shared)
            if shown is not None:
                dropped += 1
                if len(first) < 3:
                    first.append((f"{column_letter(column - 1)}{cell_row}", shown))
            continue
        ref = f"{column_letter(column - 1)}{cell_row}".encode()
        if kind == b"e":
            value = _VALUE.search(content)
            text = value.group(1).strip() if value else b"#N/A"
            cell = b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text)
        else:
            cell = b'<c r="%s" %s>%s</c>' % (ref, _R.sub(b"", attributes).strip(), content)
        if rows and rows[-1][0] == cell_row:
            rows[-1][1].append(cell)
        else:
            rows.append((cell_row, [cell]))
    body = b"<sheetData>" + b"".join(
        b'<row r="%d">%s</row>' % (number, b"".join(cells)) for number, cells in rows
    )
    body += b"</sheetData>"
    return data[: match.start()] + body + data[match.end() :], Dropped(dropped, tuple(first))


def _shown(kind: bytes, content: bytes, shared: list[str] | None) -> str | None:
    """A dropped cell's content as shown in a message, or None when it holds nothing but blanks."""
    if kind == b"inlineStr":
        text = b"".join(_TEXT.findall(content))
        return None if _BLANK_TEXT.fullmatch(text) else _unescape(text)
    value = _VALUE.search(content)
    if value is None:
        return None
    raw = value.group(1)
    if kind == b"s":
        try:
            text = shared[int(raw)] if shared is not None else None
        except (ValueError, IndexError):
            text = None
        if text is None:
            return "?"
        return None if not text.strip() else text[:40]
    if kind == b"str" and _BLANK_TEXT.fullmatch(raw):
        return None
    return _unescape(raw)


def _unescape(text: bytes) -> str:
    shown = text.decode("utf-8", "replace")
    for entity, character in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        shown = shown.replace(entity, character)
    return shown[:40]


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The workbook's shared strings (the part already passed the gate's size and DOCTYPE checks)."""
    try:
        data = archive.read("xl/sharedStrings.xml")
    except KeyError:
        return []
    root = ElementTree.fromstring(data)
    strings = []
    for item in root:
        strings.append("".join(node.text or "" for node in item.iter() if node.tag.endswith("}t")))
    return strings


def bounded_package(path, parts: frozenset[str]) -> tuple[io.BytesIO, dict[str, Dropped]]:
    """A copy of the workbook, in memory, whose worksheet ``parts`` are rewritten by
    :func:`bounded_sheet`; and what each dropped."""
    buffer = io.BytesIO()
    dropped: dict[str, Dropped] = {}
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy,
    ):
        shared = _shared_strings(source) if parts else []
        for info in source.infolist():
            data = source.read(info)
            if info.filename in parts:
                data, dropped[info.filename] = bounded_sheet(data, shared)
            copy.writestr(info.filename, data)
    buffer.seek(0)
    return buffer, dropped
