"""The results workbook shows a free-table cell rule (``cek: E199 = E198 - H196``): its value as a
live formula in the cell's place of the table's results sheet, and a "Cek rumus sel" column that
judges the stated figure the way ``check`` does, worded as the template's live checks.

Ngoro/Jombang 2024, the second "Tabel 3.9 Efisiensi Sarana dan Prasarana" (seed lines 1281-1292,
the grid of tests/test_freetables_cell_rules.py) pasted into a real template; each variant's
results workbook is written by ``sakip-xlsx results`` and all are recalculated by LibreOffice in ONE
soffice call.  Every expected value is arithmetic on the printed figures.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from check_helpers import IDENTITAS
from helpers import fill_template
from recalc import compare_cached, recalculate, require_soffice
from test_free_table_checks import with_free_table
from test_freetables_cell_rules import CAPAIAN, SARPRAS, sarpras

from sakip_xlsx import api
from sakip_xlsx.findings import Finding
from sakip_xlsx.freetables import FIRST_TABLE_ROW

#: Excel row of grid row ``n`` (1-based) once pasted at the sheet's first table row
ROW = {n: FIRST_TABLE_ROW - 1 + n for n in range(1, 8)}
#: the efisiensi row (grid row 7) is the mean capaian row (6) minus the AKIP row's % ketersediaan (4)
RULE = f"cek: E{ROW[7]} = E{ROW[6]} - H{ROW[4]}"
TARGET = f"E{ROW[7]}"
SHEET = "Bebas 1"  # the first (only) free table's results sheet
#: rows of the results sheet: data from row 4, the efisiensi row is the table's 4th row
CELL, STATUS = "E7", "I7"

AS_PRINTED = 101.4 - 65  # the printed mean capaian minus the printed % ketersediaan
UNROUNDED = sum(CAPAIAN) / 2 - SARPRAS  # the same from the unrounded capaian and %
PRINTED_MEAN_GROUND = (99.0 + 103.9) / 2 - SARPRAS  # a wrong mean replaced by the mean of the printed capaian

VARIANTS = {
    "chain": ("36,4", "101,4%"),  # the report: 101,4 − 65, shown with a decimal 65 does not have
    "unrounded": ("36,5", "101,4%"),
    "wrong": ("38,4", "101,4%"),
    "follows": ("31,4", "96,4%"),  # a wrong mean, and the efisiensi computed from it
}


def id_text(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")


@dataclass
class Written:
    source: Path
    results: Path
    recalculated: Path
    findings: list[Finding]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, blank_template: Path) -> dict[str, Written]:
    require_soffice()
    root = tmp_path_factory.mktemp("cellrules")
    made: dict[str, tuple[Path, Path, list[Finding]]] = {}
    for name, (efisiensi, mean) in VARIANTS.items():
        source = root / f"{name}.xlsx"
        shutil.copyfile(blank_template, source)
        fill_template(source, IDENTITAS)
        with_free_table(source, sarpras(efisiensi, mean=mean, rule=RULE))
        target = root / f"{name}-hasil.xlsx"
        run = api.results([source], output=target)
        assert run.exit_code == 0, run.outcomes[0].results_error
        made[name] = (source, target, run.outcomes[0].findings)
    copies = recalculate([target for _, target, _ in made.values()], root / "out")
    return {
        name: Written(source, target, copies[target], findings)
        for name, (source, target, findings) in made.items()
    }


def cell(path: Path, address: str, values: bool = True) -> object:
    book = openpyxl.load_workbook(path, data_only=values)
    try:
        return book[SHEET][address].value
    finally:
        book.close()


def at_target(found: list[Finding]) -> list[Finding]:
    return [f for f in found if f.sheet == "Tabel Bebas" and f.cell == TARGET]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_cell_rule_is_a_live_formula_computing_the_printed_figures(
    written: dict[str, Written], name: str
) -> None:
    item = written[name]
    formula = cell(item.results, CELL, values=False)
    assert isinstance(formula, str) and formula.startswith("=")
    # the input figures are the copy of the submitted sheet, at the addresses the rule names
    assert f"'Tabel Bebas'!E{ROW[6]}-'Tabel Bebas'!H{ROW[4]}" in formula
    mean = 96.4 if name == "follows" else 101.4
    expected = mean - 65
    assert cell(item.results, CELL) == pytest.approx(expected, abs=1e-9)
    assert cell(item.recalculated, CELL) == pytest.approx(expected, abs=1e-9)
    header = cell(item.results, "I3")
    assert isinstance(header, str) and header.startswith("Cek rumus sel") and f"E{ROW[7]}" in header


def test_every_cached_value_equals_libreoffice(written: dict[str, Written]) -> None:
    for item in written.values():
        count, mismatches = compare_cached(item.results, item.recalculated)
        assert count > 0 and mismatches == [], mismatches[:5]


def test_right_figure_is_ticked(written: dict[str, Written]) -> None:
    # 36,5 is the value from the unrounded figures: right, check says nothing
    assert round(UNROUNDED, 1) == 36.5
    item = written["unrounded"]
    assert at_target(item.findings) == []
    assert cell(item.results, STATUS) == cell(item.recalculated, STATUS) == "✓"


def test_rounding_chain_is_a_rounding_note(written: dict[str, Written]) -> None:
    # 36,4 = 101,4 − 65 from the printed figures; 36,50 from the unrounded ones: check's rounding info
    assert round(AS_PRINTED, 1) == 36.4 and round(UNROUNDED, 2) == 36.50
    item = written["chain"]
    (info,) = at_target(item.findings)
    assert (info.code, info.severity) == ("rounding", "info")
    text = f"✓ pembulatan; hitungan {id_text(UNROUNDED, 3)}"
    assert cell(item.results, STATUS) == cell(item.recalculated, STATUS) == text


def test_wrong_figure_says_what_it_should_be(written: dict[str, Written]) -> None:
    item = written["wrong"]
    (error,) = at_target(item.findings)
    assert error.severity == "error" and error.expected == pytest.approx(AS_PRINTED, abs=1e-6)
    text = f"seharusnya {id_text(AS_PRINTED, 2)}"
    assert text == "seharusnya 36,40"
    assert cell(item.results, STATUS) == cell(item.recalculated, STATUS) == text


def test_figure_following_a_wrong_mean_names_it(written: dict[str, Written]) -> None:
    # the mean row printed 96,4 (the printed capaian give 101,45) and the efisiensi 96,4 − 65 = 31,4
    assert round(96.4 - 65, 1) == 31.4
    item = written["follows"]
    (follows,) = at_target(item.findings)
    root = f"Tabel Bebas!E{ROW[6]}"
    assert (follows.code, follows.caused_by) == ("follows-root", root)
    assert follows.expected == pytest.approx(PRINTED_MEAN_GROUND, abs=1e-6)  # findings keep 6 decimals
    text = f"ikut salah karena {root}; setelah diperbaiki menjadi {id_text(PRINTED_MEAN_GROUND, 2)}"
    assert cell(item.results, STATUS) == cell(item.recalculated, STATUS) == text
    # the wrong mean itself is the root error
    assert [f.cell for f in item.findings if f.severity == "error" and f.sheet == "Tabel Bebas"] == [
        f"E{ROW[6]}"
    ]
