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
    # png name: (workbook, sheet, print area or None)
    "template": (ROOT / "samples" / "kragan-rembang-2021.xlsx", "Anggaran", "A1:M24"),
    # the live checks (see LIVE): only the figures and their Cek columns shown
    "cek-langsung": (ROOT / "samples" / "kragan-rembang-2021.xlsx", "Anggaran", None),
    "pemeriksaan": (ROOT / "samples" / "hasil" / "kragan-rembang-2021-hasil.xlsx", "Pemeriksaan", "A1:K20"),
    "ikhtisar": (ROOT / "samples" / "hasil" / "contoh-bersih-hasil.xlsx", "Ikhtisar", None),
}


#: Shots of the live checks: columns hidden to show the typed figures beside their Cek columns.
LIVE = {"cek-langsung": ("E:H", "K:K", "N:W")}
#: pdftoppm resolution and crop (pixels) of shots whose content is a strip of the page
CROP = {"cek-langsung": ("-r", "170", "-x", "55", "-y", "90", "-W", "1790", "-H", "270")}


def _live_shot(workbook: openpyxl.Workbook, sheet: str, hidden: tuple[str, ...]) -> None:
    """Show the typed figures and their Cek columns, rows 1-16."""
    from sakip_xlsx.description import TEMPLATE

    table = next(t for t in TEMPLATE.tables if t.sheet == sheet)
    worksheet = workbook[sheet]
    for span in hidden:
        first, last = span.split(":")
        worksheet.column_dimensions.group(first, last, hidden=True)
    ceks = [table.live_letters[f"cek_{check.field}"] for check in table.live_checks]
    last_cek = max(ceks, key=lambda letter: (len(letter), letter))
    for letter in ceks:
        worksheet.column_dimensions[letter].width = 21
    worksheet.column_dimensions["C"].width = 30
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
        for name, (source, sheet, area) in SHOTS.items():
            workbook = openpyxl.load_workbook(source)
            if name in LIVE:
                _live_shot(workbook, sheet, LIVE[name])
            for worksheet in workbook.worksheets:
                worksheet.sheet_state = "visible" if worksheet.title == sheet else "hidden"
                worksheet.sheet_view.tabSelected = worksheet.title == sheet
            if area:
                workbook[sheet].print_area = area
            workbook.active = workbook.sheetnames.index(sheet)
            copy = work / f"{name}.xlsx"
            workbook.save(copy)
            copies.append(copy)
        # a fresh profile that recalculates on load (the live checks show their results)
        from sakip_xlsx.recalc import _REGISTRY_MODIFICATIONS

        (work / "profile" / "user").mkdir(parents=True)
        (work / "profile" / "user" / "registrymodifications.xcu").write_text(_REGISTRY_MODIFICATIONS, "utf-8")
        profile = (work / "profile").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work),
                *map(str, copies),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        for name in SHOTS:
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    *CROP.get(name, ("-r", "80")),
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(work / f"{name}.pdf"),
                    str(DOCS / name),
                ],
                check=True,
                timeout=120,
            )
            print(DOCS / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
