"""Tests for tests/recalc.py (the LibreOffice helper of the tests): LibreOffice recalculation and cached-value checks.

The tests marked by the ``recalculated`` fixture need LibreOffice; they are
skipped without it locally and fail on CI (see ``require_soffice``).  All
their workbooks go through ONE soffice call, made by that module fixture.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import time
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
import recalc
import xlsxwriter
from recalc import Mismatch, compare_cached, recalculate, require_soffice

BUDGET = "Realisasi Anggaran"
KINERJA = "Capaian Kinerja"

#: The one cell whose cached value is deliberately wrong: truncated instead of
#: rounded, 81.13 / 85 * 100 = 95.447...  -> ROUND gives 95.45, not 95.44.
WRONG_SHEET, WRONG_CELL, WRONG_CACHED, RIGHT_VALUE = KINERJA, "D3", 95.44, 95.45


def excel_round(value: float, digits: int) -> float:
    """Round half away from zero like Excel/LibreOffice ROUND (not Python's)."""
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class FormulaCell:
    """One formula cell of a test workbook and the value we cache for it."""

    sheet: str
    cell: str
    formula: str
    cached: object
    num_format: str | None = None


def write_workbook(path: Path, data: dict[str, list[list[object]]], formulas: list[FormulaCell]) -> None:
    """Write plain data rows and formula cells (with cached values) to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(str(path))
    formats: dict[str, object] = {}
    sheets = {name: workbook.add_worksheet(name) for name in data}
    for name, rows in data.items():
        for row_number, row in enumerate(rows):
            sheets[name].write_row(row_number, 0, row)
    for spec in formulas:
        fmt = None
        if spec.num_format:
            if spec.num_format not in formats:
                formats[spec.num_format] = workbook.add_format({"num_format": spec.num_format})
            fmt = formats[spec.num_format]
        sheets[spec.sheet].write_formula(spec.cell, spec.formula, fmt, spec.cached)
    workbook.close()


def budget_workbook(path: Path) -> list[FormulaCell]:
    """Write the two-sheet LKjIP-like workbook; return its formula cells.

    All cached values are computed here in Python, correctly, except the one
    at ``WRONG_SHEET!WRONG_CELL``.
    """
    programs = [
        ("Program Pelayanan Administrasi", 1_500_000_000, 1_234_567_890),
        ("Program Peningkatan Sarana", 750_000_000, 748_500_000),
        ("Program Penunjang Urusan", 0, 0),  # no budget: division by zero
    ]
    indicators = [
        ("Nilai SAKIP", 70, 68.5),
        ("Indeks Kepuasan Masyarakat", 85, 81.13),
        ("Persentase Dokumen Tepat Waktu", 100, 100),
    ]
    rupiah, percent = "#,##0", "0.00%"
    cells: list[FormulaCell] = []

    # Realisasi Anggaran: serapan (IFERROR division, "" without budget),
    # sisa, a text verdict, and a SUM/ROUND total row.
    for row, (_, pagu, realisasi) in enumerate(programs, start=2):
        serapan: float | str = realisasi / pagu if pagu else ""
        if serapan == "":
            verdict = "Tidak ada pagu"
        else:
            verdict = "Baik" if serapan >= 0.9 else "Kurang"
        cells += [
            FormulaCell(BUDGET, f"D{row}", f'=IFERROR(C{row}/B{row},"")', serapan, percent),
            FormulaCell(BUDGET, f"E{row}", f"=B{row}-C{row}", pagu - realisasi, rupiah),
            FormulaCell(
                BUDGET,
                f"F{row}",
                f'=IF(D{row}="","Tidak ada pagu",IF(D{row}>=0.9,"Baik","Kurang"))',
                verdict,
            ),
        ]
    total_pagu = sum(pagu for _, pagu, _ in programs)
    total_realisasi = sum(realisasi for _, _, realisasi in programs)
    total_serapan = excel_round(total_realisasi / total_pagu, 4)
    cells += [
        FormulaCell(BUDGET, "B5", "=SUM(B2:B4)", total_pagu, rupiah),
        FormulaCell(BUDGET, "C5", "=SUM(C2:C4)", total_realisasi, rupiah),
        FormulaCell(BUDGET, "D5", "=ROUND(C5/B5,4)", total_serapan, percent),
        FormulaCell(BUDGET, "E5", "=SUM(E2:E4)", total_pagu - total_realisasi, rupiah),
        FormulaCell(
            BUDGET,
            "F5",
            '=IF(D5>=0.9,"Baik","Kurang")&" ("&A5&")"',
            ("Baik" if total_serapan >= 0.9 else "Kurang") + " (Jumlah)",
        ),
    ]

    # Capaian Kinerja: ROUND percentage, boolean, ratio, and references to
    # the other sheet (quoted because of the space in its name).
    capaian: list[float] = []
    for row, (_, target, realisasi) in enumerate(indicators, start=2):
        value = excel_round(realisasi / target * 100, 2)
        capaian.append(value)
        if (KINERJA, f"D{row}") == (WRONG_SHEET, WRONG_CELL):
            assert value == RIGHT_VALUE
            value = WRONG_CACHED
        cells += [
            FormulaCell(KINERJA, f"D{row}", f"=ROUND(C{row}/B{row}*100,2)", value),
            FormulaCell(KINERJA, f"E{row}", f"=C{row}>=B{row}", realisasi >= target),
            FormulaCell(KINERJA, f"F{row}", f"=C{row}/B{row}", realisasi / target, percent),
        ]
    cells += [
        FormulaCell(
            KINERJA,
            "D5",
            "=ROUND(AVERAGE(D2:D4),2)",
            excel_round(sum(capaian) / len(capaian), 2),
        ),
        FormulaCell(KINERJA, "F5", f"='{BUDGET}'!D5", total_serapan, percent),
        FormulaCell(
            KINERJA,
            "D6",
            f"=ROUND('{BUDGET}'!C5/'{BUDGET}'!B5*100,2)",
            excel_round(total_realisasi / total_pagu * 100, 2),
        ),
    ]

    data = {
        BUDGET: [
            ["Program", "Pagu", "Realisasi", "Serapan", "Sisa", "Keterangan"],
            *[list(program) for program in programs],
            ["Jumlah"],
        ],
        KINERJA: [
            ["Indikator", "Target", "Realisasi", "Capaian (%)", "Tercapai", "Rasio"],
            *[list(indicator) for indicator in indicators],
            ["Rata-rata"],
            ["Serapan anggaran (%)"],
        ],
    }
    write_workbook(path, data, cells)
    return cells


def small_workbook(path: Path, a: float, b: float) -> list[FormulaCell]:
    """Write a one-sheet workbook with correct cached values; return formulas."""
    cells = [
        FormulaCell("Data", "C1", "=A1*B1", a * b),
        FormulaCell("Data", "D1", "=B1>A1", b > a, "0%"),  # boolean, number format
        FormulaCell("Data", "E1", '=IF(A1>B1,"lebih","")', "lebih" if a > b else ""),
    ]
    write_workbook(path, {"Data": [[a, b]]}, cells)
    return cells


@dataclass
class Recalculated:
    """Outcome of the module's single soffice call."""

    budget: Path
    same_name: tuple[Path, Path]
    others: list[Path]
    copies: dict[Path, Path]
    outdir: Path
    seconds: float
    budget_cells: list[FormulaCell]


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> Recalculated:
    """Build five small workbooks and recalculate them in ONE soffice call."""
    require_soffice()
    root = tmp_path_factory.mktemp("recalc")
    budget = root / "LKjIP 2024.xlsx"
    budget_cells = budget_workbook(budget)
    same_name = (root / "a" / "hasil.xlsx", root / "b" / "hasil.xlsx")
    small_workbook(same_name[0], 6, 7)
    small_workbook(same_name[1], 9, 5)
    others = [root / "folder dengan spasi" / "Lampiran Kinerja.xlsx", root / "c.xlsx"]
    small_workbook(others[0], 1.1, 2.2)
    small_workbook(others[1], 1234567.891, 0.001)
    outdir = root / "out"
    paths = [budget, *same_name, *others]
    start = time.perf_counter()
    copies = recalculate(paths, outdir)
    seconds = time.perf_counter() - start
    return Recalculated(budget, same_name, others, copies, outdir, seconds, budget_cells)


def test_finds_exactly_the_wrong_cached_value(recalculated: Recalculated) -> None:
    """Every formula cell is counted and only the wrong cached value differs."""
    count, mismatches = compare_cached(recalculated.budget, recalculated.copies[recalculated.budget])
    assert count == len(recalculated.budget_cells) == 26
    formula = next(
        c.formula for c in recalculated.budget_cells if (c.sheet, c.cell) == (WRONG_SHEET, WRONG_CELL)
    )
    assert mismatches == [Mismatch(WRONG_SHEET, WRONG_CELL, formula, WRONG_CACHED, RIGHT_VALUE)]


def test_recalculated_values_come_from_libreoffice(recalculated: Recalculated) -> None:
    """The copy holds computed values, including "" and an error-free IFERROR."""
    copy = openpyxl.load_workbook(recalculated.copies[recalculated.budget], data_only=True)
    assert copy[KINERJA][WRONG_CELL].value == RIGHT_VALUE
    assert copy[BUDGET]["D4"].value in (None, "")  # IFERROR(0/0, "")
    assert copy[BUDGET]["F4"].value == "Tidak ada pagu"
    assert copy[BUDGET]["F5"].value == "Kurang (Jumlah)"
    assert copy[KINERJA]["E4"].value is True


def test_same_file_name_in_different_folders(recalculated: Recalculated) -> None:
    """Inputs named alike both come back, each recalculated from its own data."""
    first, second = recalculated.same_name
    copies = recalculated.copies
    assert copies[first] != copies[second]
    for original, product in ((first, 42), (second, 45)):
        copy = copies[original]
        assert copy.parent == recalculated.outdir
        assert copy.is_file()
        assert openpyxl.load_workbook(copy, data_only=True)["Data"]["C1"].value == product
        assert compare_cached(original, copy) == (3, [])


def test_other_workbooks_match(recalculated: Recalculated) -> None:
    """Correct cached values, booleans in number-formatted cells included, match."""
    assert set(recalculated.copies) == {
        recalculated.budget,
        *recalculated.same_name,
        *recalculated.others,
    }
    for original in recalculated.others:
        assert compare_cached(original, recalculated.copies[original]) == (3, [])


def test_time_of_one_soffice_call(recalculated: Recalculated) -> None:
    """Report how long one soffice call for the module's 5 workbooks took."""
    count = len(recalculated.copies)
    assert count == 5
    print(
        f"\nsoffice recalculated {count} small workbooks in one call: "
        f"{recalculated.seconds:.2f} s ({recalculated.seconds / count:.2f} s each)"
    )


# --- compare_cached rules, without LibreOffice ------------------------------


def test_compare_rules(tmp_path: Path) -> None:
    """Tolerances, empty text, booleans, errors and text follow the stated rules."""
    # (cell, cached in original, value in the "recalculated" copy, equal?)
    cases = [
        ("A1", 100 / 3, 33.3333333333333, True),  # LibreOffice's 15 digits
        ("A2", 1.0, 1.000001, False),
        ("A3", "", "", True),  # both read back as None
        ("A4", "", 0, False),
        ("A5", "Baik", "Baik", True),
        ("A6", "Baik", "baik", False),
        ("A7", True, True, True),
        ("A8", True, False, False),
        ("A9", True, 1, True),  # LibreOffice: boolean in a formatted cell
        ("A10", False, 0, True),
        ("A11", True, 2, False),
        ("A12", False, "", False),
        ("A13", "#DIV/0!", "#DIV/0!", True),
        ("A14", "#DIV/0!", 0, False),
        ("A15", 5, "5", False),
        ("A16", 0, "", False),
        ("A17", 1_234_567_890_000.123, 1_234_567_890_000.12, True),
        ("A18", 45000.5, 45000.5, True),  # date-formatted: read as datetime
    ]
    original, copy = tmp_path / "original.xlsx", tmp_path / "copy.xlsx"
    for path, index in ((original, 1), (copy, 2)):
        specs = [
            FormulaCell(
                "Lembar Uji",
                case[0],
                "=B1",
                case[index],
                "yyyy-mm-dd hh:mm" if case[0] == "A18" else None,
            )
            for case in cases
        ]
        write_workbook(path, {"Lembar Uji": [[None, 1]]}, specs)
    assert isinstance(
        openpyxl.load_workbook(original, data_only=True)["Lembar Uji"]["A18"].value,
        dt.datetime,
    )

    count, mismatches = compare_cached(original, copy)

    assert count == len(cases)
    assert [m.cell for m in mismatches] == [c[0] for c in cases if not c[3]]
    assert all(m.sheet == "Lembar Uji" and m.formula == "=B1" for m in mismatches)


def test_compare_tolerances_are_configurable(tmp_path: Path) -> None:
    """A wider rel_tol accepts differences the default rejects."""
    original, copy = tmp_path / "o.xlsx", tmp_path / "c.xlsx"
    write_workbook(original, {"S": [[1]]}, [FormulaCell("S", "B1", "=A1", 1.0)])
    write_workbook(copy, {"S": [[1]]}, [FormulaCell("S", "B1", "=A1", 1.001)])
    assert compare_cached(original, copy)[1] == [Mismatch("S", "B1", "=A1", 1, 1.001)]
    assert compare_cached(original, copy, rel_tol=0.01) == (1, [])


def test_compare_missing_sheet(tmp_path: Path) -> None:
    """A sheet missing from the recalculated copy is an error, not a pass."""
    original, copy = tmp_path / "o.xlsx", tmp_path / "c.xlsx"
    write_workbook(original, {"S": [[1]], "T": [[2]]}, [])
    write_workbook(copy, {"S": [[1]]}, [])
    with pytest.raises(ValueError, match="'T'"):
        compare_cached(original, copy)


def test_mismatch_str() -> None:
    """A mismatch reads like a spreadsheet reference."""
    text = str(Mismatch("Capaian Kinerja", "D3", "=ROUND(C3/B3*100,2)", 95.44, 95.45))
    assert text == ("'Capaian Kinerja'!D3 =ROUND(C3/B3*100,2): cached 95.44, recalculated 95.45")


# --- recalculate() plumbing, without LibreOffice ----------------------------


def test_unique_stems() -> None:
    """Colliding names get -2, -3 ... case-insensitively."""
    paths = [Path("a/hasil.xlsx"), Path("b/hasil.xlsx"), Path("c/HASIL.xlsx")]
    paths.append(Path("d/hasil-2.xlsx"))
    assert recalc._unique_stems(paths) == ["hasil", "hasil-2", "HASIL-3", "hasil-2-2"]


def test_recalculate_nothing(tmp_path: Path) -> None:
    """No inputs means no soffice call and an empty mapping."""
    assert recalculate([], tmp_path, soffice="/nonexistent/soffice") == {}


def test_recalculate_missing_input(tmp_path: Path) -> None:
    """A missing input is reported before LibreOffice starts."""
    with pytest.raises(FileNotFoundError):
        recalculate([tmp_path / "tidak-ada.xlsx"], tmp_path / "out")


def test_recalculate_refuses_to_overwrite_input(tmp_path: Path) -> None:
    """The copy must never replace the workbook it was made from."""
    path = tmp_path / "hasil.xlsx"
    small_workbook(path, 1, 2)
    with pytest.raises(ValueError, match="overwrite"):
        recalculate([path], tmp_path, soffice="/nonexistent/soffice")


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as fake soffice")
def test_recalculate_reports_missing_output(tmp_path: Path) -> None:
    """If soffice writes nothing, RuntimeError carries its output."""
    fake = tmp_path / "fake-soffice"
    fake.write_text("#!/bin/sh\necho 'Error: source file could not be loaded'\n")
    fake.chmod(0o755)
    path = tmp_path / "hasil.xlsx"
    small_workbook(path, 1, 2)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "hasil.xlsx").write_bytes(b"stale copy")
    with pytest.raises(RuntimeError, match="could not be loaded"):
        recalculate([path], tmp_path / "out", soffice=str(fake))
    assert not (tmp_path / "out" / "hasil.xlsx").exists()  # stale copy removed


