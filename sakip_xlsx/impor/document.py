"""A neutral model of a report: headings, paragraphs and tables, each with where it came from.

The readers (Word, PDF, text) turn a document into this model; recognition
works on the model only, so the three formats share one recogniser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SakipError


class DocumentError(SakipError):
    """A report that cannot be read (encrypted, scanned, damaged): an Indonesian reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


@dataclass
class Paragraph:
    """One paragraph (or heading) of running text."""

    text: str
    heading: bool = False
    page: int | None = None
    line: int | None = None


@dataclass
class Table:
    """A table as printed: rows of cell texts (merged cells: text in the first cell, then empty)."""

    rows: list[list[str]]
    title: str = ""
    page: int | None = None
    line: int | None = None
    #: the nearest heading above the table
    section: str = ""
    #: the short lines just above the table, the title among them
    title_lines: list[str] = field(default_factory=list)
    #: PDF: the last page the table runs onto (a table continued over page breaks)
    last_page: int | None = None
    #: PDF: x positions of the table's column borders (its ruling), to know a continuation
    edges: tuple[float, ...] = ()


@dataclass
class Document:
    """A report as a sequence of paragraphs and tables in reading order."""

    path: Path
    kind: str  # "docx" | "pdf" | "text"
    blocks: list[Paragraph | Table] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [block for block in self.blocks if isinstance(block, Table)]

    def paragraphs(self) -> list[Paragraph]:
        return [block for block in self.blocks if isinstance(block, Paragraph)]


_TAGS = re.compile(r"<[^>]{0,200}>")
_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Cell or paragraph text without markup (HTML tags, ``**``, ``$``) and with single spaces."""
    text = _TAGS.sub(" ", text)
    text = text.replace("**", " ").replace("__", " ").replace("$", " ")
    text = text.replace("\u00a0", " ")
    return _SPACES.sub(" ", text).strip()


_TITLE_LIMIT = 200


def finish(document: Document) -> Document:
    """Give every table its title (the short lines just above it) and section (last heading)."""
    section = ""
    recent: list[Paragraph] = []
    for block in document.blocks:
        if isinstance(block, Paragraph):
            if block.heading:
                section = block.text
            if len(block.text) <= _TITLE_LIMIT:
                recent.append(block)
            else:
                recent = []
            recent = recent[-4:]
            continue
        if not block.title:
            block.title = " ".join(paragraph.text for paragraph in recent)
            block.title_lines = [paragraph.text for paragraph in recent]
        block.section = section
        recent = []
    return document


_DIGIT = re.compile(r"\d")


def header_like(row: list[str]) -> bool:
    """A row that starts a table of its own (a header), not a continuation after a page break."""
    filled = [cell for cell in row if cell]
    return len(filled) >= 2 and not any(_DIGIT.search(cell) for cell in filled)


def only_header_rows(table: Table) -> bool:
    return all(not any(_DIGIT.search(cell) for cell in row) for row in table.rows)


def continue_table(table: Table, cells: list[str]) -> None:
    """Append a row after a page break; a text-only fragment of the row cut by the break is joined."""
    if not any(cells):
        return
    previous = table.rows[-1] if table.rows else None
    filled = [index for index, cell in enumerate(cells) if cell]
    texts = [cells[index] for index in filled if not _DIGIT.search(cells[index])]
    # a sentence cut by the break goes on in lower case: the whole row is the rest of the previous one
    lower = bool(texts) and texts[0][:1].islower()
    fragment = lower or not any(_DIGIT.search(cell) for cell in cells if cell)
    if previous is not None and fragment and any(_DIGIT.search(cell) for row in table.rows for cell in row):
        if all(
            index < len(previous) and previous[index] and (lower or not _DIGIT.search(previous[index]))
            for index in filled
        ):
            for index in filled:
                previous[index] = f"{previous[index]} {cells[index]}"
            return
    table.rows.append(cells)
