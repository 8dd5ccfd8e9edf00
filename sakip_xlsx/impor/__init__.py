"""Import a finished LKjIP report (Word, PDF or text) into a filled template.

``read_document`` turns the file into a neutral :class:`~.document.Document`;
:mod:`.recognise` finds the report's parts by their headings and column
headers; :mod:`.place` writes them into the template through the schema and
lists where each row came from and what was not placed.
"""

from __future__ import annotations

from pathlib import Path

from .document import Document, DocumentError

SUFFIXES = (".docx", ".pdf", ".txt", ".md")


def read_document(path: str | Path) -> Document:
    """Read a report into the document model; `DocumentError` (Indonesian) when it cannot be read."""
    path = Path(path)
    if not path.exists():
        raise DocumentError(path, "Berkas tidak ditemukan. Periksa nama dan folder berkas tersebut.")
    if path.is_dir():
        raise DocumentError(path, "Ini sebuah folder, bukan berkas laporan.")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        from .docx import read_docx

        return read_docx(path)
    if suffix == ".pdf":
        from .pdf import read_pdf

        return read_pdf(path)
    if suffix in (".txt", ".md"):
        from .text import read_text

        return read_text(path)
    raise DocumentError(
        path,
        "Jenis berkas tidak dikenal. Impor membaca laporan Word (.docx), PDF (.pdf) atau teks (.txt, .md); "
        "simpan laporan .doc lama sebagai .docx terlebih dahulu.",
    )


__all__ = ["SUFFIXES", "Document", "DocumentError", "read_document"]
