"""Comparing a stated figure with its expected value: one policy for every sheet.

Everything that decides "is this typed figure right?" lives here, so the budget,
indicator, Ringkasan, PK, Renstra, citation and free-table checks give the same
answer for the same numbers:

* :func:`is_number` - the one test of "a figure that can be compared or computed with";
* :func:`nearly_equal` - equal as a spreadsheet compares numbers (grade bands, comparisons in formulas);
* :func:`decimals_shown` - how many decimals a typed figure shows;
* :func:`compare` / :class:`Verdict` - stated against expected at the stated precision:
  the expected value rounded half-up to the shown digits is right (less than half a unit
  off, or exactly half a unit and farther from zero), within one unit (and the expected
  value has more digits than shown) it is a rounding ``info``, else a mismatch;
* :func:`agrees` - the same decision as a yes/no, without building anything;
* :func:`hint_for` - the known slip a wrong figure matches (inverted ratio, transposed digits...);
* :func:`judge` - the root-cause rule (SPEC 7, "one wrong figure, one error"): a stated
  figure is compared with the value *from the ground* (recomputed from the lowest level)
  and with the values *as printed* (recomputed from the typed figures it was computed
  from). See :class:`Judgement` for the five verdicts;
* :func:`judged_finding` - a :class:`~sakip_xlsx.findings.Finding` for a judgement, with
  ``caused_by`` on a consequence.

This module imports nothing of the package but :mod:`findings` (itself a leaf).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .findings import Finding, finding

# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


def is_number(value: Any) -> bool:
    """True for an int or a finite float (not a bool): a figure that can be compared or computed with."""
    kind = value.__class__
    if kind is float:  # the usual cases first: this runs for every cell of every table
        return value - value == 0.0  # finite: inf - inf and nan - nan are nan
    if kind is int:
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def nearly_equal(left: float, right: float) -> bool:
    """Equal as a spreadsheet compares numbers (about 15 significant digits), so that
    80.00000000000001 > 80 is false in Python exactly as in Excel and LibreOffice."""
    return left == right or abs(left - right) <= 1e-14 * max(abs(left), abs(right))


def format_number(value: Any, decimals: int = 2) -> str:
    """Indonesian number text: ``1.234.567,89``."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def shown_decimals(entry: Any) -> int:
    """How many decimals a stated entry (anything with ``raw`` and ``value``) shows."""
    return decimals_shown(entry.raw, entry.value)


def decimals_shown(raw: Any, value: Any) -> int:
    """How many decimals a cell's content shows (``raw`` as typed or stored, ``value`` as read)."""
    if raw.__class__ is float:  # the usual stored figure, first (the same as below, without the split)
        if raw.is_integer():
            return 0
        text = repr(raw)
        dot = text.find(".")
        return min(6, len(text) - dot - 1) if dot >= 0 and "e" not in text else 6
    if isinstance(raw, bool) or raw is None:
        return 0
    if isinstance(raw, (int, float)):
        if float(raw).is_integer():
            return 0
        text = repr(float(raw))
        return min(6, len(text.split(".")[1])) if "." in text and "e" not in text else 6
    match = re.search(r"[.,](\d+)[^\d]*$", str(raw).strip())
    if not match:
        return 0
    digits = match.group(1)
    if isinstance(value, (int, float)) and float(value).is_integer() and len(digits) == 3:
        return 0  # "1.250" read as thousands
    return len(digits)


# ---------------------------------------------------------------------------
# One comparison
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    severity: str | None  # None: consistent; "info": rounding; "error": mismatch
    difference: float
    rounding: bool = False


def _slack(expected: float) -> float:
    return 1e-12 * max(1.0, abs(expected))


def within_half_unit(stated: float, expected: float, decimals: int) -> bool:
    """True when ``stated`` is ``expected`` rounded half-up to ``decimals`` decimals (SPEC 5).

    Less than half a unit of the last shown digit off is right.  Exactly half a unit off
    (99,995 shown with two decimals) only the figure farther from zero is right: rounding
    half-up, as Excel's ROUND does (100,00; the figure nearer zero, 99,99, is truncated: a
    rounding ``info`` by :func:`compare`).  "Exactly" allows for the float error of the
    computation (``_slack``, at most a millionth of the half unit: a large rupiah figure's slack
    would otherwise swallow the half unit).
    """
    off = abs(stated - expected)
    half = 10.0 ** (-decimals) / 2
    slack = _slack(expected)
    if off > half + slack:
        return False
    return off < half - min(slack, half * 1e-6) or abs(stated) > abs(expected)


