"""The checks: small named rules comparing stated figures with recomputed ones.

Each check is a function ``(submission, computation) -> iterable of Finding``
registered in :data:`CHECKS`.  Every stated figure is judged by
:func:`precision.judge` (one policy for every sheet): against the value
recomputed from the lowest level (the *ground*) and against the values
recomputed from the typed figures it was computed from (*as printed*).  One
wrong typed figure gives one ``error``; figures computed from it are
``follows-root`` warnings pointing at it (``caused_by``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from . import quantities as q
from .compute import (
    ROW_COUNT,
    BudgetResult,
    Computation,
    PlanTree,
    Resolver,
    cited_lines,
    free_tables_named,
    is_lines_kode,
    match_program,
    printing_of,
    year_span,
)
from .expr import Expr, Num, guarded_value
from .findings import Finding, finding, group_same_cause, link_causes
from .grades import label_matches
from .model import BudgetLine, Entry, Record, Submission
from .precision import (
    FROM_ROW_TOTALS,
    FROM_STATED_TOTALS,
    Printed,
    Where,
    agrees,
    as_compared,
    compare,
    format_number,
    hint_for,
    is_number,
    judge,
    judged_finding,
    shown_decimals,
)

Check = Callable[[Submission, Computation], Iterable[Finding]]
CHECKS: dict[str, Check] = {}


def check(name: str) -> Callable[[Check], Check]:
    """Register a check under ``name``."""

    def register(function: Check) -> Check:
        CHECKS[name] = function
        return function

    return register


def run_checks(
    submission: Submission, computation: Computation, only: Iterable[str] | None = None
) -> list[Finding]:
    """Run every registered check (or those named) and return their findings."""
    findings: list[Finding] = []
    for name, function in CHECKS.items():
        if only is None or name in set(only):
            if name in AFTER_OTHERS:
                findings.extend(function(submission, computation, findings))  # type: ignore[call-arg]
            else:
                findings.extend(function(submission, computation))
    _TYPED.pop(id(computation), None)
    return link_causes(group_same_cause(findings))


#: Checks that also receive the findings of the checks registered before them (a citation repeats a
#: figure printed elsewhere: it follows that figure when it repeats its wrong value).
AFTER_OTHERS = {"citations"}


# ---------------------------------------------------------------------------
# Comparing a stated figure with the recomputed one (the policy: precision.py)
# ---------------------------------------------------------------------------


def compare_entry(
    entry: Entry | None,
    expected_expr: Expr | None,
    *,
    code: str,
    what: str,
    record: Record | None,
    table: str | None,
    field: str,
    explain: str | Callable[[], str],
    candidates: list[tuple[str, float | None]] | Callable[[], list[tuple[str, float | None]]] = (),
    unit: str = "",
    fraction_allowed: bool = False,
    printed: Sequence[Printed] | Callable[[], Sequence[Printed]] = (),
    severity: str | None = None,
) -> Iterable[Finding]:
    """Findings for one stated figure against its recomputed (ground) expression, by :func:`precision.judge`.

    ``printed``: the values the figure takes when computed from the typed figures it was computed
    from (a function is called only when the figure disagrees with its ground value, or to see
    whether a right figure sits beside a wrong typed one).  A stated figure that cannot be
    recomputed (a zero target, a missing input) gets a ``no-value`` warning rather than silence.
    ``severity`` overrides the severity of an ``error`` of ``code`` (a cross-check that is a warning).
    """
    if entry is None or not entry.is_number:
        return
    expected = guarded_value(expected_expr) if expected_expr is not None else None
    where = Where(entry.sheet, entry.cell, table, record.key if record is not None else None, field)
    if not is_number(expected):
        explained = _text(explain)
        yield finding(
            "no-value",
            f"{entry.sheet}!{entry.cell}: {what} tertulis {format_number(entry.value, shown_decimals(entry))}, "
            f"tetapi tidak dapat dihitung ulang ({explained}): ada isian yang kosong, bukan angka, atau pembagi nol.",
            stated=float(entry.value),
            cause=f"no-value|{entry.sheet}|{table}|{field}|{_shape_of(explained)}",
            group_message=(
                f"{{count}} angka di {entry.sheet} ({{cells}}) tertulis, tetapi tidak dapat dihitung ulang "
                f"({_shape_of(explained).replace('#', '…')}): ada isian yang kosong, bukan angka, atau pembagi nol."
            ),
            **where.fields(),
        )
        return
    if float(entry.value) == expected and (callable(printed) or not printed):  # the usual case
        return  # (a lazily given ``printed`` is looked at only for a figure off its ground)
    alternatives = printed() if callable(printed) else printed
    judgement = judge(entry.raw, entry.value, expected, alternatives, fraction_allowed=fraction_allowed)
    item = judged_finding(
        judgement, where, code=code, what=what, explain=explain, candidates=candidates, unit=unit
    )
    if item is None:
        return
    if severity is not None and item.severity == "error":
        item = replace(item, severity=severity)
    elif severity is not None and item.fallback is not None:
        item = replace(item, fallback=replace(item.fallback, severity=severity))
    yield item


def _shape_of(text: str) -> str:
    """An explanation with its numbers taken out: what several lines' explanations share."""
    return re.sub(r"\d[\d.,]*", lambda match: match.group() if match.group() == "100" else "#", text)


def _text(explain: str | Callable[[], str]) -> str:
    """An explanation, built only when a finding needs it (it formats several numbers)."""
    return explain() if callable(explain) else explain


def _value(expr: Expr | None) -> float | None:
    if expr is None:
        return None
    value = guarded_value(expr)
    return float(value) if is_number(value) else None


def _rp(value: float | None) -> str:
    return "Rp " + format_number(value, 0) if value is not None else "-"


# ---------------------------------------------------------------------------
# Budget
# ---------------------------------------------------------------------------


def _lines_stating(
    sub: Submission,
    comp: Computation,
    field_id: str,
    expected: list[Any] | None = None,
    fraction_allowed: bool = False,
    also: set[int] | frozenset[int] = frozenset(),
) -> Iterable[BudgetResult]:
    """The budget lines (children before their parent) whose ``field_id`` cell holds a number that may
    be wrong: it disagrees with ``expected`` (one value per line position), or there is no ``expected``,
    or the line's position is in ``also`` (a line beside a wrong typed figure: see :class:`TypedBudget`).

    A stated figure that agrees with its recomputed value gives no finding (see :func:`agrees`), so
    most lines of a large budget are passed over here, one column at a time, without building
    anything for them.
    """
    budget = comp.budget
    figures = budget.figures
    data = sub.tables.get("anggaran")
    if figures is None or data is None or field_id not in data.data:
        return
    column = data.data[field_id]
    stated, raws = column.values, column.raws
    # most lines state nothing, or exactly the recomputed figure (a bool or text is no stated figure)
    lines = [
        (position, index)
        for position, index in zip(budget.order, budget.record_indexes, strict=True)
        if stated[index] is not None
        and (expected is None or stated[index] != expected[position] or position in also)
    ]
    for position, index in lines:
        value = stated[index]
        if (
            expected is not None
            and position not in also
            and agrees(raws[index], value, expected[position], fraction_allowed)
        ):
            continue
        if is_number(value):
            yield BudgetResult(figures, position)


class TypedBudget:
    """The typed pagu / realisasi of every budget line beside its ground value (SPEC 7, root cause).

    ``used[field][position]``: the figure a person computing from the table *as printed* uses (the
    typed amount of a parent line, else the line's ground value); ``off[field][position]``:
    ``Sheet!A1`` of a typed parent amount that differs from the Σ of its lines (a root, or itself
    the consequence of a wrong row below it).
    """

    def __init__(self, sub: Submission, comp: Computation):
        figures = comp.budget.figures
        self.figures = figures
        self.used: dict[str, list[Any]] = {}
        self.off: dict[str, dict[int, str]] = {}
        data = sub.tables.get("anggaran")
        for field_id in ("pagu", "realisasi"):
            ground = getattr(figures, field_id).values if figures is not None else []
            used, off = list(ground), {}
            if figures is not None and data is not None and field_id in data.data:
                column = data.data[field_id]
                for position, line in enumerate(figures.lines):
                    if not figures.rolled_up[position]:
                        continue
                    index = line.record.index
                    value = column.values[index]
                    if is_number(value):
                        used[position] = value
                        if not agrees(column.raws[index], value, ground[position]):
                            off[position] = f"{data.sheet}!{column.letter}{line.record.row}"
            self.used[field_id], self.off[field_id] = used, off

    def parents_of_off(self, field_id: str) -> set[int]:
        """Positions of the lines one of whose children has an ``off`` typed amount."""
        figures = self.figures
        out = set()
        for position in self.off[field_id]:
            parent = figures.lines[position].parent
            if parent is not None and parent.record.row in figures.position:
                out.add(figures.position[parent.record.row])
        return out

    def sum_printed(self, field_id: str, positions: Iterable[int], name: str) -> list[Printed]:
        """Σ of ``positions`` as typed, when one of them is off."""
        positions = list(positions)
        roots = tuple(self.off[field_id][p] for p in positions if p in self.off[field_id])
        if not roots:
            return []
        values = [self.used[field_id][p] for p in positions]
        total = math.fsum(v for v in values if is_number(v))
        return [Printed(total, roots, f"{name} {', '.join(roots)}")]

    def row_printed(self, position: int, how: Callable[[float, float], float | None]) -> list[Printed]:
        """A line's own serapan / selisih from its typed pagu and realisasi, when one of them is off."""
        roots = tuple(
            self.off[field_id][position]
            for field_id in ("pagu", "realisasi")
            if position in self.off[field_id]
        )
        pagu, realisasi = self.used["pagu"][position], self.used["realisasi"][position]
        if not roots or not is_number(pagu) or not is_number(realisasi):
            return []
        value = how(float(pagu), float(realisasi))
        if value is None:
            return []
        return [Printed(value, roots, f"pagu/realisasi baris ini yang tertulis ({', '.join(roots)})")]

    def off_rows(self) -> set[int]:
        return set(self.off["pagu"]) | set(self.off["realisasi"])


