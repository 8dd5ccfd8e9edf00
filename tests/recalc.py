"""Recalculate workbooks with LibreOffice and compare against our cached values.

Every derived cell sakip-xlsx writes is a live formula that also carries a
value computed in Python (the "cached" value), so viewers that never
recalculate still show numbers.  This module proves those cached values are
what a spreadsheet engine computes (SPEC section 9):

1. :func:`recalculate` opens the workbooks in LibreOffice headless with a
   fresh profile that forces a full recalculation on load, and saves copies.
2. :func:`compare_cached` reads every formula cell of the original workbook
   and compares its cached value with the value LibreOffice computed.

Known LibreOffice behaviour the comparison allows for:

* Numbers are saved with 15 significant digits (``33.3333333333333``), so
  ``rel_tol`` must stay well above ``1e-15``.
* A boolean formula result in a cell with an explicit number format (for
  example ``0.00%``) is saved as the number 0 or 1, not as a boolean; a
  boolean therefore equals exactly 0 or 1, never any other number.
* A formula returning empty text is read back by openpyxl as ``None``, from
  both xlsxwriter and LibreOffice output; ``None`` and ``""`` are equal.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula

__all__ = [
    "Mismatch",
    "compare_cached",
    "find_soffice",
    "recalculate",
    "require_soffice",
]

#: Executable names tried on ``PATH``, in order.
_SOFFICE_NAMES = ("soffice", "libreoffice")

#: Usual install locations when the executable is not on ``PATH``.
_SOFFICE_FALLBACKS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)

#: LibreOffice user settings: always recalculate OOXML and ODF files on load
#: (0 = always, 1 = never, 2 = ask).  Without this LibreOffice keeps the
#: cached values of xlsx files and the comparison would prove nothing.
_REGISTRY_MODIFICATIONS = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" \
xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

#: Values of the ``CI`` environment variable that mean "not on CI".
_CI_FALSE = frozenset({"", "0", "false", "no", "off"})


def find_soffice() -> str | None:
    """Return the path of the LibreOffice executable, or ``None`` if absent."""
    for name in _SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for candidate in _SOFFICE_FALLBACKS:
        if Path(candidate).is_file():
            return candidate
    return None


def require_soffice() -> str:
    """Return the soffice path for a test, or skip/fail the test without it.

    Outside CI a missing LibreOffice skips the test.  When the ``CI``
    environment variable is set (to anything but an empty/false value) a
    missing LibreOffice fails the test, because CI must run these checks.
    """
    import pytest  # Lazy: the package itself does not depend on pytest.

    soffice = find_soffice()
    if soffice is not None:
        return soffice
    if os.environ.get("CI", "").strip().lower() not in _CI_FALSE:
        pytest.fail(
            "LibreOffice (soffice) is required on CI but was not found; "
            "install it with: apt-get install -y libreoffice-calc-nogui",
            pytrace=False,
        )
    pytest.skip("LibreOffice (soffice) not found; install libreoffice-calc-nogui")


def _unique_stems(paths: Sequence[Path]) -> list[str]:
    """Give each input a distinct file stem (case-insensitively).

    The first file keeps its own stem; later files with a taken stem get
    ``-2``, ``-3`` ... so that ``a/hasil.xlsx`` and ``b/hasil.xlsx`` do not
    overwrite each other in the shared output folder.
    """
    taken: set[str] = set()
    stems: list[str] = []
    for path in paths:
        stem = path.stem
        number = 1
        while stem.casefold() in taken:
            number += 1
            stem = f"{path.stem}-{number}"
        taken.add(stem.casefold())
        stems.append(stem)
    return stems


def _run(command: list[str], timeout: float) -> str:
    """Run ``command``, return its combined output; kill the group on timeout."""
    # soffice is often a wrapper script that starts soffice.bin, so run it in
    # its own session and kill the whole process group if it hangs.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        start_new_session=os.name == "posix",
    )
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        output, _ = process.communicate()
        raise RuntimeError(f"LibreOffice did not finish within {timeout:g} s:\n{output}") from None
    return output


def recalculate(
    paths: Sequence[Path],
    outdir: Path,
    timeout: float = 900,
    *,
    soffice: str | None = None,
) -> dict[Path, Path]:
    """Recalculate every workbook with LibreOffice headless in ONE soffice call.

    Each input is copied under a unique name into a temporary folder, and a
    single ``soffice --convert-to xlsx`` run with a fresh profile (forcing
    recalculation on load) writes the recalculated copies into ``outdir``.

    Args:
        paths: Workbooks to recalculate (xlsx).  Files with the same name in
            different folders are fine; repeated paths are converted once.
        outdir: Folder for the recalculated copies (created if missing).
            Copies are named after the input, with ``-2``, ``-3`` ... added
            when names collide.
        timeout: Seconds to wait for LibreOffice before killing it.
        soffice: LibreOffice executable; :func:`find_soffice` by default.

    Returns:
        Mapping of each given path to its recalculated copy.

    Raises:
        FileNotFoundError: An input does not exist.
        ValueError: A recalculated copy would overwrite an input.
        RuntimeError: LibreOffice is missing, timed out, or did not produce
            every copy (the message includes its output).
    """
    given = [Path(path) for path in paths]
    if not given:
        return {}
    for path in given:
        if not path.is_file():
            raise FileNotFoundError(f"workbook not found: {path}")
    executable = soffice or find_soffice()
    if executable is None:
        raise RuntimeError("LibreOffice (soffice) not found; install libreoffice-calc-nogui")

    # One conversion per distinct file, however often or however spelled.
    distinct: dict[Path, Path] = {}
    for path in given:
        distinct.setdefault(path.resolve(), path)
    sources = list(distinct)
    stems = _unique_stems(sources)

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    targets = [outdir / f"{stem}.xlsx" for stem in stems]
    inputs = set(sources)
    for target in targets:
        if target.resolve() in inputs:
            raise ValueError(f"recalculated copy would overwrite the input {target}")
        # A stale copy from an earlier run must not pass for a fresh one.
        target.unlink(missing_ok=True)

    with tempfile.TemporaryDirectory(prefix="sakip-recalc-") as work:
        work_dir = Path(work)
        profile = work_dir / "profile"
        (profile / "user").mkdir(parents=True)
        (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY_MODIFICATIONS, encoding="utf-8")
        staging = work_dir / "in"
        staging.mkdir()
        staged: list[str] = []
        for source, stem in zip(sources, stems, strict=True):
            copy = staging / f"{stem}{source.suffix}"
            shutil.copyfile(source, copy)
            staged.append(str(copy))

        command = [
            executable,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(outdir),
            *staged,
        ]
        output = _run(command, timeout)

    missing = [str(target) for target in targets if not target.is_file()]
    if missing:
        raise RuntimeError(
            "LibreOffice did not write "
            + ", ".join(missing)
            + f"\ncommand: {' '.join(command)}\noutput:\n{output}"
        )
    by_source = dict(zip(sources, targets, strict=True))
    return {path: by_source[path.resolve()] for path in given}


@dataclass(frozen=True)
class Mismatch:
    """A formula cell whose cached value differs from LibreOffice's result."""

    sheet: str
    cell: str  # A1 reference, e.g. "F12"
    formula: str
    cached: object  # value written by our writer
    recalculated: object  # value computed by LibreOffice

    def __str__(self) -> str:
        """Describe the cell the way a spreadsheet user would find it."""
        return (
            f"'{self.sheet}'!{self.cell} {self.formula}: "
            f"cached {self.cached!r}, recalculated {self.recalculated!r}"
        )