def compare(stated: float, expected: float, decimals: int) -> Verdict:
    """Compare at the stated precision: rounded half-up consistent (:func:`within_half_unit`),
    ≤ 1 unit rounding info, else a mismatch.

    An expected value that has no more digits than shown (a rupiah sum, a count, a sum of
    figures with the stated decimals) cannot be rounded at all: any difference of a unit is
    a mismatch.
    """
    difference = stated - expected
    if within_half_unit(stated, expected, decimals):
        return Verdict(None, difference)
    exact = abs(expected - round(expected, decimals)) <= 1e-9 * max(1.0, abs(expected))
    if abs(difference) <= 10.0 ** (-decimals) + _slack(expected) and not exact:
        return Verdict("info", difference, rounding=True)
    return Verdict("error", difference)


def as_compared(raw: Any, value: Any, expected: float, fraction_allowed: bool = False) -> tuple[float, int]:
    """The stated figure and its shown decimals as compared with ``expected``.

    An Excel percent-formatted cell stores 98,71% as 0.9871: where a percentage is
    expected (``fraction_allowed``), such a fraction is compared as 98,71.
    """
    stated = float(value)
    decimals = decimals_shown(raw, value)
    if (
        fraction_allowed
        and isinstance(raw, float)
        and abs(stated) <= 2
        and abs(expected) > 2
        and abs(stated * 100 - expected) < abs(stated - expected)
    ):
        stated, decimals = stated * 100, max(0, decimals - 2)
    return stated, decimals


def agrees(raw: Any, value: Any, expected: Any, fraction_allowed: bool = False) -> bool:
    """True when a stated number (``raw`` as typed, ``value`` as read) is right against ``expected``
    (its half-up rounding, :func:`within_half_unit`): what :func:`judge` calls ``ok``, without building anything."""
    if not is_number(expected):
        return False
    if float(value) == expected:
        return True
    stated, decimals = as_compared(raw, value, expected, fraction_allowed)
    return within_half_unit(stated, expected, decimals)


# ---------------------------------------------------------------------------
# Known slips
# ---------------------------------------------------------------------------

#: Hint: a parent's figure computed from its own typed pagu/realisasi, not from its lines.
FROM_ROW_TOTALS = "Dihitung dari angka pagu/realisasi baris ini yang tertulis, bukan dari jumlah rinciannya."
#: Hint: a Ringkasan figure computed from the Ringkasan's own typed totals.
FROM_STATED_TOTALS = "Dihitung dari total pagu dan realisasi yang tertulis di Ringkasan, bukan dari tabel."
TRANSPOSED = "Dua angka bertukar tempat (salah ketik)."


def rounding_note(stated: float, expected: float, decimals: int) -> str:
    """How a one-unit difference came about: truncated, or rounded the other way."""
    factor = 10**decimals
    truncated = math.trunc(expected * factor) / factor
    if abs(stated - truncated) <= 1e-9 * max(1.0, abs(expected)):
        return "angka dipotong, bukan dibulatkan setengah ke atas"
    return "pembulatan ke arah lain dari pembulatan setengah ke atas"


def _close(stated: float, candidate: float | None, decimals: int) -> bool:
    if candidate is None or not math.isfinite(candidate):
        return False
    return abs(stated - candidate) <= 10.0 ** (-decimals) + _slack(candidate)


def _digits(value: float, decimals: int) -> str:
    return f"{abs(value):.{decimals}f}".replace(".", "")


def transposed(stated: float, expected: float, decimals: int) -> bool:
    """True when the stated digits are the expected digits with two neighbours swapped."""
    a, b = _digits(stated, decimals), _digits(expected, decimals)
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def hint_for(
    stated: float, expected: float, decimals: int, candidates: Sequence[tuple[str, float | None]]
) -> str | None:
    """The first known slip the stated value matches, in Indonesian."""
    for text, candidate in candidates:
        if _close(stated, candidate, decimals):
            return text
    if transposed(stated, expected, decimals):
        return TRANSPOSED
    return None