_TYPED: dict[int, tuple[Computation, TypedBudget]] = {}


def typed_budget(sub: Submission, comp: Computation) -> TypedBudget:
    """The :class:`TypedBudget` of a computation, built once (the last few are kept)."""
    found = _TYPED.get(id(comp))
    if found is not None and found[0] is comp:
        return found[1]
    if len(_TYPED) > 8:
        _TYPED.clear()
    typed = TypedBudget(sub, comp)
    _TYPED[id(comp)] = (comp, typed)
    return typed


def _serapan_of(pagu: float, realisasi: float) -> float | None:
    return realisasi / pagu * 100 if pagu else None


def _selisih_of(pagu: float, realisasi: float) -> float | None:
    return pagu - realisasi


@check("budget-sums")
def budget_sums(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """A typed program/kegiatan pagu or realisasi must equal the sum of its lines."""
    figures = comp.budget.figures
    if figures is None:
        return
    typed = typed_budget(sub, comp)
    wrong = {
        field_id: {
            result.position
            for result in _lines_stating(
                sub, comp, field_id, getattr(figures, field_id).values, also=typed.parents_of_off(field_id)
            )
        }
        for field_id in ("pagu", "realisasi")
    }
    for position in comp.budget.order:
        if (
            not (position in wrong["pagu"] or position in wrong["realisasi"])
            or not figures.rolled_up[position]
        ):
            continue
        result = BudgetResult(figures, position)
        line, record = result.line, result.line.record
        for field_id, label in (("pagu", "pagu"), ("realisasi", "realisasi")):
            stated = record.stated(field_id)
            if stated is None or result.position not in wrong[field_id]:
                continue
            expr = getattr(result, field_id)
            children = [c for c in line.children if _line_amount(comp, c, field_id) is not None]
            if not children:
                continue
            yield from compare_entry(
                stated,
                expr,
                code="sum-mismatch",
                what=f"{label} {line.label}",
                record=record,
                table="anggaran",
                field=field_id,
                explain=f"jumlah {len(children)} rincian di bawahnya",
                candidates=lambda e=expr, c=children, f=field_id: _left_out_or_twice(comp, e, c, f),
                unit="Rp",
                printed=typed.sum_printed(
                    field_id,
                    [
                        figures.position[c.record.row]
                        for c in line.children
                        if c.record.row in figures.position
                    ],
                    f"{label} rincian yang tertulis di",
                ),
            )


def _left_out_or_twice(
    comp: Computation, expr: Expr, children: list[BudgetLine], field_id: str
) -> list[tuple[str, float | None]]:
    """A parent's sum without each child, and with each child counted twice."""
    expected = _value(expr)
    if expected is None:
        return []
    candidates: list[tuple[str, float | None]] = []
    for child in children:
        amount = _line_amount(comp, child, field_id)
        candidates.append(
            (f"Sama dengan jumlah tanpa {child.label} (baris itu tidak ikut dijumlah).", expected - amount)
        )
        candidates.append((f"Sama dengan jumlah bila {child.label} dihitung dua kali.", expected + amount))
    return candidates


def _line_amount(comp: Computation, line: BudgetLine, field_id: str) -> float | None:
    result = comp.budget.get(line.record.row)
    return _value(getattr(result, field_id)) if result else None


@check("budget-ratios")
def budget_ratios(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated serapan (%) of each budget line = realisasi / pagu × 100."""
    if comp.budget.figures is None:
        return
    typed = typed_budget(sub, comp)
    for result in _lines_stating(
        sub, comp, "persen_dilaporkan", comp.budget.figures.serapan.values, True, also=typed.off_rows()
    ):
        record = result.line.record
        stated = record.stated("persen_dilaporkan")
        yield from compare_entry(
            stated,
            result.serapan,
            code="ratio-mismatch",
            what=f"serapan {result.line.label}",
            record=record,
            table="anggaran",
            field="persen_dilaporkan",
            explain=lambda res=result: (
                f"realisasi {_rp(_value(res.realisasi_ref))} / pagu {_rp(_value(res.pagu_ref))} × 100"
            ),
            candidates=lambda res=result: _serapan_slips(res),
            unit=" %",
            fraction_allowed=True,
            printed=typed.row_printed(result.position, _serapan_of),
        )


def _serapan_slips(result: BudgetResult) -> list[tuple[str, float | None]]:
    """Values a stated serapan takes under the usual slips."""
    record = result.line.record
    pagu, realisasi = _value(result.pagu_ref), _value(result.realisasi_ref)
    candidates = []
    if pagu and realisasi:
        candidates = [
            ("Rasio terbalik: pagu / realisasi × 100.", pagu / realisasi * 100),
            ("Yang ditulis adalah sisa anggaran dalam persen (100 − serapan).", 100 - realisasi / pagu * 100),
        ]
    typed_pagu, typed_real = record.number("pagu"), record.number("realisasi")
    if result.rolled_up and typed_pagu and typed_real is not None:
        candidates.append(
            (
                FROM_ROW_TOTALS,
                typed_real / typed_pagu * 100,
            )
        )
    return candidates


@check("budget-differences")
def budget_differences(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated selisih of each budget line = pagu − realisasi."""
    if comp.budget.figures is None:
        return
    typed = typed_budget(sub, comp)
    for result in _lines_stating(
        sub, comp, "selisih_dilaporkan", comp.budget.figures.selisih.values, also=typed.off_rows()
    ):
        record = result.line.record
        stated = record.stated("selisih_dilaporkan")
        yield from compare_entry(
            stated,
            result.selisih,
            code="difference-mismatch",
            what=f"selisih {result.line.label}",
            record=record,
            table="anggaran",
            field="selisih_dilaporkan",
            explain=lambda res=result: (
                f"pagu {_rp(_value(res.pagu_ref))} − realisasi {_rp(_value(res.realisasi_ref))}"
            ),
            candidates=lambda res=result: _selisih_slips(res),
            unit="Rp",
            printed=typed.row_printed(result.position, _selisih_of),
        )


def _selisih_slips(result: BudgetResult) -> list[tuple[str, float | None]]:
    """Values a stated selisih takes under the usual slips."""
    record = result.line.record
    pagu, realisasi = _value(result.pagu_ref), _value(result.realisasi_ref)
    if pagu is None or realisasi is None:
        return []
    candidates = [("Dihitung terbalik: realisasi − pagu.", realisasi - pagu)]
    typed_pagu, typed_real = record.number("pagu"), record.number("realisasi")
    if typed_pagu is not None and typed_real is not None:
        candidates.append(
            (
                FROM_ROW_TOTALS,
                typed_pagu - typed_real,
            )
        )
    return candidates


@check("budget-capaian")
def budget_capaian(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated capaian of a program/kegiatan indicator = realisasi kinerja / target × 100."""
    figures = comp.budget.figures
    if figures is None:
        return
    expected = [figures.capaian_value(position) for position in range(len(figures.lines))]
    lines = [
        (result.line, result.capaian)
        for result in _lines_stating(sub, comp, "capaian_dilaporkan", expected, fraction_allowed=True)
    ]
    # lines outside the budget tree (orphans) still have their capaian in the Capaian Program table
    lines += [
        (line, column.at(index))
        for line, column, index in figures.capaian_rows
        if line.record.row not in figures.position and line.record.stated("capaian_dilaporkan") is not None
    ]
    for line, capaian in lines:
        record = line.record
        stated = record.stated("capaian_dilaporkan")
        target, realisasi = record.number("target"), record.number("realisasi_kinerja")
        yield from compare_entry(
            stated,
            capaian,
            code="ratio-mismatch",
            what=f"capaian kinerja {line.label}",
            record=record,
            table="anggaran",
            field="capaian_dilaporkan",
            explain=lambda t=target, r=realisasi: (
                f"realisasi {format_number(r)} / target {format_number(t)} × 100"
            ),
            candidates=lambda t=target, r=realisasi: _capaian_slips(sub, t, r, False),
            unit=" %",
            fraction_allowed=True,
        )


@check("realisasi-over-pagu")
def realisasi_over_pagu(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Realisasi above pagu is possible only by mistake."""
    figures = comp.budget.figures
    if figures is None:
        return
    pagus, realisasis = figures.pagu.values, figures.realisasi.values
    for position in comp.budget.order:
        pagu, realisasi = pagus[position], realisasis[position]
        if is_number(pagu) and is_number(realisasi) and pagu >= 0 and realisasi > pagu:
            pagu, realisasi = float(pagu), float(realisasi)
            result = BudgetResult(figures, position)
            record = result.line.record
            entry = record.entry("realisasi")
            yield finding(
                "realisasi-over-pagu",
                f"{record.sheet}!{entry.cell if entry else ''}: realisasi {result.line.label} {_rp(realisasi)} "
                f"melebihi pagu {_rp(pagu)}.",
                sheet=record.sheet,
                cell=entry.cell if entry else None,
                table="anggaran",
                row_key=record.key,
                field="realisasi",
                stated=realisasi,
                expected=pagu,
                difference=realisasi - pagu,
            )


# ---------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------


def _capaian_slips(
    sub: Submission,
    target: float | None,
    realisasi: float | None,
    negative: bool,
    record: Record | None = None,
) -> list[tuple[str, float | None]]:
    """Values a stated capaian takes under the usual slips."""
    if target is None or realisasi is None:
        return []
    rules = sub.rules
    uncapped_expr = q.achievement(Num(target), Num(realisasi), negative, rules)
    uncapped = _value(uncapped_expr)
    slips: list[tuple[str, float | None]] = []
    if rules.cap is not None and uncapped is not None and uncapped > rules.cap:
        slips.append(
            (f"Nilai tanpa batas atas; aturan kabupaten membatasi capaian {rules.cap:g}%.", uncapped)
        )
    elif rules.cap is None and uncapped is not None and uncapped > 100:
        slips.append(("Dibatasi 100%, padahal aturan kabupaten tidak membatasi capaian.", 100.0))
    inverted = (
        target / realisasi
        if not negative and realisasi
        else realisasi / target
        if negative and target
        else None
    )
    if inverted is not None:
        slips.append(
            (
                "Rasio terbalik: target / realisasi × 100."
                if not negative
                else "Rasio terbalik: realisasi / target × 100.",
                inverted * 100,
            )
        )
    slips.append(("Yang ditulis adalah realisasi, bukan capaian.", realisasi))
    slips.append(("Yang ditulis adalah selisih realisasi − target, bukan rasio.", realisasi - target))
    if record is not None:
        for field_id, label in (
            ("realisasi_lalu_1", "realisasi tahun lalu"),
            ("target", "target"),
            ("target_renstra_akhir", "target akhir Renstra"),
        ):
            slips.append((f"Sama dengan {label} (kolom/tahun tetangga).", record.number(field_id)))
    return slips


@check("indikator-capaian")
def indikator_capaian(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated capaian of each indicator = the rules' capaian of realisasi against target."""
    for result in comp.indikator.values():
        record = result.record
        negative = record.get("polaritas") == "Negatif"
        target, realisasi = record.number("target"), record.number("realisasi")
        formula = (
            "target / realisasi × 100"
            if negative and sub.rules.negative_formula == "T/R"
            else ("(2 × target − realisasi) / target × 100" if negative else "realisasi / target × 100")
        )
        yield from compare_entry(
            record.entry("capaian_dilaporkan"),
            result.capaian,
            code="ratio-mismatch",
            what=f"capaian indikator {record.key or record.row}",
            record=record,
            table="indikator",
            field="capaian_dilaporkan",
            explain=lambda f=formula, t=target, r=realisasi: (
                f"{f}; realisasi {format_number(r)}, target {format_number(t)}"
            ),
            candidates=lambda t=target, r=realisasi, n=negative, rec=record: _capaian_slips(
                sub, t, r, n, rec
            ),
            unit=" %",
            fraction_allowed=True,
        )


@check("indikator-kemajuan")
def indikator_kemajuan(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated tingkat kemajuan = realisasi / target akhir Renstra × 100."""
    for result in comp.indikator.values():
        record = result.record
        negative = record.get("polaritas") == "Negatif"
        target, realisasi = record.number("target_renstra_akhir"), record.number("realisasi")
        yield from compare_entry(
            record.entry("kemajuan_dilaporkan"),
            result.kemajuan,
            code="ratio-mismatch",
            what=f"tingkat kemajuan indikator {record.key or record.row}",
            record=record,
            table="indikator",
            field="kemajuan_dilaporkan",
            explain=lambda t=target, r=realisasi: (
                f"realisasi {format_number(r)} / target akhir Renstra {format_number(t)} × 100"
            ),
            candidates=lambda t=target, r=realisasi, n=negative: _capaian_slips(sub, t, r, n),
            unit=" %",
            fraction_allowed=True,
        )


@check("indikator-efisiensi")
def indikator_efisiensi(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated efisiensi = the rules' efisiensi of capaian and serapan of the indicator's budget."""
    for result in comp.indikator.values():
        record = result.record
        entry = record.entry("efisiensi_dilaporkan")
        if entry is None or not entry.is_number:
            continue
        if result.efisiensi is None:
            yield finding(
                "no-value",
                f"{entry.sheet}!{entry.cell}: efisiensi indikator {record.key} tertulis, tetapi tidak dapat "
                "dihitung: tidak ada baris Anggaran yang menautkan kode indikator ini.",
                sheet=entry.sheet,
                cell=entry.cell,
                table="indikator",
                row_key=record.key,
                field="efisiensi_dilaporkan",
                stated=entry.value,
            )
            continue
        capaian, serapan = _value(result.capaian), _value(result.serapan)
        candidates = []
        if capaian is not None and serapan is not None:
            if sub.rules.efisiensi_formula == "capaian - serapan":
                candidates = [
                    ("Dihitung sebagai 100 − serapan (aturan lain).", 100 - serapan),
                    ("Dihitung terbalik: serapan − capaian.", serapan - capaian),
                    ("Yang ditulis adalah serapan anggaran.", serapan),
                ]
            else:
                candidates = [
                    ("Dihitung sebagai capaian − serapan (aturan lain).", capaian - serapan),
                    ("Yang ditulis adalah serapan anggaran.", serapan),
                ]
        yield from compare_entry(
            entry,
            result.efisiensi,
            printed=lambda rec=record, c=capaian, sr=serapan: _efisiensi_printed(sub, comp, rec, c, sr),
            code="difference-mismatch",
            what=f"efisiensi indikator {record.key}",
            record=record,
            table="indikator",
            field="efisiensi_dilaporkan",
            explain=f"{sub.rules.efisiensi_formula}; capaian {format_number(capaian)}, serapan {format_number(serapan)}",
            candidates=candidates,
            unit="",
        )


def _efisiensi_printed(
    sub: Submission, comp: Computation, record: Record, capaian: float | None, serapan: float | None
) -> list[Printed]:
    """An indicator's efisiensi from its typed capaian and the serapan of its budget lines as typed
    (their typed pagu / realisasi): what staff computing from their own figures write."""
    if capaian is None or serapan is None or comp.budget.figures is None:
        return []
    typed = typed_budget(sub, comp)
    positions = _linked_positions(sub, comp, record.key)
    roots: list[str] = []
    for field_id in ("pagu", "realisasi"):
        roots += [typed.off[field_id][p] for p in positions if p in typed.off[field_id]]
    capaian_root = _off(record.stated("capaian_dilaporkan"), capaian, True)
    used_capaian = capaian
    if capaian_root:
        roots.append(capaian_root)
        used_capaian = _as_percent(record.stated("capaian_dilaporkan"), capaian)

    def efisiensi(used_serapan: float) -> float:
        if sub.rules.efisiensi_formula == "capaian - serapan":
            return used_capaian - used_serapan
        return 100 - used_serapan

    out = []
    if roots:
        pagu = math.fsum(typed.used["pagu"][p] for p in positions if is_number(typed.used["pagu"][p]))
        realisasi = math.fsum(
            typed.used["realisasi"][p] for p in positions if is_number(typed.used["realisasi"][p])
        )
        used_serapan = realisasi / pagu * 100 if pagu else serapan
        out.append(
            Printed(
                efisiensi(used_serapan), tuple(roots), f"capaian/serapan yang tertulis ({', '.join(roots)})"
            )
        )
    # the serapan of this indicator printed in the report's efisiensi table (typed as a citation)
    for cited in sub.records("kutipan"):
        if cited.get("besaran") != "serapan" or str(cited.get("kode") or "").strip() != str(record.key):
            continue
        root = _off(cited.stated("nilai"), serapan, True)
        if root:
            value = efisiensi(_as_percent(cited.stated("nilai"), serapan))
            out.append(Printed(value, (*roots, root), f"serapan yang tertulis di {root}"))
    return out


def _linked_positions(sub: Submission, comp: Computation, key: Any) -> list[int]:
    """Positions of the budget lines an indicator's budget is the Σ of (the highest linked ones)."""
    figures = comp.budget.figures
    positions = []
    for line in sub.budget_lines:
        if line.record.get("indikator_kode") != key or line.record.row not in figures.position:
            continue
        ancestor = line.parent
        while ancestor is not None and not ancestor.record.get("indikator_kode"):
            ancestor = ancestor.parent
        if ancestor is None:
            positions.append(figures.position[line.record.row])
    return positions


@check("capaian-plausible")
def capaian_plausible(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Capaian above 150% or below 0 usually means a wrong target or realisasi."""
    for result in comp.indikator.values():
        record = result.record
        target, realisasi = record.number("target"), record.number("realisasi")
        if target is None or realisasi is None:
            continue
        # judged before any cap or floor: a capped 100 may hide a 245
        value = _value(
            q.achievement(Num(target), Num(realisasi), record.get("polaritas") == "Negatif", sub.rules)
        )
        if value is None or 0 <= value <= 150:
            continue
        entry = record.entry("realisasi") or record.entry("target")
        yield finding(
            "capaian-implausible",
            f"{entry.sheet}!{entry.cell}: capaian indikator {record.key} menjadi {format_number(value)} %. "
            "Periksa target dan realisasinya (satuan sama? salah ketik?).",
            sheet=entry.sheet,
            cell=entry.cell,
            table="indikator",
            row_key=record.key,
            field="realisasi",
            stated=record.number("realisasi"),
            expected=None,
        )


@check("realisasi-jump")
def realisasi_jump(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Realisasi far (more than half) from last year's deserves a second look."""
    for record in sub.records("indikator"):
        now, last = record.number("realisasi"), record.number("realisasi_lalu_1")
        if now is None or not last or abs(now - last) <= 0.5 * abs(last):
            continue
        entry = record.entry("realisasi")
        yield finding(
            "realisasi-jump",
            f"{entry.sheet}!{entry.cell}: realisasi indikator {record.key} {format_number(now)} jauh dari tahun lalu "
            f"({format_number(last)}). Pastikan bukan salah ketik atau salah kolom.",
            sheet=entry.sheet,
            cell=entry.cell,
            table="indikator",
            row_key=record.key,
            field="realisasi",
            stated=now,
            expected=last,
            difference=now - last,
        )


# ---------------------------------------------------------------------------
# Totals, PK, allocation, population
# ---------------------------------------------------------------------------


@check("ringkasan-totals")
def ringkasan_totals(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """The narrative totals must equal the tables' totals."""
    totals = comp.totals
    pagu, realisasi = _value(totals.get("total_pagu")), _value(totals.get("total_realisasi"))
    specs = [
        (
            "total_pagu_dilaporkan",
            "total-mismatch",
            "total pagu",
            totals.get("total_pagu"),
            "Rp",
            "jumlah pagu semua program di lembar Anggaran",
            [],
        ),
        (
            "total_realisasi_dilaporkan",
            "total-mismatch",
            "total realisasi",
            totals.get("total_realisasi"),
            "Rp",
            "jumlah realisasi semua program di lembar Anggaran",
            [],
        ),
        (
            "sisa_anggaran_dilaporkan",
            "difference-mismatch",
            "sisa anggaran",
            totals.get("sisa_anggaran"),
            "Rp",
            f"total pagu {_rp(pagu)} − total realisasi {_rp(realisasi)}",
            _sisa_slips(sub, totals),
        ),
        (
            "persen_serapan_dilaporkan",
            "ratio-mismatch",
            "persentase serapan",
            totals.get("persen_serapan"),
            " %",
            f"total realisasi {_rp(realisasi)} / total pagu {_rp(pagu)} × 100",
            [
                (
                    "Rasio terbalik: pagu / realisasi × 100.",
                    pagu / realisasi * 100 if pagu and realisasi else None,
                ),
                (
                    FROM_STATED_TOTALS,
                    _stated_ratio(sub),
                ),
            ],
        ),
        (
            "rata_capaian_dilaporkan",
            "ratio-mismatch",
            "rata-rata capaian",
            totals.get("rata_capaian:Sasaran Strategis"),
            " %",
            "rata-rata capaian indikator Sasaran Strategis",
            [
                ("Sama dengan persentase serapan anggaran.", _value(totals.get("persen_serapan"))),
                *_uncapped_mean(sub, comp),
            ],
        ),
    ]
    pk_totals = {k.split(":", 1)[1]: v for k, v in totals.items() if k.startswith("total_pk:")}
    if pk_totals:
        versi = "Perubahan" if "Perubahan" in pk_totals else next(iter(pk_totals))
        other = [
            (f"Sama dengan total PK {name}.", _value(expr))
            for name, expr in pk_totals.items()
            if name != versi
        ]
        specs.append(
            (
                "total_pk_dilaporkan",
                "total-mismatch",
                f"total anggaran PK ({versi})",
                pk_totals[versi],
                "Rp",
                f"jumlah anggaran PK {versi} di lembar PK Anggaran",
                other,
            )
        )
    printed = _ringkasan_printed(sub, comp)
    for field_id, code, what, expr, unit, explain, candidates in specs:
        candidates = list(candidates)
        if unit == "Rp" and pagu is not None:
            candidates.append(("Sama dengan total pagu.", pagu))
        if unit == "Rp" and realisasi is not None:
            candidates.append(("Sama dengan total realisasi.", realisasi))
        yield from compare_entry(
            sub.cells.get(field_id),
            expr,
            code=code,
            what=what,
            record=None,
            table="ringkasan",
            field=field_id,
            explain=explain,
            candidates=[c for c in candidates if c[0] != f"Sama dengan {what}."],
            unit=unit,
            fraction_allowed=unit == " %",
            printed=printed.get(field_id, ()),
        )


def _off(entry: Entry | None, ground: float | None, fraction_allowed: bool = False) -> str | None:
    """``Sheet!A1`` of a stated figure that differs from its ground value, else None."""
    if entry is None or not entry.is_number or ground is None:
        return None
    if agrees(entry.raw, entry.value, ground, fraction_allowed):
        return None
    return f"{entry.sheet}!{entry.cell}"


def _as_percent(entry: Entry, ground: float) -> float:
    """A stated percentage as compared (a stored fraction 0,9871 is 98,71)."""
    return as_compared(entry.raw, entry.value, ground, True)[0]


def _ringkasan_printed(sub: Submission, comp: Computation) -> dict[str, list[Printed]]:
    """The Ringkasan figures as computed from the typed figures they come from (SPEC 7):
    totals from the typed program rows; serapan and sisa from the typed Ringkasan totals or
    from the typed program rows; rata-rata capaian from the typed capaian of the indicators."""
    out: dict[str, list[Printed]] = {}
    figures = comp.budget.figures
    if figures is not None:
        typed = typed_budget(sub, comp)
        programs = [figures.position[p.record.row] for p in sub.programs if p.record.row in figures.position]
        sums = {
            field_id: typed.sum_printed(field_id, programs, f"{field_id} program yang tertulis di")
            for field_id in ("pagu", "realisasi")
        }
        out["total_pagu_dilaporkan"] = sums["pagu"]
        out["total_realisasi_dilaporkan"] = sums["realisasi"]
        used = {
            field_id: math.fsum(
                typed.used[field_id][p] for p in programs if is_number(typed.used[field_id][p])
            )
            for field_id in ("pagu", "realisasi")
        }
        roots = tuple(root for field_id in ("pagu", "realisasi") for p in sums[field_id] for root in p.roots)
        pagu, realisasi = used["pagu"], used["realisasi"]
        if roots:
            what = f"pagu/realisasi program yang tertulis ({', '.join(roots)})"
            out["sisa_anggaran_dilaporkan"] = [Printed(pagu - realisasi, roots, what)]
            if pagu:
                out["persen_serapan_dilaporkan"] = [Printed(realisasi / pagu * 100, roots, what)]
    totals = comp.totals
    ground = {
        "total_pagu_dilaporkan": _value(totals.get("total_pagu")),
        "total_realisasi_dilaporkan": _value(totals.get("total_realisasi")),
    }
    stated_pagu, stated_real = (
        sub.cells.get("total_pagu_dilaporkan"),
        sub.cells.get("total_realisasi_dilaporkan"),
    )
    roots = tuple(
        root
        for root in (
            _off(stated_pagu, ground["total_pagu_dilaporkan"]),
            _off(stated_real, ground["total_realisasi_dilaporkan"]),
        )
        if root
    )
    if (
        roots
        and stated_pagu is not None
        and stated_real is not None
        and stated_pagu.is_number
        and stated_real.is_number
    ):
        pagu, realisasi = float(stated_pagu.value), float(stated_real.value)
        what = f"total pagu/realisasi Ringkasan yang tertulis ({', '.join(roots)})"
        out.setdefault("sisa_anggaran_dilaporkan", []).append(Printed(pagu - realisasi, roots, what))
        if pagu:
            out.setdefault("persen_serapan_dilaporkan", []).append(
                Printed(realisasi / pagu * 100, roots, what)
            )
    values, roots_list = [], []
    for result in comp.indikator.values():
        ground_capaian = _value(result.capaian)
        if result.jenis != "Sasaran Strategis" or ground_capaian is None:
            continue
        entry = result.record.stated("capaian_dilaporkan")
        root = _off(entry, ground_capaian, True)
        if root and entry is not None:
            values.append(_as_percent(entry, ground_capaian))
            roots_list.append(root)
        else:
            values.append(ground_capaian)
    if roots_list and values:
        out["rata_capaian_dilaporkan"] = [
            Printed(
                math.fsum(values) / len(values),
                tuple(roots_list),
                f"capaian indikator yang tertulis ({', '.join(roots_list)})",
            )
        ]
    return out


def _stated_ratio(sub: Submission) -> float | None:
    """Serapan computed from the totals as stated in the Ringkasan sheet."""
    pagu, real = sub.cells.get("total_pagu_dilaporkan"), sub.cells.get("total_realisasi_dilaporkan")
    if pagu is not None and real is not None and pagu.is_number and real.is_number and pagu.value:
        return real.value / pagu.value * 100
    return None


def _uncapped_mean(sub: Submission, comp: Computation) -> list[tuple[str, float | None]]:
    """The mean capaian of the Sasaran Strategis indicators without the rules' cap (a usual slip)."""
    if sub.rules.cap is None:
        return []
    values = []
    for result in comp.indikator.values():
        record = result.record
        target, realisasi = record.number("target"), record.number("realisasi")
        if result.jenis != "Sasaran Strategis" or target is None or realisasi is None:
            continue
        raw = _value(
            q.achievement(Num(target), Num(realisasi), record.get("polaritas") == "Negatif", sub.rules)
        )
        if raw is not None:
            values.append(raw)
    if not values:
        return []
    return [
        (
            f"Rata-rata dari capaian tanpa batas atas; aturan kabupaten membatasi capaian {sub.rules.cap:g}%.",
            math.fsum(values) / len(values),
        )
    ]


def _sisa_slips(sub: Submission, totals: dict[str, Expr]) -> list[tuple[str, float | None]]:
    """Ways a stated sisa anggaran is usually computed from the wrong figures."""
    stated_pagu = sub.cells.get("total_pagu_dilaporkan")
    stated_real = sub.cells.get("total_realisasi_dilaporkan")
    slips: list[tuple[str, float | None]] = []
    real = stated_real.value if stated_real is not None and stated_real.is_number else None
    if real is not None:
        if stated_pagu is not None and stated_pagu.is_number:
            slips.append(
                (
                    FROM_STATED_TOTALS,
                    stated_pagu.value - real,
                )
            )
        for key, expr in totals.items():
            if key.startswith("total_pk:") and _value(expr) is not None:
                slips.append(
                    (
                        f"Dihitung dari total anggaran PK {key.split(':', 1)[1]}, bukan dari total pagu DPA.",
                        _value(expr) - real,
                    )
                )
    return slips


@check("pk-vs-dpa")
def pk_vs_dpa(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """A program's PK anggaran must equal its DPA pagu (same version)."""
    records = [(record, match_program(record, sub.programs)) for record in sub.records("pk_anggaran")]
    revised = {id(program) for record, program in records if program and record.get("versi") == "Perubahan"}
    typed = typed_budget(sub, comp)
    for record, program in records:
        if program is None:
            field_id = "program_kode" if record.get("program_kode") else "uraian"
            entry = record.entry(field_id)
            if entry is not None and record.number("anggaran") is not None:
                yield finding(
                    "unknown-reference",
                    f"{entry.sheet}!{entry.cell}: program PK \u201c{record.get('program_kode') or record.get('uraian')}\u201d "
                    "tidak dapat dicocokkan dengan program mana pun di lembar Anggaran (isi Kode Program), "
                    "jadi anggaran PK-nya tidak dapat dibandingkan dengan pagu DPA.",
                    severity="warning",
                    sheet=entry.sheet,
                    cell=entry.cell,
                    table="pk_anggaran",
                    row_key=record.key,
                    field=field_id,
                    stated=str(entry.value),
                )
            continue
        if record.get("versi") != "Perubahan" and id(program) in revised:
            continue  # the DPA pagu is the revised budget: compare it with PK perubahan only
        result = comp.budget.get(program.record.row)
        if result is None:
            continue
        versi = record.get("versi") or "Murni"
        dpa = _value(result.pagu_ref)
        position = comp.budget.figures.position[program.record.row]
        root = typed.off["pagu"].get(position)
        printed = (
            [Printed(float(typed.used["pagu"][position]), (root,), f"pagu program di {root} yang tertulis")]
            if root
            else []
        )
        yield from compare_entry(
            record.entry("anggaran"),
            result.pagu_ref,
            code="pk-budget-mismatch",
            what=f"anggaran PK {versi} program {program.label}",
            record=record,
            table="pk_anggaran",
            field="anggaran",
            explain=f"pagu DPA program ini {_rp(dpa)} di lembar Anggaran",
            candidates=[],
            unit="Rp",
            printed=printed,
        )


@check("allocation-shares")
def allocation_shares(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Budget linked to indicators must not overlap, and shares cannot pass 100%."""
    for line in sub.budget_lines:
        if not line.record.get("indikator_kode"):
            continue
        ancestor = line.parent
        while ancestor is not None and not ancestor.record.get("indikator_kode"):
            ancestor = ancestor.parent
        if ancestor is not None:
            entry = line.record.entry("indikator_kode")
            yield finding(
                "overlapping-allocation",
                f"{entry.sheet}!{entry.cell}: {line.label} ditautkan ke indikator {line.record.get('indikator_kode')}, "
                f"padahal induknya {ancestor.label} juga ditautkan (ke {ancestor.record.get('indikator_kode')}). "
                "Anggaran yang sama terhitung dua kali; yang dihitung hanya induknya.",
                sheet=entry.sheet,
                cell=entry.cell,
                table="anggaran",
                row_key=line.record.key,
                field="indikator_kode",
                stated=line.record.get("indikator_kode"),
                expected=ancestor.record.get("indikator_kode"),
                cause=f"overlapping-allocation|{entry.sheet}",
                group_message=(
                    f"{{count}} baris di {entry.sheet} ({{cells}}) ditautkan ke indikator, padahal induknya juga "
                    "ditautkan: anggaran yang sama terhitung dua kali; yang dihitung hanya induknya. Isi Kode "
                    "Indikator Didukung pada satu tingkat saja (biasanya program), bukan di setiap tingkat."
                ),
            )
    share = _value(comp.totals.get("jumlah_porsi"))
    if share is not None and share > 100 + 1e-6:
        yield finding(
            "share-sum",
            f"Jumlah porsi anggaran semua indikator {format_number(share)} %, lebih dari 100 %.",
            sheet="Alokasi Anggaran",
            table="alokasi",
            stated=share,
            expected=100.0,
            difference=share - 100,
        )


@check("penduduk")
def penduduk(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated population total = L + P; ratio = L / P × 100."""
    for record in sub.records("penduduk"):
        expected = comp.penduduk.get(record.row)
        if not expected:
            continue
        laki, perempuan = record.number("laki_laki"), record.number("perempuan")
        yield from compare_entry(
            record.entry("total_dilaporkan"),
            expected["total"],
            code="sum-mismatch",
            what=f"jumlah penduduk {record.get('tahun')}",
            record=record,
            table="penduduk",
            field="total_dilaporkan",
            explain=f"laki-laki {format_number(laki, 0)} + perempuan {format_number(perempuan, 0)}",
        )
        yield from compare_entry(
            record.entry("rasio_dilaporkan"),
            expected["rasio"],
            code="ratio-mismatch",
            what=f"rasio jenis kelamin {record.get('tahun')}",
            record=record,
            table="penduduk",
            field="rasio_dilaporkan",
            explain="laki-laki / perempuan × 100",
            candidates=[
                (
                    "Rasio terbalik: perempuan / laki-laki × 100.",
                    perempuan / laki * 100 if laki and perempuan else None,
                )
            ],
        )


# ---------------------------------------------------------------------------
# Section 11: program analysis, Renstra matrix, citations, labels
# ---------------------------------------------------------------------------


@check("program-analysis")
def program_analysis(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Stated kemajuan and efisiensi of program rows = recomputed from their own fields."""
    stating = {result.position for result in _lines_stating(sub, comp, "kemajuan_dilaporkan")}
    stating |= {result.position for result in _lines_stating(sub, comp, "efisiensi_dilaporkan")}
    for position in comp.budget.order:
        if position not in stating:
            continue
        result = BudgetResult(comp.budget.figures, position)
        record = result.line.record
        kemajuan, efisiensi = record.stated("kemajuan_dilaporkan"), record.stated("efisiensi_dilaporkan")
        yield from compare_entry(
            kemajuan,
            result.kemajuan,
            code="ratio-mismatch",
            what=f"tingkat kemajuan {result.line.label}",
            record=record,
            table="anggaran",
            field="kemajuan_dilaporkan",
            explain=lambda rec=record: (
                f"realisasi kinerja {format_number(rec.number('realisasi_kinerja'))} / target akhir Renstra "
                f"{format_number(rec.number('target_renstra_akhir'))} × 100"
            ),
            candidates=lambda rec=record: _capaian_slips(
                sub, rec.number("target_renstra_akhir"), rec.number("realisasi_kinerja"), False
            ),
            unit=" %",
            fraction_allowed=True,
        )
        yield from compare_entry(
            efisiensi,
            result.efisiensi,
            code="difference-mismatch",
            what=f"efisiensi {result.line.label}",
            record=record,
            table="anggaran",
            field="efisiensi_dilaporkan",
            explain=lambda res=result: (
                f"{sub.rules.efisiensi_formula}; capaian {format_number(_value(res.capaian_ref))}, "
                f"serapan {format_number(_value(res.serapan_ref))}"
            ),
            unit="",
        )


RENSTRA_WHAT = {
    # what: (field, code, severity override, Indonesian name of the figure, what it must equal, per year?)
    "pagu": (
        "pagu",
        "sum-mismatch",
        None,
        "pagu Renstra",
        "jumlah pagu rinciannya pada tahun yang sama",
        True,
    ),
    "pagu_akhir": (
        "pagu_akhir_dilaporkan",
        "sum-mismatch",
        None,
        "pagu total periode Renstra",
        "jumlah pagu semua tahun periode",
        False,
    ),
    "target_akhir": (
        "target_akhir_dilaporkan",
        "renstra-mismatch",
        None,
        "target kondisi akhir Renstra",
        "kondisi akhir menurut agregasinya",
        False,
    ),
    "dpa": (
        "pagu",
        "renstra-mismatch",
        "warning",
        "pagu Renja",
        "pagu DPA tahun laporan di lembar Anggaran",
        True,
    ),
    "target_tahun_ini": (
        "target",
        "renstra-mismatch",
        "warning",
        "target Renstra",
        "target indikator tahun laporan di lembar Indikator",
        True,
    ),
    "target_tahun_ini_revisi": (
        "target",
        "renstra-mismatch",
        "info",
        "target rencana perubahan",
        "target indikator tahun laporan di lembar Indikator; usulan atau Renstra perubahan boleh berbeda",
        True,
    ),
    "dpa_revisi": (
        "pagu",
        "renstra-mismatch",
        "info",
        "pagu rencana",
        "pagu DPA akhir tahun laporan di lembar Anggaran; rencana sebelum perubahan anggaran atau usulan "
        "perubahan boleh berbeda",
        True,
    ),
    "pk_murni": (
        "pagu",
        "renstra-mismatch",
        "warning",
        "pagu Renja",
        "anggaran PK Murni program ini di lembar PK Anggaran",
        True,
    ),
    "ulang_pagu": (
        "pagu",
        "renstra-mismatch",
        None,
        "pagu Renstra yang ditulis ulang",
        "pagu kode dan tahun yang sama pada baris pertama dari sumber yang sama",
        True,
    ),
    "ulang_target": (
        "target",
        "renstra-mismatch",
        None,
        "target Renstra yang ditulis ulang",
        "target kode dan tahun yang sama pada baris pertama dari sumber yang sama",
        True,
    ),
    "cetakan_pagu": (
        "pagu",
        "renstra-mismatch",
        "info",
        "pagu menurut sumber lain",
        "pagu kode dan tahun yang sama menurut sumber pertama yang menuliskannya",
        True,
    ),
    "cetakan_target": (
        "target",
        "renstra-mismatch",
        "info",
        "target menurut sumber lain",
        "target kode dan tahun yang sama menurut sumber pertama yang menuliskannya",
        True,
    ),
    "target_renstra_akhir": (
        "target_renstra_akhir",
        "renstra-mismatch",
        "warning",
        "target akhir Renstra",
        "kondisi akhir di lembar Renstra",
        False,
    ),
}


@check("renstra")
def renstra(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Renstra/Renja matrix: yearly roll-ups, period totals, kondisi akhir, year-n targets and pagu."""
    records = sub.records("renstra")
    plan = PlanTree(sub, records, Resolver(sub)) if records else None
    for record in records:
        entry = record.entry("kode")
        if entry is not None and entry.value and plan.find(entry.value) is None:
            yield finding(
                "unknown-reference",
                f"{entry.sheet}!{entry.cell}: \u201c{entry.value}\u201d tidak cocok dengan kode atau uraian mana pun "
                "di lembar Indikator atau Anggaran dan bukan kode rekening bertitik, jadi baris Renstra ini tidak "
                "dapat diperiksa"
                + (
                    ", dan pagu baris di atasnya (beserta induknya) pada tahun itu tidak dijumlah ulang."
                    if record.get("pagu") is not None
                    else "."
                ),
                severity="warning",
                sheet=entry.sheet,
                cell=entry.cell,
                table="renstra",
                row_key=str(entry.value),
                field="kode",
                stated=str(entry.value),
            )
    rows = {("renstra", r.row): r for r in sub.records("renstra")}
    rows |= {("indikator", r.row): r for r in sub.records("indikator")}
    matrix = _RenstraPagu(sub, comp, records, plan)
    for (row, what), expr in comp.renstra.items():
        field_id, code, severity, name, explain, per_year = RENSTRA_WHAT[what]
        table = "indikator" if what == "target_renstra_akhir" else "renstra"
        record = rows.get((table, row))
        if record is None:
            continue
        label = record.get("kode") or record.get("uraian") or f"baris {record.row}"
        tahun = f" tahun {record.get('tahun')}" if per_year and record.get("tahun") else ""
        if table == "renstra" and record.get("sumber"):
            tahun += f" ({record.get('sumber')})"
        yield from compare_entry(
            record.entry(field_id),
            expr,
            code=code,
            what=f"{name} {label}{tahun}",
            record=record,
            table=table,
            field=field_id,
            explain=explain,
            unit="Rp" if "pagu" in field_id else "",
            printed=lambda w=what, r=record: matrix.printed(w, r),
            severity=severity,
        )


class _RenstraPagu:
    """The typed Renstra/Renja pagu per budget line, year and printing beside its ground (Σ of the
    lowest level of the same printing, lines not budgeted this year placed by their kode prefix),
    for the root-cause rule: a program's yearly pagu typed as the Σ of its typed (wrong) kegiatan
    rows follows them; a period total typed as the Σ of its typed years follows them."""

    def __init__(self, sub: Submission, comp: Computation, records: list[Record], plan: Any):
        self.sub, self.comp, self.plan = sub, comp, plan
        self.typed: dict[tuple[int, int, str], Record] = {}
        self.line_of: dict[int, BudgetLine] = {}
        for record in records:
            found = plan.find(record.get("kode")) if plan is not None else None
            year = record.get("tahun")
            if found is None or found[0] != "anggaran" or not is_number(year):
                continue
            self.line_of[record.row] = found[1]
            if record.number("pagu") is not None:
                self.typed.setdefault((id(found[1]), int(year), printing_of(record)), record)
        self.years = sorted({year for _, year, _ in self.typed})
        self._ground: dict[tuple[int, int, str], float | None] = {}

    def _summed(self, line: BudgetLine, year: int, printing: str) -> bool:
        """The line's yearly figure is the Σ of its rows (as in compute), not its own typed pagu."""
        key = (id(line), year, printing)
        if key in self.plan.tainted and key in self.typed:  # an unknown row may belong under it
            return False
        return any(self.ground(c, year, printing) is not None for c in self.plan.children(line))

    def ground(self, line: BudgetLine, year: int, printing: str) -> float | None:
        key = (id(line), year, printing)
        if key not in self._ground:
            self._ground[key] = None  # (no cycle in a tree; guards a malformed one)
            if self._summed(line, year, printing):
                below = [self.ground(c, year, printing) for c in self.plan.children(line)]
                self._ground[key] = math.fsum(v for v in below if v is not None)
            else:
                typed = self.typed.get(key)
                self._ground[key] = typed.number("pagu") if typed is not None else None
        return self._ground[key]

    def used(self, line: BudgetLine, year: int, printing: str) -> float | None:
        typed = self.typed.get((id(line), year, printing))
        return typed.number("pagu") if typed is not None else self.ground(line, year, printing)

    def off(self, line: BudgetLine, year: int, printing: str) -> str | None:
        typed = self.typed.get((id(line), year, printing))
        if typed is None or not self._summed(line, year, printing):
            return None
        ground = self.ground(line, year, printing)
        return _off(typed.stated("pagu"), ground) if ground is not None else None

    def printed(self, what: str, record: Record) -> list[Printed]:
        line = self.line_of.get(record.row)
        year = record.get("tahun")
        printing = printing_of(record)
        if line is None:
            return []
        if what == "pagu" and is_number(year):
            parts = [
                (self.used(c, int(year), printing), self.off(c, int(year), printing))
                for c in self.plan.children(line)
            ]
            name = "pagu rincian yang tertulis di"
        elif what == "pagu_akhir":
            parts = [(self.used(line, y, printing), self.off(line, y, printing)) for y in self.years]
            name = "pagu tahunan yang tertulis di"
        elif what in ("dpa", "dpa_revisi"):
            figures = self.comp.budget.figures
            if figures is None or line.record.row not in figures.position:
                return []
            typed = typed_budget(self.sub, self.comp)
            position = figures.position[line.record.row]
            root = typed.off["pagu"].get(position)
            return (
                [Printed(float(typed.used["pagu"][position]), (root,), f"pagu DPA di {root} yang tertulis")]
                if root
                else []
            )
        else:
            return []
        roots = tuple(root for _, root in parts if root)
        if not roots:
            return []
        return [Printed(math.fsum(v for v, _ in parts if v is not None), roots, f"{name} {', '.join(roots)}")]


#: The main-table fields that print the quantity a citation's ``besaran`` names.
_CITED_FIELDS: dict[str, frozenset[str]] = {
    "pagu": frozenset({"pagu"}),
    "realisasi": frozenset({"realisasi"}),
    "selisih": frozenset({"selisih_dilaporkan"}),
    "serapan": frozenset({"persen_dilaporkan"}),
    "capaian": frozenset({"capaian_dilaporkan"}),
    "kemajuan": frozenset({"kemajuan_dilaporkan"}),
    "efisiensi": frozenset({"efisiensi_dilaporkan"}),
    "total pagu": frozenset({"total_pagu_dilaporkan"}),
    "total realisasi": frozenset({"total_realisasi_dilaporkan"}),
    "total serapan": frozenset({"persen_serapan_dilaporkan"}),
    "total sisa": frozenset({"sisa_anggaran_dilaporkan"}),
    "total PK": frozenset({"total_pk_dilaporkan"}),
    "rata-rata capaian": frozenset({"rata_capaian_dilaporkan"}),
}
_MAIN_TABLES = frozenset({"anggaran", "indikator", "ringkasan"})


def _printed_elsewhere(
    earlier: Sequence[Finding], ground: float | None, fields: frozenset[str]
) -> list[Printed]:
    """The same quantity printed (wrongly) in a main table: every earlier error or consequence on a
    figure of the same kind whose ground value is ``ground`` gives the value a citation copying it has."""
    if ground is None or not fields:
        return []
    out = []
    for item in earlier:
        if (
            item.field in fields
            and item.table in _MAIN_TABLES
            and (item.severity == "error" or item.code == "follows-root")
            and is_number(item.stated)
            and is_number(item.expected)
            and abs(float(item.expected) - ground) <= 1e-6 * max(1.0, abs(ground))
        ):
            out.append(Printed(float(item.stated), (item.location,), f"angka yang sama di {item.location}"))
    return out


#: citations counting indicators by their capaian against 100 % (as compute's CountIf)
_COUNT_AGAINST_TARGET: dict[str, Callable[[float], bool]] = {
    "jumlah indikator di atas target": lambda v: v > 100,
    "jumlah indikator sesuai target": lambda v: v == 100,
    "jumlah indikator di bawah target": lambda v: v < 100,
}


def _typed_capaian(comp: Computation, sasaran: str | None) -> tuple[list[float], tuple[str, ...]]:
    """The capaian of the indicators (of one sasaran) as typed where a typed one is off, else the
    computed one; and the cells of the typed ones that are off."""
    used: list[float] = []
    off: list[str] = []
    for result in comp.indikator.values():
        if sasaran is not None and str(result.record.get("sasaran_kode")) != sasaran:
            continue
        ground = _value(result.capaian_ref)
        if ground is None:
            continue
        entry = result.record.entry("capaian_dilaporkan")
        root = _off(entry, ground, True)
        used.append(_as_percent(entry, ground) if root else ground)
        off += [root] if root else []
    return used, tuple(off)


def _cited_printed(
    sub: Submission, comp: Computation, besaran: str, kode: Any, resolver: Any
) -> list[Printed]:
    """A citation built from several typed figures, as computed from them *as typed* (SPEC 7): a
    sum of budget lines (``a+b``, ``a..c``), a share of the total pagu, a sasaran's capaian (the
    mean of its indicators' typed capaian). Empty when none of those figures is off."""
    figures = comp.budget.figures
    typed = typed_budget(sub, comp) if figures is not None else None

    def money(
        positions: Iterable[int], fields: tuple[str, ...] = ("pagu", "realisasi")
    ) -> tuple[float, float, tuple[str, ...]]:
        positions = list(dict.fromkeys(positions))
        roots = tuple(typed.off[f][p] for f in fields for p in positions if p in typed.off[f])
        pagu, realisasi = (
            math.fsum(float(v) for p in positions if is_number(v := typed.used[field_id][p]))
            for field_id in ("pagu", "realisasi")
        )
        return pagu, realisasi, roots

    def at(lines: Iterable[BudgetLine]) -> list[int]:
        return [figures.position[ln.record.row] for ln in lines if ln.record.row in figures.position]

    value: float | None = None
    roots: tuple[str, ...] = ()
    text = " ".join(str(kode or "").split())
    found = resolver.find(kode) if kode not in (None, "") else None
    if (
        typed is not None
        and is_lines_kode(text)
        and besaran in ("pagu", "alokasi", "realisasi", "selisih", "serapan")
    ):
        fields = {"pagu": ("pagu",), "alokasi": ("pagu",), "realisasi": ("realisasi",)}.get(
            besaran, ("pagu", "realisasi")
        )
        pagu, realisasi, roots = money(at(cited_lines(sub, text, resolver) or []), fields)
        value = {
            "pagu": pagu,
            "alokasi": pagu,
            "realisasi": realisasi,
            "selisih": pagu - realisasi,
            "serapan": realisasi / pagu * 100 if pagu else None,
        }[besaran]
    elif (
        typed is not None
        and besaran == "persen alokasi"
        and found is not None
        and found[0] in ("indikator", "sasaran")
    ):
        keys = (
            [str(found[1].key)]
            if found[0] == "indikator"
            else [
                str(r.key)
                for r in sub.records("indikator")
                if str(r.get("sasaran_kode")) == str(found[1].key)
            ]
        )
        alokasi, _, own = money([p for k in keys for p in _linked_positions(sub, comp, k)], ("pagu",))
        total, _, programs = money(at(sub.programs), ("pagu",))
        roots = tuple(dict.fromkeys(own + programs))
        value = alokasi / total * 100 if total else None
    elif besaran == "capaian" and found is not None and found[0] == "sasaran":
        used, roots = _typed_capaian(comp, str(found[1].key))
        value = math.fsum(used) / len(used) if used else None
    elif besaran in _COUNT_AGAINST_TARGET:
        used, roots = _typed_capaian(comp, None)
        value = sum(1 for v in used if _COUNT_AGAINST_TARGET[besaran](v))
    if value is None or not roots:
        return []
    return [Printed(value, roots, f"angka yang tertulis di {', '.join(roots)}")]


def _geometric_growth_agrees(sub: Submission, comp: Computation, kode: Any, entry: Entry) -> bool:
    """The cited mean growth over a span of years equals the geometric rate ((P_akhir / P_awal)^(1/t) − 1)."""
    span = year_span(kode)
    if span is None or span[1] <= span[0]:
        return False
    totals = {
        str(r.get("tahun")).strip(): _value(comp.penduduk[r.row]["total"])
        for r in sub.records("penduduk")
        if r.row in comp.penduduk
    }
    first, last = totals.get(str(span[0])), totals.get(str(span[1]))
    if not first or first <= 0 or last is None or last < 0:
        return False
    rate = ((last / first) ** (1 / (span[1] - span[0])) - 1) * 100
    return agrees(entry.raw, entry.value, rate, True)


def _dash_citation(record: Record, entry: Entry, comp: Computation) -> Finding | Entry | None:
    """A citation printed as "-" (a not-applicable marker, SPEC 6) whose quantity has a value in the data.

    A count (``jumlah …``) printed "-" is nihil: it is compared as 0 (the entry returned).  Any
    other figure printed "-" where the data give a value (a capaian whose target and realisasi are
    printed beside it) is a figure missing from the report: a ``required-missing`` warning naming
    the value, not an error ("-" may also mean "not applicable" by the report's own method).  None
    when the value cannot be computed, or is 0.
    """
    expected = _value(comp.kutipan.get(record.row))
    if expected is None:
        return None
    besaran = str(record.get("besaran") or "")
    if besaran.startswith("jumlah "):
        return entry._replace(value=0)
    if abs(expected) < 1e-9:
        return None
    kode = record.get("kode")
    lokasi = record.get("lokasi") or f"baris {record.row}"
    rupiah = besaran in _RUPIAH_BESARAN
    value = _rp(expected) if rupiah else format_number(expected, 2)
    return _citation_warning(
        "required-missing",
        entry,
        besaran,
        kode,
        lokasi,
        f"tertulis \u201c{entry.raw}\u201d tanpa angka, padahal nilainya dapat dihitung dari data: {value}. "
        "Jika laporan memang mengosongkan angka ini, lengkapi; jika tanda itu berarti tidak berlaku, abaikan.",
        stated=str(entry.raw),
        expected=round(expected, 6),
    )


def _rows_counted(sub: Submission, kode: Any) -> str:
    """Which rows a count of a table's rows counted, for the message (its one table)."""
    found = free_tables_named(sub, kode)
    rows = [row.row for row in found[0].item_rows()] if len(found) == 1 else []
    if not rows:
        return "baris data tabel itu di lembar Tabel Bebas"
    span = f"baris {rows[0]}" if len(rows) == 1 else f"baris {rows[0]}–{rows[-1]}"
    return f"baris data tabel itu di lembar Tabel Bebas, {span}, tanpa baris jumlah dan rata-rata"


def _table_not_named(sub: Submission, kode: Any) -> str:
    """Why a count of a table's rows has no value: its kode names no table, or several."""
    found = free_tables_named(sub, kode)
    where = "lembar Tabel Bebas"
    if len(found) > 1:
        rows = ", ".join(f"A{table.title_row}" for table in found)
        return f"cocok dengan lebih dari satu tabel di {where} (judul di sel {rows}). Tulis judul lengkapnya."
    return (
        f"tidak cocok dengan judul atau nomor tabel mana pun di {where}. Tulis judul tabel seperti di "
        "baris judulnya (atau awal judulnya), atau nomornya, mis. Tabel 3.18."
    )


def _citation_warning(
    code: str, entry: Entry, besaran: str, kode: Any, lokasi: str, text: str, **numbers: Any
) -> Finding:
    """A warning about one citation: "Kutipan!D12: kutipan “capaian” untuk “IK1” (lokasi) <text>"."""
    return finding(
        code,
        f"{entry.sheet}!{entry.cell}: kutipan \u201c{besaran}\u201d untuk \u201c{kode or '-'}\u201d ({lokasi}) "
        + text,
        severity="warning",
        sheet=entry.sheet,
        cell=entry.cell,
        table="kutipan",
        row_key=str(kode or ""),
        field="nilai",
        **numbers,
    )


_RUPIAH_BESARAN = frozenset(
    {
        "pagu",
        "realisasi",
        "selisih",
        "alokasi",
        "anggaran PK",
        "total pagu",
        "total realisasi",
        "total sisa",
        "total PK",
    }
)


@check("citations")
def citations(sub: Submission, comp: Computation, earlier: Sequence[Finding] = ()) -> Iterable[Finding]:
    """Every figure the report repeats equals its one true value; a citation that repeats a wrong
    figure printed in a main table follows it (one error, at that figure)."""
    records = sub.records("kutipan")
    resolver = Resolver(sub) if records else None
    for record in records:
        entry = record.entry("nilai")
        nihil = False  # a count printed "-", compared as 0
        if entry is not None and entry.parsed is not None and entry.parsed.kind == "na":
            dash = _dash_citation(record, entry, comp)
            if isinstance(dash, Finding):
                yield dash
                continue
            entry, nihil = dash, dash is not None
        if entry is None or not entry.is_number:
            continue
        lokasi = record.get("lokasi") or f"baris {record.row}"
        besaran = record.get("besaran") or "-"
        kode = record.get("kode")
        expected = comp.kutipan.get(record.row)
        if expected is None or _value(expected) is None:
            if besaran == ROW_COUNT:
                why = _table_not_named(sub, kode)
            elif kode and resolver.find(kode) is not None:
                why = (
                    "ditemukan, tetapi besaran itu tidak dapat dihitung dari datanya (mis. tidak ada baris "
                    "Anggaran yang ditautkan lewat kolom Kode Indikator Didukung, atau isiannya kosong)."
                )
            else:
                why = "tidak dapat dicocokkan dengan data di lembar lain. Periksa kode/uraian dan besarannya."
            yield _citation_warning(
                "unknown-reference", entry, besaran, kode, lokasi, why, stated=entry.value
            )
            continue
        rupiah = besaran in _RUPIAH_BESARAN
        percent = besaran in (
            "serapan",
            "capaian",
            "kemajuan",
            "persen alokasi",
            "total serapan",
            "rata-rata capaian",
            "rasio jenis kelamin",
            "laju pertumbuhan penduduk",
        )
        if besaran == "laju pertumbuhan penduduk" and _geometric_growth_agrees(sub, comp, kode, entry):
            continue  # a mean growth over years computed by BPS's geometric method is right too
        yield from compare_entry(
            entry,
            expected,
            code="citation-mismatch",
            what=f"{besaran}{' ' + str(kode) if kode else ''} di {lokasi}"
            + (f" (\u201c{entry.raw}\u201d = nihil)" if nihil else ""),
            record=record,
            table="kutipan",
            field="nilai",
            explain=_rows_counted(sub, kode) if besaran == ROW_COUNT else "nilai di tabel utama",
            unit="Rp" if rupiah else (" %" if percent else ""),
            fraction_allowed=not rupiah,
            printed=lambda b=besaran, k=kode, e=expected: (
                _printed_elsewhere(earlier, _value(e), _CITED_FIELDS.get(b, frozenset()))
                + _cited_printed(sub, comp, b, k, resolver)
            ),
        )


@check("free-tables")
def free_tables(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Totals, column formulas, row equalities, kode roll-ups and grades of the free tables."""
    if not sub.free_tables:
        return []
    from .freetables import check_free_tables

    return check_free_tables(sub.free_tables, sub.rules.scales())


@check("labels")
def labels(sub: Submission, comp: Computation) -> Iterable[Finding]:
    """Grade labels (predikat) agree with the number they describe, on the rules' scale."""
    rules = sub.rules
    if not rules.predikat:
        return
    for table_id, field_id in (("indikator", "capaian_dilaporkan"), ("anggaran", "capaian_dilaporkan")):
        data = sub.tables.get(table_id)
        column = data.data.get(field_id) if data is not None else None
        if column is None:
            continue
        graded = [  # a plain reading has no grade: only cells typed like "84,5 (A)" are looked at
            index for index, reading in enumerate(column.readings) if reading is not None and reading.grade
        ]
        for index in graded:
            record = data.records[index]
            entry = record.entry(field_id)
            grade = entry.parsed.grade
            if entry.is_number:
                expected = rules.predikat_of(float(entry.value))
                if not label_matches(grade, expected):
                    yield _label_finding(
                        entry,
                        record,
                        table_id,
                        field_id,
                        grade,
                        expected,
                        f"capaian tertulis {format_number(entry.value)} %",
                    )
    for result in comp.indikator.values():
        record = result.record
        entry = record.entry("predikat_dilaporkan")
        if entry is None or not entry.value or result.capaian is None:
            continue
        value = _value(result.capaian)
        expected = rules.predikat_of(value) if value is not None else None
        if expected is not None and not label_matches(str(entry.value), expected):
            yield _label_or_consequence(
                rules,
                _label_finding(
                    entry,
                    record,
                    "indikator",
                    "predikat_dilaporkan",
                    entry.value,
                    expected,
                    f"capaian hasil hitung {format_number(value)} %",
                ),
                record.stated("capaian_dilaporkan"),
                value,
                "capaian",
            )
    entry = sub.cells.get("predikat_dilaporkan")
    value = _value(comp.totals.get("rata_capaian:Sasaran Strategis"))
    if entry is not None and entry.value and value is not None:
        expected = rules.predikat_of(value)
        if expected is not None and not label_matches(str(entry.value), expected):
            yield _label_or_consequence(
                rules,
                _label_finding(
                    entry,
                    None,
                    "ringkasan",
                    "predikat_dilaporkan",
                    entry.value,
                    expected,
                    f"rata-rata capaian hasil hitung {format_number(value)} %",
                ),
                sub.cells.get("rata_capaian_dilaporkan"),
                value,
                "rata-rata capaian",
            )


def _label_or_consequence(
    rules: Any, error: Finding, stated: Entry | None, ground: float, name: str
) -> Finding:
    """A wrong predikat that is the right predikat of the (wrong) figure typed beside it follows that
    figure (SPEC 7): one error, at the figure."""
    root = _off(stated, ground, True)
    if root is None or stated is None:
        return error
    typed = _as_percent(stated, ground)
    if not label_matches(str(error.stated), rules.predikat_of(typed)):
        return error
    return replace(
        error,
        code="follows-root",
        severity="warning",
        message=(
            f"{error.location}: predikat tertulis \u201c{error.stated}\u201d mengikuti {name} yang tertulis di "
            f"{root} ({format_number(typed)} %) yang salah; setelah diperbaiki menjadi \u201c{error.expected}\u201d."
        ),
        caused_by=root,
        fallback=error,
    )


def _label_finding(
    entry: Entry,
    record: Record | None,
    table: str,
    field_id: str,
    stated: Any,
    expected: str | None,
    basis: str,
) -> Finding:
    return finding(
        "label-mismatch",
        f"{entry.sheet}!{entry.cell}: predikat tertulis \u201c{stated}\u201d, padahal {basis} menurut skala "
        f"aturan berpredikat \u201c{expected or 'di luar skala'}\u201d.",
        sheet=entry.sheet,
        cell=entry.cell,
        table=table,
        row_key=record.key if record else None,
        field=field_id,
        stated=str(stated),
        expected=expected,
    )


__all__ = ["CHECKS", "run_checks", "compare", "hint_for", "shown_decimals", "label_matches"]
