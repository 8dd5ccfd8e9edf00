"""Read a text PDF (exported from Word) with pdfplumber: ruled tables and the text around them.

Each page's characters and drawn lines come from PDFium (:mod:`.pdfium`);
pdfplumber's table finder and text assembly work on them.

No OCR: a scanned report (pages that are images) is refused with a message.
Lines of running text are joined into paragraphs by their spacing; a table
continued on the next page (no header of its own, same columns) is joined to
the table it continues.
"""

from __future__ import annotations

import re
from pathlib import Path

from .columns import header_roles, is_data
from .document import Document, DocumentError, Paragraph, Table, clean, continue_table, finish, header_like

_MAX_PAGES = 2000


def read_pdf(path: Path) -> Document:
    try:
        with path.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF"):
                raise DocumentError(
                    path, "Berkas bukan dokumen PDF yang utuh; mungkin rusak atau salah nama."
                )
    except OSError as exc:
        raise DocumentError(path, f"Berkas tidak dapat dibuka ({exc.strerror}).") from None
    import pypdfium2

    from .pdfium import PdfiumPage

    try:
        pdf = pypdfium2.PdfDocument(str(path))
    except Exception as exc:  # pypdfium2.PdfiumError, with PDFium's reason
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
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
        if len(pdf) > _MAX_PAGES:
            raise DocumentError(
                path, f"Dokumen PDF lebih dari {_MAX_PAGES} halaman; itu bukan sebuah laporan."
            )
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            try:
                content = PdfiumPage(page)
            finally:
                page.close()
            characters += len(content.chars)
            read_page(content, number, document)
    except DocumentError:
        raise
    except Exception as exc:
        raise DocumentError(
            path, f"Dokumen PDF rusak atau tidak dapat dibaca ({type(exc).__name__})."
        ) from None
    finally:
        pdf.close()
    if characters == 0:
        raise DocumentError(
            path,
            "Dokumen PDF tidak berisi teks (hasil pindai/scan berupa gambar). Impor tidak membaca gambar; kirim "
            "dokumen Word aslinya atau PDF yang diekspor dari Word.",
        )
    return finish_pdf(document)


def finish_pdf(document: Document) -> Document:
    """Join tables continued over pages, then give the cells their final text."""
    _join_continued(document)
    for table in document.tables():
        table.rows = [[_cell_text(cell) for cell in row] for row in table.rows]
    return finish(document)


def read_page(page, number: int, document: Document) -> None:
    """Add a page's tables and paragraphs, top to bottom (a PdfiumPage, or a pdfplumber page)."""
    found = page.find_tables()
    boxes = [table.bbox for table in found]
    items: list[tuple[float, Paragraph | Table]] = []
    by_height = sorted(
        (((char["top"] + char["bottom"]) / 2, index, char) for index, char in enumerate(page.chars)),
        key=lambda item: item[0],
    )
    for table in found:
        # cells keep their line breaks until tables continued over pages are joined (see _cell_text)
        rows = [[(cell or "").strip() for cell in row] for row in _extract(table, by_height)]
        rows = [row for row in rows if any(row)]
        if rows:
            edges = tuple(round(x, 1) for x in sorted({cell[0] for cell in table.cells} | {table.bbox[2]}))
            for offset, part in enumerate(_split_stacked(rows)):
                items.append((table.bbox[1] + offset / 100, Table(part, page=number, edges=edges)))

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


def _split_stacked(rows: list[list[str]]) -> list[list[list[str]]]:
    """Tables printed one right under the other share their ruling: a header after data starts the next one."""
    parts = [[]]
    seen_data = False
    for row in rows:
        text = [_cell_text(cell) for cell in row]
        if seen_data and header_like(text) and header_roles(text) >= 2:
            parts.append([])
            seen_data = False
        parts[-1].append(row)
        seen_data = seen_data or is_data(text)
    return parts


def _extract(table, by_height: list[tuple[float, int, dict]]) -> list[list[str | None]]:
    """The text of each cell, as pdfplumber's ``Table.extract()`` gives it.

    The same rule (a character belongs to the cell its middle lies in) and the same
    text assembly, but the characters of a row are found by bisecting the page's
    characters sorted by height instead of testing every character of the page for
    every row: a page's tables are read ~10x faster.
    """
    from bisect import bisect_left

    from pdfplumber.utils.text import extract_text

    middles = [item[0] for item in by_height]
    rows: list[list[str | None]] = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        row_chars = [
            (index, char)
            for _middle, index, char in by_height[bisect_left(middles, top) : bisect_left(middles, bottom)]
            if x0 <= (char["x0"] + char["x1"]) / 2 < x1
        ]
        row_chars.sort(key=lambda item: item[0])
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            left, cell_top, right, cell_bottom = cell
            chars = [
                char
                for _index, char in row_chars
                if left <= (char["x0"] + char["x1"]) / 2 < right
                and cell_top <= (char["top"] + char["bottom"]) / 2 < cell_bottom
            ]
            texts.append(extract_text(chars) if chars else "")
        rows.append(texts)
    return rows


_NUMERIC_LINE = re.compile(r"^[\d.,%]+$")
#: a figure complete in itself: thousands in groups of three, decimals after the other separator
_COMPLETE = re.compile(
    r"^\d{1,3}(?:(?P<g>[.,])\d{3})?(?:(?P=g)\d{3})*(?:(?!(?P=g))[.,]\d{1,3})?%?$|^\d+(?:[.,]\d+)?%?$"
)


