"""Read a report as text: what a PDF or Word converter gives (Markdown-like).

Tables are runs of lines with tab-separated cells or ``|``-delimited cells;
headings are ``#`` lines or lines that are bold as a whole.  A table broken by
blank lines (a page break) continues when the next run does not start with a
header of its own; a row whose text was cut by the break is joined again.
"""

from __future__ import annotations

import re
from pathlib import Path

from .document import (
    Document,
    DocumentError,
    Paragraph,
    Table,
    clean,
    continue_table,
    finish,
    header_like,
    only_header_rows,
)

_SEPARATOR = re.compile(r"^[\s|:\-–—]+$")
_MAX_BYTES = 50 * 1024 * 1024


def read_text(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(path, f"Berkas tidak dapat dibuka ({exc.strerror}).") from None
    if len(data) > _MAX_BYTES:
        raise DocumentError(path, "Berkas teks lebih dari 50 MB; itu bukan sebuah laporan.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError(
            path, "Berkas ini bukan teks biasa. Simpan laporan sebagai .docx, .pdf atau .txt."
        )
    for encoding in ("utf-8-sig", "utf-16", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise DocumentError(path, "Isi berkas teks tidak dapat dibaca (pengodean huruf tidak dikenal).")
    return parse_text(text, path)


def _cells(line: str) -> list[str] | None:
    """The cells of a table line, or None for running text."""
    if "\t" in line:
        return [clean(cell) for cell in line.split("\t")]
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        inner = stripped[1:-1] if stripped.endswith("|") else stripped[1:]
        return [clean(cell) for cell in inner.split("|")]
    return None


def _is_heading(line: str) -> tuple[bool, str]:
    stripped = line.strip()
    if stripped.startswith("#"):
        return True, clean(stripped.lstrip("#"))
    if (
        len(stripped) > 4
        and stripped.startswith("**")
        and stripped.endswith("**")
        and stripped.count("**") == 2
    ):
        return True, clean(stripped)
    return False, clean(stripped)


def parse_text(text: str, path: Path | str = "laporan.txt") -> Document:
    document = Document(Path(path), "text")
    current: Table | None = None
    gap = False  # blank lines since the last table row
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            gap = current is not None
            continue
        cells = _cells(line)
        if cells is not None:
            if all(not cell or set(cell) <= set("-–—: ") for cell in cells):
                continue  # Markdown rule line, or an empty row
            if current is not None and gap:
                if not current.rows or not header_like(cells) or only_header_rows(current):
                    continue_table(current, cells)
                    gap = False
                    continue
                current = None
            if current is None:
                current = Table([], line=number)
                document.blocks.append(current)
            if any(cells):
                current.rows.append(cells)
            gap = False
            continue
        heading, content = _is_heading(line)
        current = None
        gap = False
        if content:
            document.blocks.append(Paragraph(content, heading=heading, line=number))
    document.blocks = [block for block in document.blocks if not isinstance(block, Table) or block.rows]
    return finish(document)