# ---------------------------------------------------------------------------
# The root-cause rule
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    """An expectation recomputed from typed figures *as printed*.

    ``value``: what the stated figure is when computed from the typed figures it was
    computed from; ``roots``: ``Sheet!A1`` of those typed figures that differ from their
    own ground value (the figures a consequence follows); ``what``: their Indonesian name,
    e.g. ``"pagu Program X di Anggaran!I4"``.  An expectation with no root is the ground
    value itself and is ignored.
    """

    value: float
    roots: tuple[str, ...]
    what: str


#: The verdicts of :func:`judge`.
OK, ROUNDING, RIGHT_BY_GROUND, CONSEQUENCE, ERROR = (
    "ok",
    "rounding",
    "right-by-ground",
    "consequence",
    "error",
)


@dataclass(frozen=True)
class Judgement:
    """What :func:`judge` decided about one stated figure.

    ``verdict``:

    * ``ok`` - equals the ground value (nothing to say);
    * ``rounding`` - one unit of the last shown digit off the ground value (``info``); or (``chain``
      set) right when computed from the rounded figures it was computed from, but not the value
      from their unrounded values (a rounding chain, ``info``);
    * ``right-by-ground`` - equals the ground value but not the value from the typed figures
      (``printed``): a ``warning`` naming the typed figure that is off (it has its own error);
    * ``consequence`` - equals the value from the typed figures (``printed``) but not the
      ground: a ``warning`` ``follows-root`` whose ``caused_by`` is the typed figure;
    * ``error`` - differs from both: this figure is wrong on its own (a root).
    """

    verdict: str
    stated: float
    decimals: int
    ground: float
    difference: float  # stated - ground
    printed: Printed | None = None
    chain: float | None = None  # a rounding chain: the value from the rounded figures (``ground``: unrounded)


def judge(
    raw: Any,
    value: Any,
    ground: float,
    printed: Sequence[Printed] = (),
    *,
    unrounded: float | None = None,
    rounded_decimals: int | None = None,
    fraction_allowed: bool = False,
) -> Judgement:
    """Judge a stated figure (``raw`` as typed, ``value`` as read) against its ground value and
    the values recomputed from the typed figures it was computed from (SPEC 7).

    ``unrounded``: the same computation from the unrounded values of figures that are printed
    rounded (and right at their decimals), e.g. 103,8929 − 36,3636 where the report subtracts its
    printed 103,9 − 36,36; ``rounded_decimals``: the fewest decimals those printed figures show.
    A stated figure that shows the unrounded value is right.  One that shows only the value from
    the rounded figures is right too, unless it shows more decimals than they do (67,54 from
    103,9: two decimals from a figure with one): then it is a rounding chain, ``rounding``, as a
    one-unit truncation is (SPEC 7: ``info``, not ``error``).
    """
    stated, decimals = as_compared(raw, value, ground, fraction_allowed)
    verdict = compare(stated, ground, decimals)
    if unrounded is not None and is_number(unrounded) and unrounded != ground:
        if within_half_unit(stated, unrounded, decimals):
            return Judgement(OK, stated, decimals, unrounded, stated - unrounded)
        if verdict.severity is None and rounded_decimals is not None and rounded_decimals < decimals:
            return Judgement(ROUNDING, stated, decimals, unrounded, stated - unrounded, chain=ground)
    printed = [p for p in printed if p.roots and is_number(p.value)]
    if verdict.severity is None:
        for item in printed:
            if compare(item.value, ground, decimals).severity == "error":
                return Judgement(RIGHT_BY_GROUND, stated, decimals, ground, verdict.difference, item)
        return Judgement(OK, stated, decimals, ground, verdict.difference)
    if verdict.rounding:
        return Judgement(ROUNDING, stated, decimals, ground, verdict.difference)
    for item in printed:
        if compare(stated, item.value, decimals).severity != "error":
            return Judgement(CONSEQUENCE, stated, decimals, ground, verdict.difference, item)
    return Judgement(ERROR, stated, decimals, ground, verdict.difference)


