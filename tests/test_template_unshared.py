"""write_template(shared_formulas=False): the blank template for programs that fill it with openpyxl.

impor and samples/build.py load the blank template with openpyxl, fill it, save it and share the
live columns' formulas themselves.  Loaded from the unshared template openpyxl does not translate
every shared formula into every row; the saved result must be the same workbook.
"""

from __future__ import annotations

import zipfile

from openpyxl import load_workbook

from sakip_xlsx.rules import load_rules
from sakip_xlsx.template import live_formula_spans, share_formulas, write_template


def _filled(tmp_path, name, shared):
    blank = tmp_path / f"{name}.xlsx"
    write_template(blank, load_rules("default"), shared_formulas=shared)
    workbook = load_workbook(blank)
    workbook["Identitas"]["C4"] = "Kecamatan Contoh"
    saved = tmp_path / f"{name}-filled.xlsx"
    workbook.save(saved)
    share_formulas(saved, live_formula_spans())
    return blank, saved


def _parts(path):
    with zipfile.ZipFile(path) as archive:
        return {
            i.filename: archive.read(i) for i in archive.infolist() if not i.filename.startswith("docProps/")
        }


def test_unshared_blank_fills_to_the_same_workbook(tmp_path):
    shared_blank, shared_saved = _filled(tmp_path, "shared", True)
    plain_blank, plain_saved = _filled(tmp_path, "plain", False)
    # the two blanks differ (rows below the first hold xlsxwriter's placeholder, not shared references) ...
    assert _parts(shared_blank) != _parts(plain_blank)
    with zipfile.ZipFile(plain_blank) as archive:
        sheets = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b't="shared"' not in sheets
    # ... and after filling, saving and sharing they are the same workbook, part by part
    assert _parts(shared_saved) == _parts(plain_saved)
