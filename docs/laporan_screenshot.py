"""Render the README pictures of the Word report: a sample's Bab III -> PDF -> PNG of one page.

Usage: python docs/laporan_screenshot.py   (needs soffice and pdftoppm; writes docs/laporan*.png)

Writes the report of each sample below with ``sakip-xlsx laporan``, converts them all in one
soffice call and keeps the wanted page of each.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from screenshots import page_png, to_pdf

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SHOTS = {
    # png name: (submitted workbook, page)
    "laporan": (ROOT / "samples" / "contoh-bersih.xlsx", 1),
    "laporan-kotak": (ROOT / "samples" / "kragan-rembang-2021.xlsx", 1),
}


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        print("needs soffice (libreoffice-writer-nogui) and pdftoppm (poppler-utils)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        documents = []
        for name, (source, _page) in SHOTS.items():
            document = work / f"{name}.docx"
            command = [sys.executable, "-m", "sakip_xlsx.cli", "laporan", str(source), "-o", str(document)]
            subprocess.run(command, check=True, capture_output=True)
            documents.append(document)
        to_pdf(soffice, documents, work)
        for name, (_source, page) in SHOTS.items():
            page_png(work / f"{name}.pdf", page, DOCS / name)
            print(DOCS / f"{name}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