@dataclass(frozen=True)
class Where:
    """Where a stated figure is and what it is called (the fields every finding about it shares)."""

    sheet: str | None
    cell: str | None
    table: str | None = None
    row_key: str | None = None
    field: str | None = None

    @property
    def location(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else (self.sheet or "")

    def fields(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "cell": self.cell,
            "table": self.table,
            "row_key": self.row_key,
            "field": self.field,
        }


def figure_text(value: float, decimals: int, unit: str = "") -> str:
    """A figure as a message shows it: ``Rp 1.250.000``, ``97,11 %``, ``12``."""
    if unit == "Rp":
        return f"Rp {format_number(value, 0)}"
    return f"{format_number(value, decimals)}{unit}"


def _text(value: str | Callable[[], str]) -> str:
    return value() if callable(value) else value


def judged_finding(
    judgement: Judgement,
    where: Where,
    *,
    code: str,
    what: str,
    explain: str | Callable[[], str],
    candidates: Sequence[tuple[str, float | None]] | Callable[[], Sequence[tuple[str, float | None]]] = (),
    unit: str = "",
    exact_hint: bool = False,
) -> Finding | None:
    """The finding for a judgement (None when ``ok``).

    ``code`` is the check's own code for an ``error``; a consequence is ``follows-root`` with
    ``caused_by`` the typed figure it follows (and, should that figure carry no error after all,
    the error it would have been: see :func:`findings.link_causes`); a figure right by its
    ground but not by the typed figures is ``right-by-ground``.  ``explain`` and
    ``candidates`` may be functions: called only when a finding needs them.
    """
    verdict = judgement.verdict
    if verdict == OK:
        return None
    stated, decimals, ground = judgement.stated, judgement.decimals, judgement.ground
    shown = 0 if unit == "Rp" or (decimals == 0 and float(ground).is_integer()) else max(decimals, 2)
    stated_text = figure_text(stated, decimals, unit)
    ground_text = figure_text(ground, 0 if unit == "Rp" else shown, unit)
    location = where.location
    numbers = {"stated": stated, "expected": round(ground, 6), "difference": round(judgement.difference, 6)}
    if verdict == ROUNDING and judgement.chain is not None:
        rounded_text = figure_text(judgement.chain, 0 if unit == "Rp" else shown, unit)
        return finding(
            "rounding",
            f"{location}: {what} tertulis {stated_text} dihitung dari angka yang sudah dibulatkan "
            f"({rounded_text}); dari angka yang belum dibulatkan hasilnya {ground_text}.",
            hint="Pembulatan berantai: hitung dari angka yang belum dibulatkan, lalu bulatkan hasilnya.",
            **numbers,
            **where.fields(),
        )
    if verdict == ROUNDING:
        note = rounding_note(stated, ground, decimals)
        return finding(
            "rounding",
            f"{location}: {what} tertulis {stated_text}, hasil hitung {ground_text}. "
            f"Bedanya hanya satu angka terakhir ({note}).",
            hint=f"Pembulatan: {note}.",
            **numbers,
            **where.fields(),
        )
    printed = judgement.printed
    if verdict == RIGHT_BY_GROUND:
        assert printed is not None
        return finding(
            "right-by-ground",
            f"{location}: {what} tertulis {stated_text} benar menurut rinciannya ({_text(explain)}), tetapi "
            f"tidak sama dengan hitungan dari {printed.what} yang tertulis "
            f"({figure_text(printed.value, 0 if unit == 'Rp' else shown, unit)}); lihat {', '.join(printed.roots)}.",
            caused_by=printed.roots[0],
            **numbers,
            **where.fields(),
        )
    raw_candidates = candidates() if callable(candidates) else candidates
    hint = hint_for(stated, ground, decimals, list(raw_candidates))
    error = finding(
        code,
        f"{location}: {what} tertulis {stated_text}, seharusnya {ground_text} ({_text(explain)}); "
        f"selisih {format_number(judgement.difference, shown)}.",
        hint=hint,
        **numbers,
        **where.fields(),
    )
    if verdict == ERROR:
        return error
    assert printed is not None
    return finding(
        "follows-root",
        f"{location}: {what} tertulis {stated_text} mengikuti {printed.what} yang salah; "
        f"setelah diperbaiki menjadi {ground_text}.",
        caused_by=printed.roots[0],
        fallback=error,
        **numbers,
        **where.fields(),
    )


__all__ = [
    "CONSEQUENCE",
    "ERROR",
    "OK",
    "RIGHT_BY_GROUND",
    "ROUNDING",
    "Judgement",
    "Printed",
    "Verdict",
    "Where",
    "agrees",
    "as_compared",
    "compare",
    "decimals_shown",
    "figure_text",
    "format_number",
    "hint_for",
    "is_number",
    "judge",
    "judged_finding",
    "rounding_note",
    "shown_decimals",
    "transposed",
    "within_half_unit",
]