def _normalise(value: object, epoch: dt.datetime) -> object:
    """Map a cell value to a comparable form: dates to serials, "" to None."""
    if value == "":
        return None
    if isinstance(value, dt.timedelta):
        return value.total_seconds() / 86400
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return to_excel(value, epoch)
    return value


def _values_equal(cached: object, recalculated: object, rel_tol: float, abs_tol: float) -> bool:
    """Tell whether two normalised cell values are the same result.

    Numbers compare with :func:`math.isclose`; a boolean equals only the
    same boolean or exactly 0/1 (LibreOffice saves booleans in number
    formatted cells as numbers); text (including error codes such as
    ``#DIV/0!``) compares exactly and never equals a number.
    """
    if cached is None or recalculated is None:
        return cached is None and recalculated is None
    if isinstance(cached, bool) or isinstance(recalculated, bool):
        numbers = (bool, int, float)
        if not (isinstance(cached, numbers) and isinstance(recalculated, numbers)):
            return False
        return cached in (0, 1) and recalculated in (0, 1) and cached == recalculated
    if isinstance(cached, int | float) and isinstance(recalculated, int | float):
        return math.isclose(cached, recalculated, rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(cached, str) and isinstance(recalculated, str):
        return cached == recalculated
    return False


def _formula_text(value: object) -> str:
    """Return the formula of a formula cell as text (array formulas too)."""
    if isinstance(value, ArrayFormula):
        return str(value.text)
    return str(value)


def compare_cached(
    original: Path,
    recalculated: Path,
    rel_tol: float = 1e-9,
    abs_tol: float = 1e-9,
) -> tuple[int, list[Mismatch]]:
    """Compare each formula cell's cached value with LibreOffice's value.

    Args:
        original: Workbook as written by sakip-xlsx (formulas plus cached
            values).
        recalculated: The copy LibreOffice recalculated, from
            :func:`recalculate`.
        rel_tol: Relative tolerance for numbers.  Keep it above ``1e-14``:
            LibreOffice saves only 15 significant digits.
        abs_tol: Absolute tolerance for numbers.

    Returns:
        The number of formula cells in ``original`` and the mismatches, in
        sheet order then row by row.

    Raises:
        ValueError: A sheet of ``original`` is missing from ``recalculated``.
    """
    formulas_wb = openpyxl.load_workbook(original, data_only=False)
    cached_wb = openpyxl.load_workbook(original, data_only=True)
    recalc_wb = openpyxl.load_workbook(recalculated, data_only=True)
    try:
        count = 0
        mismatches: list[Mismatch] = []
        for formulas_ws in formulas_wb.worksheets:
            title = formulas_ws.title
            if title not in recalc_wb.sheetnames:
                raise ValueError(f"sheet {title!r} is missing from {recalculated}")
            cached_ws = cached_wb[title]
            recalc_ws = recalc_wb[title]
            for row in formulas_ws.iter_rows():
                for cell in row:
                    if cell.data_type != "f":
                        continue
                    count += 1
                    ref = cell.coordinate
                    cached = cached_ws[ref].value
                    result = recalc_ws[ref].value
                    if not _values_equal(
                        _normalise(cached, cached_wb.epoch),
                        _normalise(result, recalc_wb.epoch),
                        rel_tol,
                        abs_tol,
                    ):
                        mismatches.append(
                            Mismatch(
                                sheet=title,
                                cell=ref,
                                formula=_formula_text(cell.value),
                                cached=cached,
                                recalculated=result,
                            )
                        )
        return count, mismatches
    finally:
        for workbook in (formulas_wb, cached_wb, recalc_wb):
            workbook.close()
