"""Checking free tables: totals, means, kode roll-ups, column rules, row equalities and grade labels,
each stated figure judged by the shared rule (:func:`sakip_xlsx.precision.judge`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import precision
from ..cells import column_index
from ..expr import Expr, Num, Ref, compress_refs, guarded_value
from ..findings import Finding, finding, link_causes
from ..grades import SCALE_TITLES, Band, wrong_label
from ..model import Entry
from ..precision import is_number
from ..rules import load_rules
from ..tables import DColumn, DerivedTable
from ..values import UnreadableValue, parse_value
from .language import (
    _MAX_KODE_DEPTH,
    CELL_ADDRESS,
    Node,
    RuleError,
    _bind,
    _bind_cells,
    _BinN,
    _CallN,
    _Col,
    _divides,
    _division_differences,
    _Mean,
    _Neg,
    _numbers,
    _NumN,
    _operand,
    _Range,
    _RangeSum,
    _render,
    _render_number,
    _rule_cells,
    _rule_code,
    _rule_columns,
    _span,
    _swap_divisions,
    parse_cell_rule,
    parse_equality,
    parse_formula,
)
from .sheet import TABLE_ID, FreeTable, _blank, _clip, _short_title, _text, _where

# ---------------------------------------------------------------------------
# Analysis shared by the checks and the results workbook
# ---------------------------------------------------------------------------


@dataclass
class _Rule:
    letter: str
    text: str
    node: Node
    ratio: bool
    code: str


@dataclass
class _CellRuleParts:
    """What a cell rule judges its stated figure by (:meth:`_Checker.cell_rule_parts`)."""

    entry: Entry
    #: the rule over the cells as printed (stated figures, else their recomputed values)
    as_printed: Expr
    #: the rule over the ground values, when some cell it reads is off (``roots``)
    ground: Expr | None = None
    roots: tuple[str, ...] = ()
    #: the rule over the unrounded values of rounded figures (a rounding chain), and the fewest
    #: decimals those figures show
    unrounded: Expr | None = None
    rounded_decimals: int | None = None


@dataclass
class _Cell:
    """A recomputed cell: its expression and how it was computed."""

    expr: Expr
    kind: str  # sum | mean | kode | rule
    deps: list[tuple[int, str]]
    scope: list[int] = field(default_factory=list)
    rule: _Rule | None = None


_is_number = is_number


def _unreadable(entry: Entry | None) -> bool:
    return entry is not None and entry.parsed is None and not _blank(entry.raw)


def _kode_of(entry: Entry | None) -> str | None:
    if entry is None or entry.parsed is None or not isinstance(entry.parsed.value, str):
        return None
    return entry.parsed.value or None


class _Analysis:
    """Rules, scopes, kode tree and recomputed cells of one free table."""

    def __init__(self, table: FreeTable, number: int) -> None:
        self.table = table
        self.number = number
        self.columns = table.columns
        self.findings: list[Finding] = []
        self.skeleton = DerivedTable(
            f"{TABLE_ID}_{number}",
            f"Bebas {number}"[:31],
            table.title,
            [DColumn(c, table.headers[c]) for c in self.columns],
        )
        self.index_columns = set(table.index_columns)
        self.rules: dict[str, _Rule] = {}
        self.equalities: list[tuple[str, str, list[Node]]] = []
        #: cell rules (``E14 = E13 - H10``): (text, rule-row cell, target row index, target column, node)
        self.cell_rules: list[tuple[str, str, int, str, Node]] = []
        self._read_rules()
        self.scope: dict[int, list[int]] = {}
        self.subtotals: dict[int, list[int]] = {}
        self.kode: dict[int, str] = {}
        self.children: dict[int, list[int]] = {}
        self.parent: dict[int, int] = {}
        self._kode_tree()
        self._scopes()
        self.ratio_inputs = {
            c for rule in self.rules.values() if rule.ratio for c in _rule_columns(rule.node, self.columns)
        }
        self._memo: dict[tuple[int, str], _Cell | None] = {}
        self._busy: set[tuple[int, str]] = set()
        #: totals whose every member is unreadable: (row, column) -> (kind, unreadable members)
        self.unverifiable: dict[tuple[int, str], tuple[str, list[tuple[int, str]]]] = {}

    # -- rules ------------------------------------------------------------------
    def _rule_finding(self, cell: str, text: str, reason: str) -> None:
        title = _clip(self.table.title, 80)
        self.findings.append(
            finding(
                "unreadable-value",
                f"{self.table.sheet}!{cell}: aturan “{_clip(text, 80)}” di baris Rumus tabel “{title}” tidak dapat dibaca: "
                f"{reason}. "
                "Aturan ini tidak dipakai.",
                sheet=self.table.sheet,
                cell=cell,
                table=TABLE_ID,
                row_key=_short_title(self.table.title),
                field="Rumus",
                stated=text,
            )
        )

    def _read_rules(self) -> None:
        table = self.table
        for letter, text in table.column_rules.items():
            cell = f"{letter}{table.rule_row}"
            try:
                node = parse_formula(text)
                missing = [c for c in _rule_columns(node, self.columns) if c not in table.headers]
                if missing:
                    raise RuleError(f"kolom {', '.join(missing)} tidak ada di tabel ini")
            except RuleError as exc:
                self._rule_finding(cell, text, str(exc))
                continue
            if letter not in table.headers:
                self._rule_finding(cell, text, f"kolom {letter} tidak punya judul kolom")
                continue
            self.rules[letter] = _Rule(letter, text, node, _divides(node), _rule_code(node))
        self._drop_cycles()
        rows = {row.row: i for i, row in enumerate(table.rows)}
        for text, cell in zip(table.checks, table.check_cells, strict=False):
            if CELL_ADDRESS.search(re.sub(r"(?i)^\s*cek\s*:", "", text)):
                try:
                    target, node = parse_cell_rule(text)
                    outside = [
                        f"{c}{r}"
                        for c, r in ((target.letter, target.row), *_rule_cells(node))
                        if r not in rows or c not in table.headers
                    ]
                    if outside:
                        raise RuleError(f"sel {', '.join(outside)} tidak ada di tabel ini")
                except RuleError as exc:
                    self._rule_finding(cell, text, str(exc))
                    continue
                self.cell_rules.append((text, cell, rows[target.row], target.letter, node))
                continue
            try:
                sides = parse_equality(text)
                missing = [
                    c for side in sides for c in _rule_columns(side, self.columns) if c not in table.headers
                ]
                if missing:
                    raise RuleError(f"kolom {', '.join(dict.fromkeys(missing))} tidak ada di tabel ini")
            except RuleError as exc:
                self._rule_finding(cell, text, str(exc))
                continue
            self.equalities.append((text, cell, sides))

    def _drop_cycles(self) -> None:
        """Rules that depend on themselves (directly or through other rules) are reported and dropped."""
        reads = {c: set(_rule_columns(rule.node, self.columns)) for c, rule in self.rules.items()}
        bad: set[str] = set()
        for start in reads:
            seen, stack = set(), [start]
            while stack:
                current = stack.pop()
                for nxt in reads.get(current, ()):
                    if nxt == start:
                        bad.add(start)
                    elif nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
        for letter in sorted(bad, key=column_index):
            rule = self.rules.pop(letter)
            self._rule_finding(
                f"{letter}{self.table.rule_row}",
                rule.text,
                f"rumus kolom {letter} memakai dirinya sendiri (langsung atau lewat kolom lain)",
            )

    # -- structure --------------------------------------------------------------
    def _kode_tree(self) -> None:
        table = self.table
        if table.kode_column is None:
            return
        by_kode: dict[str, int] = {}
        for i, row in enumerate(table.rows):
            if row.kind != "data":
                continue
            kode = _kode_of(row.cells.get(table.kode_column))
            if kode is None:
                continue
            if kode in by_kode:
                entry = row.cells[table.kode_column]
                self.findings.append(
                    finding(
                        "duplicate-kode",
                        f"{table.sheet}!{entry.cell}: kode {kode} muncul dua kali di tabel “{_clip(table.title, 80)}” "
                        f"(pertama di baris {table.rows[by_kode[kode]].row}); baris kedua tidak dijumlahkan ke induknya.",
                        **_where(table, entry.cell, self.label(i), table.headers[table.kode_column]),
                        stated=kode,
                    )
                )
                continue
            by_kode[kode] = i
            self.kode[i] = kode
        for i, kode in self.kode.items():
            parts = kode.split(".")
            if len(parts) > _MAX_KODE_DEPTH:
                continue
            for cut in range(len(parts) - 1, 0, -1):
                parent = by_kode.get(".".join(parts[:cut]))
                if parent is not None:
                    self.parent[i] = parent
                    self.children.setdefault(parent, []).append(i)
                    break

    def _has_ancestor_in(self, i: int, scope: set[int]) -> bool:
        current = self.parent.get(i)
        while current is not None:
            if current in scope:
                return True
            current = self.parent.get(current)
        return False

    def _scopes(self) -> None:
        block: list[int] = []
        everything: list[int] = []
        totals_since_start: list[int] = []
        for i, row in enumerate(self.table.rows):
            if row.kind == "data":
                block.append(i)
                everything.append(i)
                continue
            if block:
                scope = list(block)
                self.subtotals[i] = []
            else:
                scope = list(everything)
                self.subtotals[i] = [t for t in totals_since_start if self.table.rows[t].kind == "sum"]
            members = set(scope)
            self.scope[i] = [d for d in scope if not self._has_ancestor_in(d, members)]
            totals_since_start.append(i)
            block = []

    def label(self, i: int) -> str:
        row = self.table.rows[i]
        return row.label or f"baris {row.row}"

    def aggregable(self, column: str) -> bool:
        return (
            column != self.table.kode_column
            and column not in self.index_columns
            and column not in self.table.ignored
            and column not in self.table.label_columns
        )

    def total_meaning(self, kind: str, column: str) -> str:
        """What a total row of ``kind`` is in ``column``: sum, mean, rule (pooled) or skip.

        The rule row decides when it says so (``total:rata``); else a sum row sums and applies a
        ratio rule to its own totals (pooled); a mean row averages, except a rupiah column (amounts
        are summed even under "Rata-rata Capaian dan Anggaran") and a ratio rule over such columns.
        """
        mode = self.table.total_modes.get(column, {}).get(kind)
        if mode is not None:
            return mode
        rule = self.rules.get(column)
        if kind == "sum":
            return "rule" if rule is not None and rule.ratio else "sum"
        if self.table.value_types.get(column) == "rupiah":
            return "sum"
        if rule is not None and rule.ratio:
            inputs = _rule_columns(rule.node, self.columns)
            if inputs and all(self.total_meaning("mean", c) == "sum" for c in inputs if c != column):
                return "rule"
        return "mean"

    # -- recomputed cells ---------------------------------------------------------
    def dref(self, i: int, column: str, cell: _Cell) -> Ref:
        value = guarded_value(cell.expr)
        return Ref(self.skeleton.sheet, self.skeleton.cell(i, column), value if _is_number(value) else None)

    def inval(self, i: int, column: str, deps: list[tuple[int, str]]) -> Expr:
        """The figure a computation uses for a cell: stated number, else recomputed, else blank."""
        row = self.table.rows[i]
        entry = row.cells.get(column)
        if entry is not None and entry.is_number:
            return Ref(entry.sheet, entry.cell, entry.value)
        if _unreadable(entry):
            deps.append((i, column))
        inner = self.content(i, column)
        if inner is not None:
            return self.dref(i, column, inner)
        return Ref(self.table.sheet, f"{column}{row.row}", None)

    def content(self, i: int, column: str) -> _Cell | None:
        key = (i, column)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        try:
            result = self._build(i, column)
        finally:
            self._busy.discard(key)
        self._memo[key] = result
        return result

    def _stated_present(self, i: int, column: str) -> bool:
        entry = self.table.rows[i].cells.get(column)
        return (entry is not None and not _blank(entry.raw)) or column in self.ratio_inputs

    def _rule_cell(self, i: int, rule: _Rule) -> _Cell:
        deps: list[tuple[int, str]] = []
        expr = _bind(rule.node, lambda c: self.inval(i, c, deps), self.columns)
        return _Cell(expr, "rule", deps, rule=rule)

    def _aggregate(self, i: int, column: str, members: list[int], kind: str) -> _Cell | None:
        if not members:
            return None
        deps: list[tuple[int, str]] = []
        terms = tuple(self.inval(d, column, deps) for d in members)
        if not _numbers(terms):
            if deps:
                self.unverifiable[(i, column)] = (kind, deps)
            return None
        expr: Expr = _Mean(terms) if kind == "mean" else _RangeSum(terms)
        return _Cell(expr, kind, deps, scope=list(members))

    def _build(self, i: int, column: str) -> _Cell | None:
        if not self.aggregable(column):
            return None
        row = self.table.rows[i]
        rule = self.rules.get(column)
        if row.kind in ("sum", "mean"):
            meaning = self.total_meaning(row.kind, column)
            if meaning == "rule" and rule is not None:
                return self._rule_cell(i, rule)
            if meaning not in ("sum", "mean") or not self._stated_present(i, column):
                return None
            return self._aggregate(i, column, self.scope.get(i, []), meaning)
        if i in self.children:
            if rule is not None and rule.ratio:
                return self._rule_cell(i, rule)
            if self._stated_present(i, column):
                cell = self._aggregate(i, column, self.children[i], "kode")
                if cell is not None:
                    return cell
        if rule is not None:
            return self._rule_cell(i, rule)
        return None

    # -- values for messages --------------------------------------------------------
    def value_of(self, i: int, column: str) -> float | None:
        value = guarded_value(self.inval(i, column, []))
        return float(value) if _is_number(value) else None

    def recomputed_of(self, i: int, column: str) -> float | None:
        cell = self.content(i, column)
        if cell is None:
            return self.value_of(i, column)
        value = guarded_value(cell.expr)
        return float(value) if _is_number(value) else None


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------


def _verdict(stated: float, expected: float, decimals: int) -> Any:
    """:func:`precision.compare` (an exact expected value leaves no room for rounding there too)."""
    return precision.compare(stated, expected, decimals)


def _num_text(value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return "kosong"
    if decimals is not None:
        return precision.format_number(value, decimals)
    if float(value).is_integer():
        return precision.format_number(value, 0)
    text = precision.format_number(value, 4).rstrip("0")
    return text[:-1] if text.endswith(",") else text


def _explain_rule(node: Node, value: Callable[[str], float | None], columns: list[str]) -> str:
    """A rule with the row's numbers in place of the letters: ``2.794.244.395 / 3.624.680.908 × 100``."""

    def walk(n: Node) -> str:
        if isinstance(n, _NumN):
            return _render_number(n.value)
        if isinstance(n, _Col):
            return _num_text(value(n.letter))
        if isinstance(n, _Range):
            return " + ".join(_num_text(value(c)) for c in _span(n.first, n.last, columns))
        if isinstance(n, _Neg):
            inner = walk(n.inner)
            return "−" + (f"({inner})" if isinstance(n.inner, _BinN) else inner)
        if isinstance(n, _CallN):
            inner_parts = []
            for arg in n.args:
                if isinstance(arg, _Range):
                    inner_parts.extend(_num_text(value(c)) for c in _span(arg.first, arg.last, columns))
                else:
                    inner_parts.append(walk(arg))
            return f"{n.name}({'; '.join(inner_parts)})"
        op = {"*": "×", "/": "/", "+": "+", "-": "−"}[n.op]
        left = _operand(n.left, n, False, walk(n.left))
        right = _operand(n.right, n, True, walk(n.right))
        return f"{left} {op} {right}"

    return walk(node)


