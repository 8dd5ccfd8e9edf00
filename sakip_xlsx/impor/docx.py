"""Read a Word report (.docx) with python-docx: paragraphs and tables in body order.

The file is untrusted: it passes the same zip checks as a submitted workbook
(declared sizes, expansion ratio, member count, no DTD or entity declarations)
before python-docx (lxml without entity resolution) parses it.  Merged cells
keep their text once, in the first grid cell they cover.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from .document import Document, DocumentError, Paragraph, Table, clean, finish

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_package(path: Path) -> None:
    """Refuse a file that is not a safe Word package, with an Indonesian reason."""
    from ..safety import UnreadableWorkbook, _check_declared, _DeclarationScanner, _iter_member

    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head.startswith(_OLE_MAGIC):
                raise DocumentError(
                    path,
                    "Dokumen dilindungi kata sandi atau berformat Word lama (.doc). Buka di Word, hapus kata "
                    "sandinya bila ada, lalu simpan sebagai Dokumen Word (.docx).",
                )
            if not head.startswith(b"PK"):
                raise DocumentError(path, "Berkas bukan dokumen Word (.docx) yang utuh; mungkin rusak.")
            try:
                infos = zipfile.ZipFile(handle).infolist()
            except zipfile.BadZipFile:
                raise DocumentError(path, "Dokumen Word rusak (daftar isi zip tidak terbaca).") from None
            _check_declared(path, infos)
            if "word/document.xml" not in {info.filename for info in infos}:
                raise DocumentError(
                    path, "Berkas ini bukan dokumen Word (.docx): bagian isi dokumen tidak ada."
                )
            for info in infos:
                if not info.filename.endswith((".xml", ".rels")):
                    continue
                scanner = _DeclarationScanner(path, info.filename)
                for chunk in _iter_member(path, handle, info):
                    scanner.feed(chunk)
                scanner.close()
    except UnreadableWorkbook as exc:
        reason = exc.reason.replace("buku kerja isian", "dokumen").replace(
            "Buku Kerja Excel (.xlsx)", "Dokumen Word (.docx)"
        )
        raise DocumentError(path, reason) from None
    except OSError as exc:
        raise DocumentError(path, f"Berkas tidak dapat dibuka ({exc.strerror}).") from None


def read_docx(path: Path) -> Document:
    _check_package(path)
    import docx

    try:
        word = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for damaged packages
        raise DocumentError(
            path, f"Dokumen Word rusak atau tidak dapat dibaca ({type(exc).__name__})."
        ) from None
    document = Document(path, "docx")
    for element in word.element.body.iterchildren():
        tag = element.tag
        if tag == f"{_W}p":
            text = clean("".join(node.text or "" for node in element.iter(f"{_W}t")))
            if not text:
                continue
            style = element.find(f"{_W}pPr/{_W}pStyle")
            style_name = (style.get(f"{_W}val") or "") if style is not None else ""
            heading = style_name.lower().startswith(("heading", "judul", "title")) or _bold_line(element)
            document.blocks.append(Paragraph(text, heading=heading))
        elif tag == f"{_W}tbl":
            rows = _rows(element)
            if rows:
                document.blocks.append(Table(rows))
    return finish(document)


def _bold_line(paragraph) -> bool:
    runs = [
        run for run in paragraph.iter(f"{_W}r") if "".join(t.text or "" for t in run.iter(f"{_W}t")).strip()
    ]
    return bool(runs) and all(run.find(f"{_W}rPr/{_W}b") is not None for run in runs)


def _rows(table) -> list[list[str]]:
    rows = []
    for tr in table.iter(f"{_W}tr"):
        if tr.getparent() is not table:
            continue
        cells: list[str] = []
        for tc in tr.iterchildren(f"{_W}tc"):
            properties = tc.find(f"{_W}tcPr")
            span, continued = 1, False
            if properties is not None:
                grid = properties.find(f"{_W}gridSpan")
                if grid is not None:
                    span = int(grid.get(f"{_W}val") or 1)
                merge = properties.find(f"{_W}vMerge")
                continued = merge is not None and (merge.get(f"{_W}val") or "continue") == "continue"
            paragraphs = [
                "".join(node.text or "" for node in p.iter(f"{_W}t")) for p in tc.iterchildren(f"{_W}p")
            ]
            text = "" if continued else clean(" ".join(paragraphs))
            cells.append(text)
            cells.extend([""] * (span - 1))
        if any(cells):
            rows.append(cells)
    return rows