def _wraps(head: str, line: str) -> bool:
    """``line`` is the rest of the figure ``head`` that the cell (or the page) broke."""
    if not (_NUMERIC_LINE.match(head) and _NUMERIC_LINE.match(line)):
        return False
    return bool(
        head[-1] in ".," or line[0] in ".,%" or (not _COMPLETE.match(head) and _COMPLETE.match(head + line))
    )


def _cell_text(cell: str | None) -> str:
    """A cell's text; a figure wrapped inside a narrow cell is joined again.

    A cell may also hold several figures, one a line ("10.000.000" over
    "225.000.000"): those stay apart. A line is the start of a wrapped figure
    when it ends on a separator, the next line starts with one, or only the
    two lines together make a well-formed figure.
    """
    if not cell:
        return ""
    joined: list[str] = []
    for line in (line.strip() for line in cell.split("\n")):
        if joined and line and _wraps(joined[-1], line):
            joined[-1] += line
        elif line:
            joined.append(line)
    return clean(" ".join(joined))


def _crosses_table(above: float | None, below: float, boxes) -> bool:
    return above is not None and any(above <= top <= below for _x0, top, _x1, _bottom in boxes)


def _join_continued(document: Document) -> None:
    """Join a table continued on the next page(s) to the table it continues.

    A continuation has the same ruling (column borders) as the table on the page
    before, and either no header or the same header repeated; a row cut by the
    page break goes on in the first row of the next page and is joined again.
    """
    blocks: list[Paragraph | Table] = []
    for block in document.blocks:
        if isinstance(block, Table) and blocks:
            previous = _previous_table(blocks, block)
            if previous is not None and _same_ruling(previous, block):
                rows = _without_repeated_header(previous, block.rows)
                if rows is not None:
                    if rows and _rest_of_cut_row(previous.rows[-1] if previous.rows else [], rows[0]):
                        _join_cut_row(previous.rows[-1], rows[0])
                    elif rows:
                        continue_table(previous, rows[0])
                    previous.rows.extend(rows[1:])
                    previous.last_page = block.page
                    continue
        blocks.append(block)
    document.blocks = blocks


def _same_ruling(previous: Table, table: Table) -> bool:
    if len(table.rows[0]) != len(previous.rows[0]):
        return False
    if previous.edges and table.edges:
        return len(previous.edges) == len(table.edges) and all(
            abs(a - b) <= 3 for a, b in zip(previous.edges, table.edges, strict=True)
        )
    return True


def _key(row: list[str]) -> tuple[str, ...]:
    return tuple(re.sub(r"\W+", "", cell).lower() for cell in row)


def _without_repeated_header(previous: Table, rows: list[list[str]]) -> list[list[str]] | None:
    """The continuation's rows without the header repeated from the table's first page.

    None when the page starts a table of its own (a header that is not the one
    repeated).
    """
    repeated = 0
    while (
        repeated < len(rows)
        and repeated < len(previous.rows)
        and any(rows[repeated])
        and _key(rows[repeated]) == _key(previous.rows[repeated])
    ):
        repeated += 1
    rest = rows[repeated:]
    if repeated:
        return rest
    first = [_cell_text(cell) for cell in rest[0]] if rest else []
    if first and header_like(first) and header_roles(first) >= 2:
        return None
    return rest


#: a cell that is a figure of its own ("2,750,979,428", "95.59", "100%", "Rp 7.195.000", "-")
_FIGURE_CELL = re.compile(r"^(?:Rp\.?\s*)?[-+(]?\d[\d.,\s]*%?\)?$|^[-–—]$")
#: what starts a row of its own: a level label, numbering, a kode, a total
_ROW_START = re.compile(
    r"^(?:program|kegiatan|sub\s*kegiatan|sasaran|indikator|jumlah|total|rata)\b"
    r"|^\(?(?:\d{1,2}|[IVX]{1,5}|[a-z])[.)]\s"
    r"|^\d+(?:\.\d+)+",
    re.IGNORECASE,
)


def _rest_of_cut_row(last: list[str], first: list[str]) -> bool:
    """The first row of a continued page is the rest of the row the page break cut.

    It fills only cells the cut row filled; its figures, if any, are the rest of
    figures the break cut ("1.271.604.93" | "2"); and it does not start like a
    row of its own (a level label, numbering, kode or total). Cells are raw
    (line breaks kept).
    """
    filled = [index for index, cell in enumerate(first) if cell]
    if not filled or not last:
        return False
    if any(index >= len(last) or not last[index] for index in filled):
        return False
    if any(
        _FIGURE_CELL.match(_cell_text(first[index]))
        and not _wraps(_cell_text(last[index]).split(" ")[-1], _cell_text(first[index]).split(" ")[0])
        for index in filled
    ):
        return False
    return not _ROW_START.match(_cell_text(first[filled[0]]))


def _join_cut_row(last: list[str], first: list[str]) -> None:
    """Join the two parts of a cut row, cell by cell, as further lines of the cells."""
    for index, cell in enumerate(first):
        if cell:
            last[index] = f"{last[index]}\n{cell}"


def _previous_table(blocks: list[Paragraph | Table], table: Table) -> Table | None:
    """The table just before ``table`` on the previous page, with at most page furniture in between."""
    for block in reversed(blocks):
        if isinstance(block, Table):
            last = block.last_page if block.last_page is not None else block.page
            return block if last is not None and table.page == last + 1 else None
        if len(block.text) > 40 or block.page == table.page and not block.text.strip().isdigit():
            return None
    return None
