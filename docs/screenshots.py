"""Render the README screenshots with LibreOffice: one sheet of a workbook -> PDF -> PNG.

Usage: python docs/screenshots.py   (needs soffice and pdftoppm; writes docs/*.png)

Each shot copies a workbook, leaves only the wanted sheet visible (hidden sheets are
not exported), converts all copies in one soffice call and keeps the first page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SHOTS = {
    # png name: (workbook, sheet, print area or None, printed pages shown side by side)
    "template": (ROOT / "samples" / "kragan-rembang-2021.xlsx", "Petunjuk", None, (1,)),
    "pemeriksaan": (ROOT / "samples" / "hasil" / "kragan-rembang-2021-hasil.xlsx", "Pemeriksaan", None, (1,)),
    # the figures, and the charts on their own page
    "ikhtisar": (ROOT / "samples" / "hasil" / "contoh-bersih-hasil.xlsx", "Ikhtisar", None, (1, 3)),
}


def main() -> int:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        print("needs soffice (libreoffice-calc-nogui) and pdftoppm (poppler-utils)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        copies = []
        for name, (source, sheet, area, _pages) in SHOTS.items():
            workbook = openpyxl.load_workbook(source)
            for worksheet in workbook.worksheets:
                worksheet.sheet_state = "visible" if worksheet.title == sheet else "hidden"
            if area:
                workbook[sheet].print_area = area
            workbook.active = workbook.sheetnames.index(sheet)
            copy = work / f"{name}.xlsx"
            workbook.save(copy)
            copies.append(copy)
        to_pdf(soffice, copies, work)
        for name, (_, _, _, pages) in SHOTS.items():
            for page in pages:
                page_png(work / f"{name}.pdf", page, work / f"{name}-{page}")
            shots = [work / f"{name}-{page}.png" for page in pages]
            _side_by_side(shots, DOCS / f"{name}.png")
            print(DOCS / f"{name}.png")
    return 0


def to_pdf(soffice: str, files: list[Path], outdir: Path) -> None:
    """Convert every file to PDF in one soffice call, with a fresh profile in ``outdir``."""
    profile = (outdir / "profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
        ]
        + [str(file) for file in files],
        check=True,
        capture_output=True,
        timeout=300,
    )


def page_png(pdf: Path, page: int, stem: Path) -> None:
    """One page of ``pdf`` as ``stem``.png at 80 dpi."""
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
        timeout=120,
    )


def _side_by_side(images: list[Path], target: Path) -> None:
    """Pages next to each other in one picture (one page: a copy)."""
    from PIL import Image

    opened = [Image.open(image).convert("RGB") for image in images]
    width = sum(image.width for image in opened)
    height = max(image.height for image in opened)
    sheet = Image.new("RGB", (width, height), "white")
    left = 0
    for image in opened:
        sheet.paste(image, (left, 0))
        left += image.width
    sheet.save(target)


if __name__ == "__main__":
    sys.exit(main())