@pytest.mark.skipif(os.name != "posix", reason="uses a shell script as fake soffice")
def test_recalculate_timeout(tmp_path: Path) -> None:
    """A hanging soffice is killed and reported."""
    fake = tmp_path / "fake-soffice"
    fake.write_text(f"#!{sys.executable}\nimport time\ntime.sleep(60)\n")
    fake.chmod(0o755)
    path = tmp_path / "hasil.xlsx"
    small_workbook(path, 1, 2)
    start = time.perf_counter()
    with pytest.raises(RuntimeError, match="did not finish"):
        recalculate([path], tmp_path / "out", timeout=0.5, soffice=str(fake))
    assert time.perf_counter() - start < 10


# --- require_soffice --------------------------------------------------------


def test_require_soffice_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """With LibreOffice present its path is returned, on CI or not."""
    monkeypatch.setattr(recalc, "find_soffice", lambda: "/usr/bin/soffice")
    monkeypatch.setenv("CI", "true")
    assert require_soffice() == "/usr/bin/soffice"


@pytest.mark.parametrize("ci", [None, "", "false", "0"])
def test_require_soffice_skips_outside_ci(monkeypatch: pytest.MonkeyPatch, ci: str | None) -> None:
    """Without LibreOffice and outside CI the test is skipped."""
    monkeypatch.setattr(recalc, "find_soffice", lambda: None)
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception):
        require_soffice()


@pytest.mark.parametrize("ci", ["true", "1"])
def test_require_soffice_fails_on_ci(monkeypatch: pytest.MonkeyPatch, ci: str) -> None:
    """Without LibreOffice on CI the test fails loudly instead of skipping."""
    monkeypatch.setattr(recalc, "find_soffice", lambda: None)
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="required on CI"):
        require_soffice()


def test_find_soffice_matches_path() -> None:
    """find_soffice prefers soffice on PATH."""
    expected = shutil.which("soffice") or shutil.which("libreoffice")
    if expected is None:
        pytest.skip("no soffice on PATH")
    assert recalc.find_soffice() == expected
