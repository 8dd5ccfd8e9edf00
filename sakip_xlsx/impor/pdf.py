"""Read a text PDF (exported from Word) with pdfplumber: ruled tables and the text around them.

No OCR: a scanned report (pages that are images) is refused with a message.
Lines of running text are joined into paragraphs by their spacing; a table
continued on the next page (no header of its own, same columns) is joined to
the table it continues.
"""

from __future__ import annotations

import re
from pathlib import Path

from .columns import header_roles
from .document import Document, DocumentError, Paragraph, Table, clean, continue_table, finish, header_like

_MAX_PAGES = 2000


def read_pdf(path: Path) -> Document:
    import pdfplumber

    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF"):
                raise DocumentError(
                    path, "Berkas bukan dokumen PDF yang utuh; mungkin rusak atau salah nama."
                )
    except OSError as exc:
        raise DocumentError(path, f"Berkas tidak dapat dibuka ({exc.strerror}).") from None
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:
        if "password" in type(exc).__name__.lower() or "encrypt" in str(exc).lower():
            raise DocumentError(
                path,
                "Dokumen PDF dilindungi kata sandi, sehingga isinya tidak dapat dibaca. Kirim PDF tanpa kata sandi "
                "atau dokumen Word aslinya.",
            ) from None
        raise DocumentError(
            path, f"Dokumen PDF rusak atau tidak dapat dibaca ({type(exc).__name__})."
        ) from None
    document = Document(path, "pdf")
    characters = 0
    try:
        with pdf:
            if len(pdf.pages) > _MAX_PAGES:
                raise DocumentError(
                    path, f"Dokumen PDF lebih dari {_MAX_PAGES} halaman; itu bukan sebuah laporan."
                )
            for number, page in enumerate(pdf.pages, start=1):
                characters += len(page.chars)
                _read_page(page, number, document)
    except DocumentError:
        raise
    except Exception as exc:
        if "password" in type(exc).__name__.lower():
            raise DocumentError(
                path, "Dokumen PDF dilindungi kata sandi, sehingga isinya tidak dapat dibaca."
            ) from None
        raise DocumentError(
            path, f"Dokumen PDF rusak atau tidak dapat dibaca ({type(exc).__name__})."
        ) from None
    if characters == 0:
        raise DocumentError(
            path,
            "Dokumen PDF tidak berisi teks (hasil pindai/scan berupa gambar). Impor tidak membaca gambar; kirim "
            "dokumen Word aslinya atau PDF yang diekspor dari Word.",
        )
    _join_continued(document)
    return finish(document)


def _read_page(page, number: int, document: Document) -> None:
    found = page.find_tables()
    boxes = [table.bbox for table in found]
    items: list[tuple[float, Paragraph | Table]] = []
    for table in found:
        rows = [[_cell_text(cell) for cell in row] for row in table.extract()]
        rows = [row for row in rows if any(row)]
        if rows:
            items.append((table.bbox[1], Table(rows, page=number)))

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = text_page.extract_text_lines(return_chars=False)
    paragraph: list[str] = []
    top = previous_bottom = None
    height = 0.0
    for line in lines:
        text = clean(line["text"])
        if not text:
            continue
        line_height = line["bottom"] - line["top"]
        gap = line["top"] - previous_bottom if previous_bottom is not None else 0
        if paragraph and (
            gap > 0.6 * max(height, line_height) or _crosses_table(previous_bottom, line["top"], boxes)
        ):
            items.append((top, Paragraph(" ".join(paragraph), page=number)))
            paragraph = []
        if not paragraph:
            top = line["top"]
        paragraph.append(text)
        previous_bottom, height = line["bottom"], line_height
    if paragraph:
        items.append((top, Paragraph(" ".join(paragraph), page=number)))
    items.sort(key=lambda item: item[0])
    document.blocks.extend(block for _top, block in items)


_SPLIT_NUMBER = re.compile(r"(?<=[\d.,])\n(?=[\d.,%])")


def _cell_text(cell: str | None) -> str:
    """A cell's text; a figure wrapped inside a narrow cell is joined again."""
    if not cell:
        return ""
    return clean(_SPLIT_NUMBER.sub("", cell))


def _crosses_table(above: float | None, below: float, boxes) -> bool:
    return above is not None and any(above <= top <= below for _x0, top, _x1, _bottom in boxes)


def _join_continued(document: Document) -> None:
    """Join a table continued on the next page to the table it continues."""
    blocks: list[Paragraph | Table] = []
    for block in document.blocks:
        if isinstance(block, Table) and blocks:
            previous = _previous_table(blocks, block)
            if (
                previous is not None
                and len(block.rows[0]) == len(previous.rows[0])
                and (not header_like(block.rows[0]) or header_roles(block.rows[0]) < 2)
            ):
                for row in block.rows:
                    continue_table(previous, row)
                continue
        blocks.append(block)
    document.blocks = blocks


def _previous_table(blocks: list[Paragraph | Table], table: Table) -> Table | None:
    """The table just before ``table`` on the previous page, with at most page furniture in between."""
    for block in reversed(blocks):
        if isinstance(block, Table):
            return block if block.page is not None and table.page == block.page + 1 else None
        if len(block.text) > 40 or block.page == table.page and not block.text.strip().isdigit():
            return None
    return None