def _cells_text(cells: list[str]) -> str:
    """``D9:D27`` for a run of neighbouring cells, else a short list."""
    refs = [Ref("x", cell) for cell in cells]
    parts = [part.split("!", 1)[1] for part in compress_refs(refs)]
    text = ", ".join(parts)
    return _clip(text, 80)


_WHY = {"sum": "menjumlah", "mean": "merata-rata", "kode": "menjumlah rincian kode", "rule": "rumus kolom"}


class _Checker:
    """The findings of one free table."""

    def __init__(self, analysis: _Analysis, scales: dict[str, tuple[Band, ...]]) -> None:
        self.a = analysis
        self.t = analysis.table
        self.scales = scales
        self.findings: list[Finding] = list(analysis.findings)
        self.reported_unreadable: set[tuple[int, str]] = set()
        self._offs: dict[tuple[int, str], str | None] = {}
        self.title = f"tabel “{_clip(self.t.title, 80)}”"

    def run(self) -> list[Finding]:
        self._check_scale_names()
        for i in range(len(self.t.rows)):
            for column in self.a.columns:
                cell = self.a.content(i, column)
                if cell is not None:
                    self._check_cell(i, column, cell)
                elif (i, column) in self.a.unverifiable:
                    kind, deps = self.a.unverifiable[(i, column)]
                    self._unchecked(i, column, _WHY[kind], deps)
            for text, _cell, sides in self.a.equalities:
                self._check_equality(i, text, sides)
            for column, scale in self.t.scales.items():
                self._check_grade(i, column, scale)
        for text, _cell, i, column, node in self.a.cell_rules:
            self._check_cell_rule(text, i, column, node)
        return self.findings

    def cell_rule_parts(self, i: int, column: str, node: Node) -> _CellRuleParts | None:
        """What a cell rule (``E14 = E13 - H10``) judges its stated figure by, as expressions (their
        values for ``check``, their formulas for the results workbook): the rule over the cells as
        printed, over their ground when one of them is off (root cause), and over their unrounded
        values (a rounding chain).  None when the stated figure is no number or the rule gives none."""
        entry = self.t.rows[i].cells.get(column)
        if entry is None or _blank(entry.raw) or not entry.is_number:
            return None
        index = {row.row: k for k, row in enumerate(self.t.rows)}
        used = [(index[r], c) for c, r in _rule_cells(node)]
        as_printed = _bind_cells(node, lambda c, r: self.a.inval(index[r], c, []))
        if not _is_number(guarded_value(as_printed)):
            return None
        parts = _CellRuleParts(entry, as_printed)
        roots = tuple(root for k, c in used if (root := self._off(k, c)))
        if roots:
            ground = _bind_cells(node, lambda c, r: self._ground_leaf(index[r], c))
            if _is_number(guarded_value(ground)):
                parts.ground, parts.roots = ground, roots
            return parts
        leaves = {(k, c): self._unrounded_leaf(k, c) for k, c in used}
        rounded = [
            precision.shown_decimals(e)
            for (k, c), leaf in leaves.items()
            if leaf is not None
            and (value := guarded_value(leaf)) is not None
            and (e := self.t.rows[k].cells.get(c)) is not None
            and value != e.value
        ]
        if rounded:
            unrounded = _bind_cells(
                node,
                lambda c, r: (
                    leaf if (leaf := leaves[(index[r], c)]) is not None else self.a.inval(index[r], c, [])
                ),
            )
            if _is_number(guarded_value(unrounded)):
                parts.unrounded, parts.rounded_decimals = unrounded, min(rounded)
        return parts

    def judge_cell_rule(self, parts: _CellRuleParts, node: Node) -> precision.Judgement:
        """:func:`precision.judge` of a cell rule's stated figure (:meth:`cell_rule_parts`)."""
        return precision.judge(parts.entry.raw, parts.entry.value, **self._cell_rule_judged(parts, node))

    def _cell_rule_judged(self, parts: _CellRuleParts, node: Node) -> dict[str, Any]:
        as_printed = float(guarded_value(parts.as_printed))
        if parts.ground is not None:
            printed = [
                precision.Printed(as_printed, parts.roots, f"angka yang tertulis di {', '.join(parts.roots)}")
            ]
            return {
                "ground": float(guarded_value(parts.ground)),
                "printed": printed,
                "fraction_allowed": _divides(node),
            }
        unrounded = None if parts.unrounded is None else float(guarded_value(parts.unrounded))
        return {
            "ground": as_printed,
            "unrounded": unrounded,
            "rounded_decimals": parts.rounded_decimals,
            "fraction_allowed": _divides(node),
        }

    def _check_cell_rule(self, text: str, i: int, column: str, node: Node) -> None:
        """One figure computed across rows (``E14 = E13 - H10``), by the shared rule like a column rule:
        from the cells as printed, from their unrounded values (a rounding chain), and from their
        ground when one of them is off (root cause)."""
        parts = self.cell_rule_parts(i, column, node)
        if parts is None:
            return
        judged = self._cell_rule_judged(parts, node)
        unrounded = judged.get("unrounded")
        header = self.t.headers[column]
        self._compare(
            _rule_code(node),
            parts.entry,
            judged["ground"],
            f"kolom “{header}” baris “{self.a.label(i)}” pada {self.title}",
            f"rumus {text.strip()}: {_render(node)} = {_num_text(float(guarded_value(parts.as_printed)))} "
            "dari angka yang tertulis",
            [],
            self._where(i, parts.entry.cell, header),
            fraction=judged["fraction_allowed"],
            printed=judged.get("printed", []),
            unrounded=None if unrounded is None else (unrounded, parts.rounded_decimals),
        )

    def _unrounded_leaf(self, i: int, column: str) -> Expr | None:
        """A stated figure that has a computation of its own, computed from the unrounded values of
        what it is computed from (a rule, sum or mean of rounded figures: :meth:`_unrounded`), or
        from them as stated (:meth:`_ground_leaf`); None for a figure with no computation, or one
        that is off."""
        cell = self.a.content(i, column)
        entry = self.t.rows[i].cells.get(column)
        if cell is None or entry is None or not entry.is_number or self._off(i, column):
            return None
        deeper = self._unrounded_expr(i, column, cell)
        if deeper is not None:
            return deeper[0]
        return self._ground_leaf(i, column) if self._ground(i, column) is not None else None

    # -- helpers ------------------------------------------------------------------
    def _where(self, i: int, cell: str | None, column: str) -> dict[str, Any]:
        return _where(self.t, cell, self.a.label(i), column)

    def _report_unreadable(self, i: int, column: str, why: str) -> None:
        if (i, column) in self.reported_unreadable:
            return
        self.reported_unreadable.add((i, column))
        entry = self.t.rows[i].cells[column]
        try:
            parse_value(entry.raw, "number")
            reason = " Angkanya terlalu besar (lebih dari 10^15)."
        except (UnreadableValue, ValueError) as exc:
            reason = " " + str(exc)
        header = self.t.headers.get(column, column)
        self.findings.append(
            finding(
                "unreadable-value",
                f"{entry.sheet}!{entry.cell}: isi “{_clip(_text(entry.raw), 60)}” kolom “{header}” pada {self.title} "
                f"tidak terbaca sebagai angka, padahal dipakai untuk {why}.{reason}",
                stated=_text(entry.raw),
                **self._where(i, entry.cell, header),
            )
        )

    def _compare(
        self,
        code: str,
        entry: Entry,
        expected: float,
        what: str,
        explain: str,
        candidates: list[tuple[str, float | None]],
        where: dict[str, Any],
        fraction: bool = False,
        printed: Sequence[precision.Printed] = (),
        unrounded: tuple[float, int] | None = None,
    ) -> None:
        """One stated cell against its expected value, by the shared rule (:func:`precision.judge`)."""
        unit = 10.0 ** (-precision.shown_decimals(entry))
        useful = [
            (text, value)
            for text, value in candidates
            if precision.is_number(value) and abs(value - expected) > unit / 2
        ]
        judgement = precision.judge(
            entry.raw,
            entry.value,
            expected,
            printed,
            unrounded=unrounded[0] if unrounded else None,
            rounded_decimals=unrounded[1] if unrounded else None,
            fraction_allowed=fraction,
        )
        item = precision.judged_finding(
            judgement,
            precision.Where(**where),
            code=code,
            what=what,
            explain=explain,
            candidates=useful,
        )
        if item is not None:
            self.findings.append(item)

    # -- recomputed cells -----------------------------------------------------------
    def _unchecked(self, i: int, column: str, why: str, deps: list[tuple[int, str]]) -> None:
        """A stated figure that cannot be checked because the cells it is computed from are unreadable."""
        entry = self.t.rows[i].cells.get(column)
        if entry is None or _blank(entry.raw):
            return
        for dep in deps:
            self._report_unreadable(dep[0], dep[1], f"{why} {entry.cell}")
        header = self.t.headers[column]
        cells = [f"{c}{self.t.rows[d].row}" for d, c in deps]
        self.findings.append(
            finding(
                "no-value",
                f"{entry.sheet}!{entry.cell}: kolom “{header}” baris “{self.a.label(i)}” pada {self.title} tidak "
                f"dapat diperiksa ({why}): {len(cells)} sel yang dipakai tidak terbaca sebagai angka "
                f"({_cells_text(cells)}). Perbaiki isi sel itu agar angka ini ikut diperiksa.",
                severity="warning",
                stated=_text(entry.raw),
                **self._where(i, entry.cell, header),
            )
        )

    def _check_cell(self, i: int, column: str, cell: _Cell) -> None:
        row = self.t.rows[i]
        entry = row.cells.get(column)
        if entry is None or _blank(entry.raw):
            return
        why = _WHY[cell.kind]
        if _unreadable(entry):
            self._report_unreadable(i, column, f"diperiksa ({why})")
            return
        if not entry.is_number:
            return
        header = self.t.headers[column]
        for dep in cell.deps:
            self._report_unreadable(dep[0], dep[1], f"{why} {entry.cell}")
        expected = guarded_value(cell.expr)
        if not _is_number(expected):
            if cell.deps:
                self._unchecked(i, column, why, cell.deps)
            return
        expected = float(expected)
        label = self.a.label(i)
        where = self._where(i, entry.cell, header)
        if cell.kind in ("sum", "mean"):
            word = "jumlah" if cell.kind == "sum" else "rata-rata"
            what = f"{word} kolom “{header}” (baris “{label}”) pada {self.title}"
            explain = self._scope_text(cell, column, word)
            code = "sum-mismatch"
            candidates = self._total_candidates(i, column, cell, expected)
        elif cell.kind == "kode":
            kode = self.a.kode.get(i, "")
            children = [self.a.kode.get(c, self.a.label(c)) for c in cell.scope]
            what = f"kolom “{header}” kode {kode} (“{label}”) pada {self.title}"
            explain = f"jumlah {len(children)} rincian langsung di bawahnya: {_clip(', '.join(children), 80)}"
            code = "sum-mismatch"
            candidates = self._kode_candidates(i, column, cell, expected)
        else:
            rule = cell.rule
            assert rule is not None
            what = f"kolom “{header}” baris “{label}” pada {self.title}"
            explain = f"rumus {rule.text.strip()}: {_explain_rule(rule.node, lambda c: self.a.value_of(i, c), self.a.columns)}"
            code = rule.code
            candidates = self._rule_candidates(i, column, rule, expected)
        printed: list[precision.Printed] = []
        if cell.kind == "kode":  # stated children as printed; the ground is the lowest level below
            ground = self._kode_ground(i, column)
            roots = tuple(self._off(c, column) for c in cell.scope if self._off(c, column))
            if ground is not None and roots:
                printed = [precision.Printed(expected, roots, f"rincian yang tertulis di {', '.join(roots)}")]
                expected = ground
        elif cell.kind == "sum" and self.a.subtotals.get(i):
            printed = self._subtotals_printed(i, column, cell)
        elif cell.kind == "rule" and cell.rule is not None:  # a rule over stated cells that are off
            columns = _rule_columns(cell.rule.node, self.a.columns)
            roots = tuple(root for c in columns if c != column and (root := self._off(i, c)))
            if roots:
                ground = guarded_value(
                    _bind(cell.rule.node, lambda c: self._ground_leaf(i, c), self.a.columns)
                )
                if _is_number(ground):
                    printed = [
                        precision.Printed(expected, roots, f"angka yang tertulis di {', '.join(roots)}")
                    ]
                    expected = float(ground)
        self._compare(
            code,
            entry,
            expected,
            what,
            explain,
            candidates,
            where,
            fraction=cell.rule is not None and cell.rule.ratio,
            printed=printed,
            unrounded=None if printed else self._unrounded(i, column, cell),
        )

    def _unrounded(self, i: int, column: str, cell: _Cell) -> tuple[float, int] | None:
        """:meth:`_unrounded_expr` as its value."""
        found = self._unrounded_expr(i, column, cell)
        return None if found is None else (float(guarded_value(found[0])), found[1])

    def _unrounded_expr(self, i: int, column: str, cell: _Cell) -> tuple[Expr, int] | None:
        """A rule, sum or mean computed from the unrounded values of the stated cells it uses that
        have a computation of their own (``=D/C*100``) and are right at their shown decimals, and
        the fewest decimals those cells show: what :func:`precision.judge` calls ``unrounded`` and
        ``rounded_decimals`` (a rounding chain).  None when no such cell's stated figure differs
        from its computed value, or one of them is off (the root-cause rule applies then)."""
        if cell.kind == "rule" and cell.rule is not None:
            node = cell.rule.node
            inputs = [(i, c) for c in _rule_columns(node, self.a.columns) if c != column]

            def build() -> Expr:
                return _bind(node, lambda c: self._ground_leaf(i, c), self.a.columns)
        elif cell.kind in ("sum", "mean"):
            inputs = [(d, column) for d in cell.scope]
            kind = _Mean if cell.kind == "mean" else _RangeSum

            def build() -> Expr:
                return kind(tuple(self._ground_leaf(d, column) for d in cell.scope))
        else:
            return None
        decimals: list[int] = []
        for row, col in inputs:
            if self.a.content(row, col) is None:
                continue
            if self._off(row, col):
                return None
            ground, entry = self._ground(row, col), self.t.rows[row].cells.get(col)
            if ground is not None and entry is not None and entry.is_number and ground != entry.value:
                decimals.append(precision.shown_decimals(entry))
        if not decimals:
            return None
        expr = build()
        return (expr, min(decimals)) if _is_number(guarded_value(expr)) else None

    # -- root cause (SPEC 7): ground from the lowest level, and the figures as printed --------
    def _kode_ground(self, i: int, column: str) -> float | None:
        """A kode parent's figure from its lowest-level rows (the stated figure of a row without children)."""
        children = self.a.children.get(i)
        if not children:
            return self.a.value_of(i, column)
        values = [v for c in children if (v := self._kode_ground(c, column)) is not None]
        return math.fsum(values) if values else self.a.value_of(i, column)

    def _ground(self, i: int, column: str) -> float | None:
        if i in self.a.children:
            return self._kode_ground(i, column)
        cell = self.a.content(i, column)
        if cell is None:
            return self.a.value_of(i, column)
        value = guarded_value(cell.expr)
        return float(value) if _is_number(value) else None

    def _ground_leaf(self, i: int, column: str) -> Expr:
        """The ground value of a cell (:meth:`_ground`) as an expression: the recomputed cell of the
        results table when it has one (its formula there), else a number, else the figure used."""
        ground = self._ground(i, column)
        if ground is None:
            return self.a.inval(i, column, [])
        cell = self.a.content(i, column)
        if cell is not None and i not in self.a.children:
            return self.a.dref(i, column, cell)
        return Num(ground)

    def _off(self, i: int, column: str) -> str | None:
        """``Sheet!A1`` of a stated total or parent figure that differs from its ground (and from its
        value from unrounded figures, :meth:`_unrounded`: what its own check accepts), else None."""
        key = (i, column)
        if key not in self._offs:
            self._offs[key] = None  # (the computations are acyclic; this only guards against a loop)
            self._offs[key] = self._find_off(i, column)
        return self._offs[key]

    def _find_off(self, i: int, column: str) -> str | None:
        entry = self.t.rows[i].cells.get(column)
        cell = self.a.content(i, column)
        if entry is None or not entry.is_number or cell is None:
            return None
        ground = self._ground(i, column)
        if ground is None or precision.agrees(entry.raw, entry.value, ground):
            return None
        unrounded = self._unrounded(i, column, cell)
        if unrounded is not None and precision.agrees(entry.raw, entry.value, unrounded[0]):
            return None
        return f"{entry.sheet}!{entry.cell}"

    def _subtotals_printed(self, i: int, column: str, cell: _Cell) -> list[precision.Printed]:
        """A grand total computed from the stated subtotals above it (and rows no subtotal covers)."""
        subtotals = self.a.subtotals[i]
        roots = tuple(root for t in subtotals if (root := self._off(t, column)))
        if not roots:
            return []
        covered = {d for t in subtotals for d in self.a.scope.get(t, [])}
        values = [self.a.value_of(t, column) for t in subtotals]
        values += [self.a.value_of(d, column) for d in cell.scope if d not in covered]
        total = math.fsum(v for v in values if v is not None)
        if cell.kind == "mean":
            return []
        return [precision.Printed(total, roots, f"subtotal yang tertulis di {', '.join(roots)}")]

    def _scope_text(self, cell: _Cell, column: str, word: str) -> str:
        cells = [f"{column}{self.t.rows[d].row}" for d in cell.scope]
        count = sum(1 for d in cell.scope if self.a.value_of(d, column) is not None)
        if count == len(cells):
            return f"{word} {count} baris data {_cells_text(cells)}"
        return f"{word} {count} angka di {_cells_text(cells)}; sel kosong dilewati"

    def _row_candidates(self, i: int, column: str) -> list[tuple[str, float | None]]:
        """The stated figure equals another column of the row, or the same column of a neighbour row."""
        out: list[tuple[str, float | None]] = []
        for other in self.a.columns:
            if other != column and self.a.aggregable(other):
                out.append(
                    (
                        f"Sama dengan isi kolom “{self.t.headers[other]}” di baris ini (tersalin dari kolom lain).",
                        self.a.value_of(i, other),
                    )
                )
        for j, where in ((i - 1, "di atasnya"), (i + 1, "di bawahnya")):
            if 0 <= j < len(self.t.rows) and self.t.rows[j].kind == self.t.rows[i].kind:
                out.append(
                    (
                        f"Sama dengan nilai baris “{self.a.label(j)}” {where} (tergeser satu baris).",
                        self.a.value_of(j, column),
                    )
                )
        return out

    def _total_candidates(
        self, i: int, column: str, cell: _Cell, expected: float
    ) -> list[tuple[str, float | None]]:
        a = self.a
        values = [(d, a.value_of(d, column)) for d in cell.scope]
        numbers = [v for _, v in values if v is not None]
        out: list[tuple[str, float | None]] = []
        if cell.kind == "sum":
            subtotals = [(t, a.value_of(t, column)) for t in a.subtotals.get(i, [])]
            subtotals = [(t, v) for t, v in subtotals if v is not None]
            if subtotals:
                total_sub = math.fsum(v for _, v in subtotals)
                out.append(
                    (
                        "Sub-jumlah ikut dijumlahkan bersama baris datanya (terhitung dua kali).",
                        expected + total_sub,
                    )
                )
                out += [
                    (f"Sub-jumlah “{a.label(t)}” ikut dijumlahkan (terhitung dua kali).", expected + v)
                    for t, v in subtotals
                ]
                out.append(
                    (
                        "Sama dengan jumlah sub-jumlah yang tertulis; salah satu sub-jumlah itu sendiri salah.",
                        total_sub if abs(total_sub - expected) > 1e-9 else None,
                    )
                )
            previous = [
                t for t in range(i) if self.t.rows[t].kind == "sum" and t not in a.subtotals.get(i, [])
            ]
            if previous and not subtotals:
                t = previous[-1]
                v = a.value_of(t, column)
                out.append(
                    (
                        f"Baris jumlah “{a.label(t)}” di atasnya ikut dijumlahkan (terhitung dua kali).",
                        None if v is None else expected + v,
                    )
                )
            recomputed = [a.recomputed_of(d, column) for d in cell.scope]
            out.append(
                (
                    "Cocok dengan jumlah baris data setelah baris yang salah dihitung ulang; kesalahannya ada "
                    "di baris data, bukan di baris jumlah.",
                    math.fsum(v for v in recomputed if v is not None),
                )
            )
            for d, v in values:
                if v is None or v == 0:
                    continue
                out.append(
                    (
                        f"Sama dengan jumlah tanpa baris “{a.label(d)}” (baris itu tidak ikut dijumlah).",
                        expected - v,
                    )
                )
                out.append((f"Sama dengan jumlah bila baris “{a.label(d)}” dihitung dua kali.", expected + v))
            if numbers:
                out.append(("Yang ditulis adalah rata-rata, bukan jumlah.", expected / len(numbers)))
            out += [
                (f"Sama dengan nilai baris “{a.label(d)}” saja (tersalin dari baris itu).", v)
                for d, v in values
                if v
            ]
        else:
            total = math.fsum(numbers)
            n = len(numbers)
            out.append(("Yang ditulis adalah jumlah, bukan rata-rata.", total))
            for d, v in values:
                if v is not None and n > 1:
                    out.append((f"Sama dengan rata-rata tanpa baris “{a.label(d)}”.", (total - v) / (n - 1)))
            if n > 1:
                out.append(
                    (f"Jumlahnya dibagi {n - 1}, padahal ada {n} baris berisi angka.", total / (n - 1))
                )
            out.append((f"Jumlahnya dibagi {n + 1}, padahal ada {n} baris berisi angka.", total / (n + 1)))
            if len(values) > n:
                out.append(("Baris kosong ikut dihitung sebagai 0 saat merata-rata.", total / len(values)))
        return out

    def _kode_candidates(
        self, i: int, column: str, cell: _Cell, expected: float
    ) -> list[tuple[str, float | None]]:
        a = self.a
        out: list[tuple[str, float | None]] = []
        for child in cell.scope:
            v = a.value_of(child, column)
            if v:
                name = a.kode.get(child, a.label(child))
                out.append(
                    (
                        f"Sama dengan jumlah tanpa rincian {name} (rincian itu tidak ikut dijumlah).",
                        expected - v,
                    )
                )
                out.append((f"Sama dengan jumlah bila rincian {name} dihitung dua kali.", expected + v))
        recomputed = [a.recomputed_of(child, column) for child in cell.scope]
        out.append(
            (
                "Cocok dengan jumlah rincian setelah rincian yang salah dihitung ulang; kesalahannya ada di "
                "rincian di bawahnya, bukan di baris ini.",
                math.fsum(v for v in recomputed if v is not None),
            )
        )
        descendants: list[int] = []
        stack = list(a.children.get(i, []))
        while stack:
            d = stack.pop()
            descendants.append(d)
            stack.extend(a.children.get(d, []))
        if len(descendants) > len(cell.scope):
            values = [a.value_of(d, column) for d in descendants]
            out.append(
                (
                    "Rincian tingkat lebih bawah ikut dijumlahkan bersama induknya (terhitung dua kali).",
                    math.fsum(v for v in values if v is not None),
                )
            )
        return out

    def _rule_candidates(
        self, i: int, column: str, rule: _Rule, expected: float
    ) -> list[tuple[str, float | None]]:
        a = self.a
        out: list[tuple[str, float | None]] = []

        def evaluate(node: Node, value: Callable[[int, str], float | None]) -> float | None:
            result = guarded_value(_bind(node, lambda c: Ref("x", f"{c}1", value(i, c)), a.columns))
            return float(result) if _is_number(result) else None

        for variant in _swap_divisions(rule.node):
            out.append((f"Rasio terbalik: dihitung {_render(variant)}.", evaluate(variant, a.value_of)))
        for variant in _division_differences(rule.node):
            out.append(("Yang ditulis adalah selisih, bukan rasio.", evaluate(variant, a.value_of)))
        row = self.t.rows[i]
        if row.kind != "data" or i in a.children:
            out.append(
                (
                    "Cocok bila dihitung dari jumlah hasil hitung ulang; angka jumlah yang tertulis di baris "
                    "ini yang salah.",
                    evaluate(rule.node, a.recomputed_of),
                )
            )
            members = a.scope.get(i, []) if row.kind != "data" else a.children.get(i, [])
            values = [v for v in (a.value_of(d, column) for d in members) if v is not None]
            if values:
                out.append(
                    (
                        "Persentase dijumlahkan, padahal seharusnya dihitung dengan rumus dari angka jumlahnya.",
                        math.fsum(values),
                    )
                )
                out.append(
                    (
                        "Persentase dirata-rata, padahal seharusnya dihitung dengan rumus dari angka jumlahnya.",
                        math.fsum(values) / len(values),
                    )
                )
        out += self._row_candidates(i, column)
        return out

    # -- row equalities ---------------------------------------------------------------
    def _check_equality(self, i: int, text: str, sides: list[Node]) -> None:
        a = self.a
        row = self.t.rows[i]
        deps: list[tuple[int, str]] = []
        exprs = [_bind(side, lambda c: a.inval(i, c, deps), a.columns) for side in sides]
        values = [guarded_value(e) for e in exprs]
        if any(not _is_number(v) for v in values):
            return
        side_columns = [_rule_columns(side, a.columns) for side in sides]
        used = [c for cols in side_columns for c in cols]
        entries = [row.cells[c] for c in used if c in row.cells and row.cells[c].is_number]
        if not entries:
            return  # nothing stated in this row
        decimals = max(precision.shown_decimals(e) for e in entries)
        numbers = [float(v) for v in values]
        reference = 0
        if len(numbers) >= 3:
            agree = [
                sum(precision.compare(x, y, decimals).severity is None for y in numbers) for x in numbers
            ]
            best = max(agree)
            if best > 1:
                reference = agree.index(best)
        for k, value in enumerate(numbers):
            if k == reference:
                continue
            verdict = _verdict(value, numbers[reference], decimals)
            if verdict.severity is None:
                continue
            for dep in deps:
                self._report_unreadable(dep[0], dep[1], f"cek {text}")
            self._equality_finding(i, text, sides, side_columns, k, reference, numbers, verdict, decimals)

    def _equality_finding(
        self,
        i: int,
        text: str,
        sides: list[Node],
        side_columns: list[list[str]],
        k: int,
        reference: int,
        numbers: list[float],
        verdict: Any,
        decimals: int,
    ) -> None:
        a = self.a
        row = self.t.rows[i]
        cells = tuple(f"{c}{row.row}" for c in side_columns[k])
        cell = cells[0] if cells else None
        label = a.label(i)

        def describe(n: int) -> str:
            columns = side_columns[n]
            names = (
                f"“{self.t.headers[columns[0]]}” s/d “{self.t.headers[columns[-1]]}”"
                if len(columns) > 2
                else " dan ".join(f"“{self.t.headers[c]}”" for c in columns)
            )
            return f"{_render(sides[n])} (kolom {names}) = {_num_text(numbers[n])}"

        stated, expected = numbers[k], numbers[reference]
        where = {**self._where(i, cell, text), "cells": cells}
        if verdict.rounding:
            self.findings.append(
                finding(
                    "rounding",
                    f"{self.t.sheet}!{cell}: pada {self.title} baris “{label}”, {describe(k)} dan {describe(reference)} "
                    f"hanya berbeda satu angka terakhir (cek {text}).",
                    stated=stated,
                    expected=expected,
                    difference=round(verdict.difference, 6),
                    **where,
                )
            )
            return
        difference = stated - expected
        hint = None
        pool = side_columns[k] if difference > 0 else side_columns[reference]
        for c in pool:
            v = a.value_of(i, c)
            if v is not None and abs(abs(difference) - v) <= 10.0 ** (-decimals) / 2:
                if difference > 0:
                    hint = (
                        f"Selisihnya ({_num_text(abs(difference))}) sama dengan isi kolom “{self.t.headers[c]}”: "
                        "isi kolom itu mungkin terhitung dua kali (juga di kolom lain pada sisi yang sama)."
                    )
                else:
                    hint = (
                        f"Selisihnya ({_num_text(abs(difference))}) sama dengan isi kolom “{self.t.headers[c]}” "
                        "di sisi lain: isi kolom itu mungkin belum dihitung di sisi ini."
                    )
                break
        error = finding(
            "sum-mismatch",
            f"{self.t.sheet}!{cell}: pada {self.title} baris “{label}”, {describe(k)} tidak sama dengan "
            f"{describe(reference)} (cek {text}); selisih {_num_text(difference)}.",
            stated=stated,
            expected=expected,
            difference=round(difference, 6),
            hint=hint,
            **where,
        )
        root = self._equality_root(i, sides, side_columns, k, reference, difference, decimals)
        if root is not None:
            error = finding(
                "follows-root",
                f"{self.t.sheet}!{cell}: pada {self.title} baris “{label}”, {describe(k)} tidak sama dengan "
                f"{describe(reference)} (cek {text}) hanya karena baris data di atasnya: selisihnya sama dengan "
                f"jumlah selisih baris-baris itu, mulai dari {root}. Setelah baris itu diperbaiki, baris ini ikut benar.",
                caused_by=root,
                fallback=error,
                stated=stated,
                expected=expected,
                difference=round(difference, 6),
                **where,
            )
        self.findings.append(error)

    def _equality_root(
        self,
        i: int,
        sides: list[Node],
        side_columns: list[list[str]],
        k: int,
        reference: int,
        difference: float,
        decimals: int,
    ) -> str | None:
        """On a total row, an equality that fails only by the sum of the failures of its data rows
        follows the first of them (SPEC 7: one wrong figure, one error)."""
        a = self.a
        if self.t.rows[i].kind != "sum" or not side_columns[k]:
            return None
        unit = 10.0 ** (-decimals) / 2 + 1e-9
        total, first = 0.0, None
        for d in a.scope.get(i, []):
            values = [
                guarded_value(_bind(side, lambda c, d=d: a.inval(d, c, []), a.columns)) for side in sides
            ]
            if not (_is_number(values[k]) and _is_number(values[reference])):
                continue
            gap = float(values[k]) - float(values[reference])
            total += gap
            if first is None and abs(gap) > unit:
                first = f"{self.t.sheet}!{side_columns[k][0]}{self.t.rows[d].row}"
        if first is None or abs(total - difference) > unit:
            return None
        return first

    # -- grades -----------------------------------------------------------------------
    def _check_grade(self, i: int, column: str, scale: str) -> None:
        bands = self.scales.get(scale)
        entry = self.t.rows[i].cells.get(column)
        if (
            bands is None
            or entry is None
            or entry.parsed is None
            or not entry.is_number
            or not entry.parsed.grade
        ):
            return
        grade = entry.parsed.grade
        value = float(entry.value)
        expected = wrong_label(bands, value, grade)
        if expected is None:
            return
        header = self.t.headers.get(column, column)
        self.findings.append(
            finding(
                "label-mismatch",
                f"{entry.sheet}!{entry.cell}: predikat “{grade}” untuk nilai {_num_text(value)} pada {self.title} "
                f"(kolom “{header}”, baris “{self.a.label(i)}”) tidak sesuai skala {SCALE_TITLES.get(scale, scale)}; "
                f"seharusnya “{expected.label}” (nilai {expected.describe()}).",
                stated=grade,
                expected=expected.label,
                **self._where(i, entry.cell, header),
            )
        )

    def _check_scale_names(self) -> None:
        """A ``skala:NAME`` the rules do not know is said once, with the names that exist."""
        for column, scale in self.t.scales.items():
            if scale in self.scales:
                continue
            cell = f"{column}{self.t.rule_row}"
            known = ", ".join("skala:" + name for name in self.scales)
            self.findings.append(
                finding(
                    "unreadable-value",
                    f"{self.t.sheet}!{cell}: skala “{scale}” di baris Rumus {self.title} tidak dikenal; pilihan: "
                    f"{known}. Skala lain ditulis di berkas aturan kabupaten sebagai [[skala.NAMA]].",
                    sheet=self.t.sheet,
                    cell=cell,
                    table=TABLE_ID,
                    row_key=_short_title(self.t.title),
                    field="Rumus",
                    stated=f"skala:{scale}",
                )
            )


def check_free_tables(
    tables: list[FreeTable], scales: dict[str, tuple[Band, ...]] | None = None
) -> list[Finding]:
    """Findings of every free table: totals, kode roll-ups, column formulas, row equalities, grades.

    ``scales``: the grade scales by name (``Rules.scales()``); by default those of the default rules.
    """
    if scales is None:
        scales = load_rules().scales()
    findings: list[Finding] = []
    for number, table in enumerate(tables, 1):
        try:
            findings.extend(_Checker(_Analysis(table, number), scales).run())
        except RecursionError:
            findings.append(_too_complex(table))
    return link_causes(findings)


def _too_complex(table: FreeTable) -> Finding:
    return finding(
        "no-value",
        f"{table.sheet}!A{table.title_row}: tabel “{_clip(table.title, 80)}” terlalu rumit untuk diperiksa "
        "(rumus atau kode bertingkat terlalu dalam); tabel ini dilewati.",
        severity="warning",
        sheet=table.sheet,
        cell=f"A{table.title_row}",
        table=TABLE_ID,
        row_key=_short_title(table.title),
    )


# ---------------------------------------------------------------------------
# Results workbook
# ---------------------------------------------------------------------------
