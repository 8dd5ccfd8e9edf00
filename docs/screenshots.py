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
    # the live checks (see LIVE): only the figures and their Cek columns shown
    "cek-langsung": (ROOT / "samples" / "kragan-rembang-2021.xlsx", "Anggaran", None, (1,)),
    "pemeriksaan": (ROOT / "samples" / "hasil" / "kragan-rembang-2021-hasil.xlsx", "Pemeriksaan", None, (1,)),
    # the figures, and the charts on their own page
    "ikhtisar": (ROOT / "samples" / "hasil" / "contoh-bersih-hasil.xlsx", "Ikhtisar", None, (1, 3)),
}

#: Shots of the live checks: columns hidden to show the typed figures beside their Cek columns.
LIVE = {"cek-langsung": ("E:H", "K:K", "N:W")}
#: pdftoppm resolution and crop (pixels) of shots whose content is a strip of the page
CROP = {"cek-langsung": ("-r", "170", "-x", "55", "-y", "90", "-W", "1840", "-H", "450")}


def _live_shot(workbook: openpyxl.Workbook, sheet: str, hidden: tuple[str, ...]) -> None:
    """Show the typed figures and their Cek columns, rows 1-13."""
    from sakip_xlsx.description import TEMPLATE

    table = next(t for t in TEMPLATE.tables if t.sheet == sheet)
    worksheet = workbook[sheet]
    for span in hidden:
        first, last = span.split(":")
        worksheet.column_dimensions.group(first, last, hidden=True)
    ceks = [table.live_letters[f"cek_{check.field}"] for check in table.live_checks]
    last_cek = max(ceks, key=lambda letter: (len(letter), letter))
    for letter in ceks:
        worksheet.column_dimensions[letter].width = 24
    worksheet.column_dimensions["C"].width = 30
    for row in range(table.first_data_row, 14):  # room for a Cek text on three lines
        worksheet.row_dimensions[row].height = 38
    worksheet.print_area = f"A1:{last_cek}13"
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.fitToWidth, worksheet.page_setup.fitToHeight = 1, 1
    worksheet.sheet_properties.pageSetUpPr.fitToPage = True
    for other in [w for w in workbook.worksheets if w.title != sheet]:
        workbook.remove(other)  # the sheet's live formulas refer to itself only


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
            if name in LIVE:
                _live_shot(workbook, sheet, LIVE[name])
            for worksheet in workbook.worksheets:
                worksheet.sheet_state = "visible" if worksheet.title == sheet else "hidden"
                worksheet.sheet_view.tabSelected = worksheet.title == sheet
                if worksheet.title != sheet:
                    worksheet.print_area = None  # LibreOffice prints a hidden sheet's print area
            if area:
                workbook[sheet].print_area = area
            workbook.active = workbook.sheetnames.index(sheet)
            copy = work / f"{name}.xlsx"
            workbook.save(copy)
            copies.append(copy)
        to_pdf(soffice, copies, work)
        for name, (_, _, _, pages) in SHOTS.items():
            for page in pages:
                page_png(work / f"{name}.pdf", page, work / f"{name}-{page}", CROP.get(name, ("-r", "80")))
            shots = [work / f"{name}-{page}.png" for page in pages]
            _side_by_side(shots, DOCS / f"{name}.png")
            print(DOCS / f"{name}.png")
    return 0


def to_pdf(soffice: str, files: list[Path], outdir: Path) -> None:
    """Convert every file to PDF in one soffice call, with a fresh profile in ``outdir`` that
    recalculates on load (the template's live checks show their results)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from recalc import _REGISTRY_MODIFICATIONS  # tests/recalc.py: LibreOffice recalculating on load

    user = outdir / "profile" / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_REGISTRY_MODIFICATIONS, "utf-8")
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


def page_png(pdf: Path, page: int, stem: Path, options: tuple[str, ...] = ("-r", "80")) -> None:
    """One page of ``pdf`` as ``stem``.png (at 80 dpi, or as ``options`` say: resolution, crop)."""
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            *options,
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
