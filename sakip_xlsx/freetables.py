"""Free tables ("Tabel Bebas"): any other numeric table of a report, checked by its totals and rules.

A report holds many numeric tables the fixed model has no place for
(population per desa, staff by education and sex, sarpras, PBB per year,
PATEN per month, LRA per kode rekening, IKM per unsur, IP ASN per pegawai).
Staff paste each one into the sheet :data:`FREE_SHEET` under a title row and
a header row; this module

* reads the sheet into :class:`FreeTable` objects (:func:`parse_free_tables`),
* checks totals, sub-totals, means, kode roll-ups, declared column formulas,
  row equalities and grade labels (:func:`check_free_tables`),
* describes one results-workbook table per free table whose recomputed cells
  are live formulas (:func:`free_table_derived`).

Conventions (the template prints them as :data:`INSTRUCTIONS`):

* a title row: column A starts with "Tabel" (any case) or "Judul:", the rest
  of the row is empty;
* the next non-empty row is the header row; a second header row under merged
  group headers ("Pendidikan" over "S2 S1 D3") is folded into the first, a
  column-numbering row ("1 2 3 4 ...") and repeated header rows are skipped;
* an optional rule row right under the header: one cell "Rumus" (column A, or a cell of its own
  beside the table), or "Rumus: <rule>" in column A so that column A keeps a rule of its own (e.g.
  "Rumus: kode"); in the other cells a column formula over column letters (``=D/C*100``, ``=B+C``,
  ``=SUM(B:M)``, ``=AVERAGE(C:K)``, ``=ROUND(D/C*100;2)``, ``=0,8*C+0,2*D``, ``=80%*C+20%*D``), a row
  equality (``cek: SUM(C:F)=SUM(G:H)``, chains ``A=B=C`` allowed), ``kode`` (dotted kode column
  rolling up by prefix), ``skala:NAME`` (grade labels typed with the value are checked on a scale of
  :meth:`rules.Rules.scales`), ``abaikan`` (column left unchecked) or what a total row is in that
  column (``total:jumlah|rata|rumus|abaikan``; ``jumlah:...`` / ``rata:...`` for sum or mean rows
  only); several entries in one cell are separated by ``;`` outside parentheses;
* data rows follow until a blank row or the next title; every cell is read by the shared reader
  (:func:`values.parse_value`), a column with rupiah written in it ("Rp. 1.250.000.000,00",
  "4.349.483.103,-") as rupiah; the label column ("1 Pendapatan Asli Daerah") and columns of words
  only are never figures;
* rows labelled Jumlah, Total, Sub Total, Rata-rata, alone or with words such as "Seluruh",
  "Keseluruhan", "Anggaran Tahun 2021" (also "Jumlah: <anything>") are total rows; "Rata-rata
  Capaian", "RATA-RATA TINGKAT KEMAJUAN" and the like only at the foot of the table. A total whose
  inputs are all unreadable gets a warning saying it was not checked.

Expressions are read by a small tokenizer and recursive-descent parser into
:mod:`sakip_xlsx.expr` trees: never ``eval``.  Numbers in rules may use a
decimal comma or point (``0,8`` and ``0.8``); function arguments are
separated by ``;`` or by ``,`` (a comma between two digits is a decimal
comma unless the formula only parses the other way, as ``ROUND(D/C*100,2)``).

Which figure a check uses: every input of a computation is the figure as
stated in the sheet when it is a number (so one wrong cell is reported once,
not again in every total built on it), else its recomputed value.  Sum rows
of a column whose rule divides (a percentage) are checked by the rule over
the row's own totals (pooled, never a sum of percentages); other rule
columns of a sum row are summed; mean rows average the column, except rupiah
columns (summed) and ratio rules over them (pooled), unless the rule row says
otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from . import precision
from .compute import DColumn, DerivedTable
from .description import FREE_SHEET_INSTRUCTIONS, column_index, column_letter
from .expr import Expr, Num, Ref, Sum, compress_refs, function_call, guarded_value
from .findings import Finding, finding, link_causes
from .model import Entry
from .precision import is_number
from .rules import SCALE_TITLES, Band, load_rules, wrong_label
from .values import Parsed, UnreadableValue, parse_value

__all__ = [
    "FIRST_TABLE_ROW",
    "FREE_SHEET",
    "INSTRUCTIONS",
    "TABLE_ID",
    "FreeRow",
    "FreeTable",
    "RuleError",
    "check_free_tables",
    "free_table_derived",
    "parse_equality",
    "parse_formula",
    "parse_free_tables",
]

FREE_SHEET = "Tabel Bebas"
TABLE_ID = "tabel_bebas"

INSTRUCTIONS = FREE_SHEET_INSTRUCTIONS
FIRST_TABLE_ROW = len(INSTRUCTIONS) + 2


@dataclass
class FreeRow:
    """One data or total row of a free table."""

    row: int  # Excel row number
    label: str | None
    kind: str  # "data" | "sum" | "mean"
    #: column letter -> Entry (value: the number read, or None; parsed: the reading, None if unreadable)
    cells: dict[str, Entry]


@dataclass
class FreeTable:
    """One table pasted into the free-table sheet."""

    title: str
    sheet: str
    title_row: int
    header_row: int
    rule_row: int | None
    headers: dict[str, str]  # column letter -> header text
    rows: list[FreeRow]  # data and total rows in order
    column_rules: dict[str, str]  # column letter -> formula text as written
    checks: list[str]  # row equalities as written (without "cek:")
    kode_column: str | None
    scales: dict[str, str]  # column letter -> scale name
    #: rule-row cell of each entry of ``checks``
    check_cells: list[str] = field(default_factory=list)
    #: columns marked "abaikan" in the rule row
    ignored: list[str] = field(default_factory=list)
    #: columns of words: the row labels ("1 Pendapatan Asli Daerah") and columns without a figure ("APBD")
    label_columns: list[str] = field(default_factory=list)
    #: what a total row is in a column, from the rule row ("total:rata", "jumlah:abaikan"):
    #: column -> row kind (sum | mean) -> sum | mean | rule | skip
    total_modes: dict[str, dict[str, str]] = field(default_factory=dict)
    #: how each column's cells are read ("rupiah" when rupiah is written in it, else "number")
    value_types: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Column letters in sheet order."""
        return sorted(self.headers, key=column_index)


# ---------------------------------------------------------------------------
# The rule language: tokenizer and recursive-descent parser
# ---------------------------------------------------------------------------


class RuleError(ValueError):
    """A formula or equality the staff wrote cannot be read (Indonesian message)."""


_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "SUM": (1, None),
    "AVERAGE": (1, None),
    "MIN": (1, None),
    "MAX": (1, None),
    "ROUND": (2, 2),
    "ABS": (1, 1),
}
_RANGE_FUNCTIONS = frozenset({"SUM", "AVERAGE", "MIN", "MAX"})
_KNOWN = "SUM, AVERAGE, MIN, MAX, ROUND, ABS"
_MAX_RULE_LENGTH = 300
_MAX_KODE_DEPTH = 12
#: larger figures are not read (no report holds them; sums of them would overflow)
_LARGEST = 1e15
_MAX_DEPTH = 40
_OPERATOR_LOOKALIKES = str.maketrans({"×": "*", "÷": "/", "−": "-", "–": "-", "—": "-", "\u00a0": " "})


@dataclass(frozen=True)
class _Token:
    kind: str  # num | name | op | end
    text: str
    value: float = 0.0


@dataclass(frozen=True)
class _NumN:
    value: float


@dataclass(frozen=True)
class _Col:
    letter: str


@dataclass(frozen=True)
class _Range:
    first: str
    last: str


@dataclass(frozen=True)
class _Neg:
    inner: Node


@dataclass(frozen=True)
class _BinN:
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class _CallN:
    name: str
    args: tuple[Node, ...]


Node = _NumN | _Col | _Range | _Neg | _BinN | _CallN


def _tokenize(text: str, decimal_comma: bool) -> list[_Token]:
    """Tokens of a rule; a comma between digits is a decimal comma when ``decimal_comma``."""
    text = text.translate(_OPERATOR_LOOKALIKES)
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch.isascii() and ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()):
            j = i
            while j < n and text[j].isascii() and text[j].isdigit():
                j += 1
            separators = ".," if decimal_comma else "."
            if j + 1 < n and text[j] in separators and text[j + 1].isascii() and text[j + 1].isdigit():
                j += 1
                while j < n and text[j].isascii() and text[j].isdigit():
                    j += 1
            literal = text[i:j]
            tokens.append(_Token("num", literal, float(literal.replace(",", "."))))
            i = j
            continue
        if ch.isascii() and ch.isalpha():
            j = i
            while j < n and text[j].isascii() and text[j].isalpha():
                j += 1
            if j < n and text[j].isascii() and text[j].isdigit():
                k = j
                while k < n and text[k].isascii() and text[k].isdigit():
                    k += 1
                raise RuleError(
                    f"“{text[i:k]}” adalah alamat sel; rumus di sini memakai huruf kolom saja (mis. =D/C*100)"
                )
            tokens.append(_Token("name", text[i:j].upper()))
            i = j
            continue
        if ch in "+-*/():,;=%":
            tokens.append(_Token("op", ch))
            i += 1
            continue
        raise RuleError(f"tanda “{ch}” tidak dikenal")
    tokens.append(_Token("end", ""))
    return tokens


class _Parser:
    """Recursive descent over the tokens of one rule."""

    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0
        self.depth = 0

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self) -> _Token:
        token = self.peek()
        self.i = min(self.i + 1, len(self.tokens) - 1)
        return token

    def at(self, *ops: str) -> bool:
        token = self.peek()
        return token.kind == "op" and token.text in ops

    def expect(self, op: str) -> None:
        if not self.at(op):
            token = self.peek()
            found = "akhir rumus" if token.kind == "end" else f"“{token.text}”"
            if op == ")":
                raise RuleError(f"tanda kurung tidak berpasangan: ada “(” tanpa “)” (ditemukan {found})")
            raise RuleError(f"seharusnya ada “{op}”, ditemukan {found}")
        self.take()

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise RuleError("rumus terlalu bertingkat")

    def expression(self) -> Node:
        self._enter()
        node = self.term()
        while self.at("+", "-"):
            op = self.take().text
            node = _BinN(op, node, self.term())
        self.depth -= 1
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.at("*", "/"):
            op = self.take().text
            node = _BinN(op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.at("+", "-"):
            op = self.take().text
            self._enter()
            inner = self.unary()
            self.depth -= 1
            return inner if op == "+" else _Neg(inner)
        node = self.primary()
        while self.at("%"):
            self.take()
            node = _NumN(node.value / 100) if isinstance(node, _NumN) else _BinN("/", node, _NumN(100.0))
        return node

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "num":
            return _NumN(token.value)
        if token.kind == "op" and token.text == "(":
            node = self.expression()
            self.expect(")")
            return node
        if token.kind == "name":
            if self.at("("):
                return self.call(token.text)
            if token.text in _FUNCTIONS:
                raise RuleError(f"{token.text} harus diikuti tanda kurung, mis. {token.text}(B:D)")
            if len(token.text) > 3:
                raise RuleError(f"“{token.text}” bukan huruf kolom maupun fungsi yang dikenal ({_KNOWN})")
            if self.at(":"):
                raise RuleError(f"rentang {token.text}:... hanya boleh di dalam SUM, AVERAGE, MIN atau MAX")
            return _Col(token.text)
        if token.kind == "end":
            raise RuleError("rumus berhenti di tengah jalan")
        if token.text == ")":
            raise RuleError("tanda kurung tidak berpasangan: ada “)” tanpa “(”")
        raise RuleError(f"tanda “{token.text}” tidak pada tempatnya")

    def call(self, name: str) -> Node:
        if name not in _FUNCTIONS:
            raise RuleError(f"fungsi {name} tidak dikenal; yang dikenal: {_KNOWN}")
        self.expect("(")
        self._enter()
        args: list[Node] = []
        if self.at(")"):
            raise RuleError(f"{name}() perlu isi di dalam tanda kurung")
        while True:
            args.append(self.argument(name))
            if self.at(",", ";"):
                self.take()
                continue
            self.expect(")")
            break
        self.depth -= 1
        low, high = _FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            count = f"{low}" if low == high else f"paling sedikit {low}"
            raise RuleError(f"{name} perlu {count} argumen, tertulis {len(args)}")
        if name == "ROUND":
            digits = _constant(args[1])
            if digits is None or not float(digits).is_integer() or abs(digits) > 10:
                raise RuleError("argumen kedua ROUND harus bilangan bulat, mis. ROUND(D/C*100;2)")
        return _CallN(name, tuple(args))

    def argument(self, name: str) -> Node:
        first, second, third = self.peek(), self.peek(1), self.peek(2)
        if first.kind == "name" and second.kind == "op" and second.text == ":":
            if name not in _RANGE_FUNCTIONS:
                raise RuleError(f"rentang kolom tidak boleh di dalam {name}")
            if third.kind != "name" or len(third.text) > 3 or len(first.text) > 3:
                raise RuleError("rentang kolom ditulis dengan dua huruf kolom, mis. B:M")
            self.take()
            self.take()
            self.take()
            return _Range(first.text, third.text)
        return self.expression()


def _constant(node: Node) -> float | None:
    if isinstance(node, _NumN):
        return node.value
    if isinstance(node, _Neg):
        inner = _constant(node.inner)
        return None if inner is None else -inner
    return None


def _parse_sides(text: str, decimal_comma: bool) -> list[Node]:
    parser = _Parser(_tokenize(text, decimal_comma))
    sides = [parser.expression()]
    while parser.at("="):
        while parser.at("="):
            parser.take()
        sides.append(parser.expression())
    token = parser.peek()
    if token.kind != "end":
        if token.text == ")":
            raise RuleError("tanda kurung tidak berpasangan: ada “)” tanpa “(”")
        raise RuleError(f"tanda “{token.text}” tidak pada tempatnya")
    return sides


def _parse_both_ways(text: str) -> list[Node]:
    """Parse with decimal commas; if that fails, with commas as argument separators."""
    if len(text) > _MAX_RULE_LENGTH:
        raise RuleError(f"rumus terlalu panjang (lebih dari {_MAX_RULE_LENGTH} tanda)")
    try:
        return _parse_sides(text, decimal_comma=True)
    except RuleError as first:
        if "," not in text:
            raise
        try:
            return _parse_sides(text, decimal_comma=False)
        except RuleError:
            raise first from None


def parse_formula(text: str) -> Node:
    """Parse a column formula such as ``=D/C*100`` (the ``=`` is optional); raise RuleError."""
    body = text.strip()
    if body.startswith("="):
        body = body[1:]
    if not body.strip():
        raise RuleError("rumus kosong")
    sides = _parse_both_ways(body)
    if len(sides) > 1:
        raise RuleError("rumus kolom berisi tanda “=” di tengah; untuk persamaan antar kolom tulis cek: A=B")
    return sides[0]


def parse_equality(text: str) -> list[Node]:
    """Parse a row equality such as ``cek: SUM(C:F)=SUM(G:H)`` into its sides; raise RuleError."""
    body = re.sub(r"(?i)^\s*cek\s*:?", "", text.strip()).strip()
    if body.startswith("="):
        body = body[1:]
    if not body:
        raise RuleError("persamaan kosong")
    sides = _parse_both_ways(body)
    if len(sides) < 2:
        raise RuleError("persamaan perlu dua sisi yang dipisah “=”, mis. cek: SUM(C:F)=SUM(G:H)")
    return sides


def _walk(node: Node) -> Iterable[Node]:
    yield node
    if isinstance(node, _Neg):
        yield from _walk(node.inner)
    elif isinstance(node, _BinN):
        yield from _walk(node.left)
        yield from _walk(node.right)
    elif isinstance(node, _CallN):
        for arg in node.args:
            yield from _walk(arg)


def _divides(node: Node) -> bool:
    return any(isinstance(n, _BinN) and n.op == "/" for n in _walk(node))


def _rule_code(node: Node) -> str:
    """Finding code of a column rule: ratio when it divides or averages, sum when purely additive."""
    nodes = list(_walk(node))
    if any(
        (isinstance(n, _BinN) and n.op == "/") or (isinstance(n, _CallN) and n.name == "AVERAGE")
        for n in nodes
    ):
        return "ratio-mismatch"
    if all(
        isinstance(n, (_Col, _Range))
        or (isinstance(n, _BinN) and n.op == "+")
        or (isinstance(n, _CallN) and n.name == "SUM")
        for n in nodes
    ):
        return "sum-mismatch"
    return "difference-mismatch"


def _render_number(value: float) -> str:
    text = repr(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}


def _operand(child: Node, parent: _BinN, right: bool, text: str) -> str:
    """``text`` of a child of ``parent``, in parentheses only where precedence needs them."""
    if not isinstance(child, _BinN):
        return text
    inner, outer = _PRECEDENCE[child.op], _PRECEDENCE[parent.op]
    if inner < outer or (right and inner == outer):
        return f"({text})"
    return text


def _render(node: Node) -> str:
    """Canonical text of a rule (letters, Indonesian decimal comma)."""
    if isinstance(node, _NumN):
        return _render_number(node.value)
    if isinstance(node, _Col):
        return node.letter
    if isinstance(node, _Range):
        return f"{node.first}:{node.last}"
    if isinstance(node, _Neg):
        inner = _render(node.inner)
        return "-" + (f"({inner})" if isinstance(node.inner, _BinN) else inner)
    if isinstance(node, _CallN):
        return f"{node.name}({';'.join(_render(a) for a in node.args)})"
    left = _operand(node.left, node, False, _render(node.left))
    right = _operand(node.right, node, True, _render(node.right))
    return f"{left}{node.op}{right}"


def _swap_divisions(node: Node) -> list[Node]:
    """Variants of ``node`` with one division inverted (the usual "ratio upside down" slip)."""
    if isinstance(node, _BinN):
        variants = [_BinN(node.op, v, node.right) for v in _swap_divisions(node.left)]
        variants += [_BinN(node.op, node.left, v) for v in _swap_divisions(node.right)]
        if node.op == "/":
            variants.insert(0, _BinN("/", node.right, node.left))
        return variants
    if isinstance(node, _Neg):
        return [_Neg(v) for v in _swap_divisions(node.inner)]
    return []


def _division_differences(node: Node) -> list[Node]:
    """``X - Y`` for each division ``X / Y`` in the rule (difference written instead of ratio)."""
    return [_BinN("-", n.left, n.right) for n in _walk(node) if isinstance(n, _BinN) and n.op == "/"]


# ---------------------------------------------------------------------------
# Expression nodes the rule language needs beyond sakip_xlsx.expr
# ---------------------------------------------------------------------------


def _numbers(terms: Iterable[Expr]) -> list[float]:
    values = (term.value() for term in terms)
    return [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)]


class _RangeSum(Sum):
    """``SUM`` written with ranges where even two references are neighbours."""

    min_run = 2


@dataclass(frozen=True, eq=False)
class _Mean(Expr):
    """``AVERAGE`` of any cells: blanks and text skipped on both sides, no value when none is a number."""

    terms: tuple[Expr, ...]

    def value(self) -> Any:
        values = _numbers(self.terms)
        return math.fsum(values) / len(values) if values else None

    def formula(self) -> str:
        parts = compress_refs(self.terms)
        if len(parts) <= 250:
            return f"AVERAGE({','.join(parts)})"
        counts = [f"COUNT({','.join(parts[i : i + 250])})" for i in range(0, len(parts), 250)]
        return f"({function_call('SUM', parts)}/{function_call('SUM', counts)})"

    def may_fail(self) -> bool:
        return True

    def strict_refs(self) -> list[Ref]:
        return [ref for term in self.terms if not isinstance(term, Ref) for ref in term.strict_refs()]


@dataclass(frozen=True, eq=False)
class _Extreme(Expr):
    """``MIN`` / ``MAX``: blanks skipped, 0 when nothing is a number (as in Excel)."""

    name: str
    terms: tuple[Expr, ...]

    def value(self) -> Any:
        values = _numbers(self.terms)
        if not values:
            return 0
        return min(values) if self.name == "MIN" else max(values)

    def formula(self) -> str:
        return function_call(self.name, compress_refs(self.terms))

    def strict_refs(self) -> list[Ref]:
        return [ref for term in self.terms if not isinstance(term, Ref) for ref in term.strict_refs()]

    def may_fail(self) -> bool:
        return any(term.may_fail() for term in self.terms)


@dataclass(frozen=True, eq=False)
class _Round(Expr):
    """``ROUND(x; digits)``: half away from zero, as Excel."""

    inner: Expr
    digits: int

    def value(self) -> Any:
        value = self.inner.value()
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
            return None
        try:
            return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-self.digits), ROUND_HALF_UP))
        except InvalidOperation:
            return None

    def formula(self) -> str:
        return f"ROUND({self.inner.formula()},{self.digits})"

    def strict_refs(self) -> list[Ref]:
        return self.inner.strict_refs()

    def may_fail(self) -> bool:
        return self.inner.may_fail()


@dataclass(frozen=True, eq=False)
class _Abs(Expr):
    inner: Expr

    def value(self) -> Any:
        value = self.inner.value()
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return None
        return abs(value)

    def formula(self) -> str:
        return f"ABS({self.inner.formula()})"

    def strict_refs(self) -> list[Ref]:
        return self.inner.strict_refs()

    def may_fail(self) -> bool:
        return self.inner.may_fail()


def _span(first: str, last: str, columns: list[str]) -> list[str]:
    """Table columns from ``first`` to ``last`` (either order)."""
    a, b = sorted((column_index(first), column_index(last)))
    return [c for c in columns if a <= column_index(c) <= b]


def _bind(node: Node, get: Callable[[str], Expr], columns: list[str]) -> Expr:
    """The expression tree of a rule with each column letter replaced by ``get(letter)``."""
    if isinstance(node, _NumN):
        value = node.value
        return Num(int(value) if value.is_integer() and abs(value) < 1e15 else value)
    if isinstance(node, _Col):
        return get(node.letter)
    if isinstance(node, _Neg):
        return Num(0) - _bind(node.inner, get, columns)
    if isinstance(node, _BinN):
        left, right = _bind(node.left, get, columns), _bind(node.right, get, columns)
        return {"+": left.__add__, "-": left.__sub__, "*": left.__mul__, "/": left.__truediv__}[node.op](
            right
        )
    if isinstance(node, _Range):  # only inside functions; kept for completeness
        return _RangeSum(tuple(get(c) for c in _span(node.first, node.last, columns)))
    args: list[Expr] = []
    for arg in node.args:
        if isinstance(arg, _Range):
            args.extend(get(c) for c in _span(arg.first, arg.last, columns))
        else:
            args.append(_bind(arg, get, columns))
    if node.name == "SUM":
        return _RangeSum(tuple(args))
    if node.name == "AVERAGE":
        return _Mean(tuple(args))
    if node.name in ("MIN", "MAX"):
        return _Extreme(node.name, tuple(args))
    if node.name == "ROUND":
        return _Round(args[0], int(_constant(node.args[1]) or 0))
    return _Abs(args[0])


def _rule_columns(node: Node, columns: list[str]) -> list[str]:
    """Column letters a rule reads (ranges expanded over the table's columns)."""
    found: list[str] = []
    for n in _walk(node):
        if isinstance(n, _Col):
            found.append(n.letter)
        elif isinstance(n, _Range):
            found.extend(_span(n.first, n.last, columns))
            found.extend(c for c in (n.first, n.last) if c not in columns)
    return list(dict.fromkeys(found))


# ---------------------------------------------------------------------------
# Reading the sheet
# ---------------------------------------------------------------------------

_SUM_LABELS = frozenset(
    {
        "jumlah",
        "total",
        "jumlah total",
        "total jumlah",
        "sub total",
        "subtotal",
        "sub jumlah",
        "grand total",
        "jumlah seluruhnya",
        "jumlah keseluruhan",
        "total keseluruhan",
    }
)
_MEAN_LABELS = frozenset({"rata rata", "ratarata", "rata2", "rerata"})
_EXPLICIT_TOTAL = re.compile(r"^\s*(jumlah|total|sub\s*total|rata[\s-]*rata|rerata)\s*:", re.IGNORECASE)
_INDEX_HEADERS = frozenset({"no", "nomor", "no urut", "nomor urut", "no urt", "nmr"})
_NUMBERING = re.compile(r"^\(?\s*([0-9]+)\s*[.)]?\s*\)?$")
_ROMAN = re.compile(r"^(?=[ivxlc]+\.?$)m*(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})\.?$", re.IGNORECASE)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as text (whole floats without ".0")."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _cell_at(row: list[object], index: int) -> object:
    return row[index] if index < len(row) else ""


def _title_of(row: list[object]) -> str | None:
    """The title when ``row`` is a title row, else None."""
    if not row or not isinstance(row[0], str):
        return None
    text = " ".join(row[0].split())
    if any(not _blank(value) for value in row[1:]):
        return None
    lowered = text.lower()
    judul = re.match(r"judul\s*:", lowered)
    if judul:
        return text[judul.end() :].strip() or "Tabel tanpa judul"
    if lowered.startswith("tabel"):
        return text
    return None


def _is_blank_row(row: list[object]) -> bool:
    return all(_blank(value) for value in row)


_RUPIAH_MARK = re.compile(r"^\s*[(\-−–]?\s*(?:rp|idr)\b|[0-9],-\s*$", re.IGNORECASE)


def _looks_rupiah(raw: object) -> bool:
    """Text written as rupiah: "Rp. 1.250.000.000,00", "IDR 5.000", "4.349.483.103,-"."""
    return isinstance(raw, str) and bool(_RUPIAH_MARK.search(raw))


def _read_number(raw: object, value_type: str = "number") -> tuple[Any, Parsed | None]:
    """(number or None, parsed or None when unreadable) of one cell, read by the shared reader."""
    if _blank(raw):
        return None, Parsed(None, "empty")
    try:
        parsed = parse_value(raw, value_type)
    except (UnreadableValue, ValueError):
        if value_type == "number":
            return None, None
        return _read_number(raw)  # "400 Dokumen" in a column that also holds rupiah
    value = parsed.value if parsed.kind == "number" else None
    if value is not None and abs(value) > _LARGEST:
        return None, None
    return value, parsed


def _is_numeric_cell(raw: object) -> bool:
    value, parsed = _read_number(raw, "rupiah" if _looks_rupiah(raw) else "number")
    return value is not None and parsed is not None and parsed.unit is None and parsed.grade is None


def _numbering_values(row: list[object]) -> list[int] | None:
    values = []
    for raw in row:
        if _blank(raw):
            continue
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and float(raw).is_integer():
            values.append(int(raw))
            continue
        match = _NUMBERING.match(str(raw).strip()) if isinstance(raw, str) else None
        if match is None:
            return None
        values.append(int(match.group(1)))
    return values


def _is_numbering_row(row: list[object]) -> bool:
    """A column-numbering row: 1, 2, 3, ... in neighbouring columns from the first used one."""
    values = _numbering_values(row)
    if not values or len(values) < 3 or values != list(range(1, len(values) + 1)):
        return False
    used = [i for i, raw in enumerate(row) if not _blank(raw)]
    return used == list(range(used[0], used[0] + len(used)))


def _label_of(row: list[object], skip: set[int]) -> tuple[str | None, int | None]:
    """(label, its column index): the first text cell with letters that is not a figure.

    A number, a numbering ("1.", "IV"), a score with its grade ("78 Baik") or a number with its unit
    ("400 Dokumen") is no label; "1 Pendapatan Asli Daerah" (a number followed by several words) is.
    """
    for index, raw in enumerate(row):
        if index in skip or not isinstance(raw, str):
            continue
        text = " ".join(raw.split())
        if not text or _NUMBERING.match(text) or _ROMAN.match(text) or not re.search(r"[A-Za-z]", text):
            continue
        value, parsed = _read_number(raw, "rupiah" if _looks_rupiah(raw) else "number")
        if (
            value is not None
            and parsed is not None
            and (parsed.grade or len((parsed.unit or "").split()) < 2)
        ):
            continue  # a figure: "84,5", "78 Baik", "400 Dokumen"
        return text, index
    return None, None


_TOTAL_HEAD = re.compile(r"^(sub ?total|sub jumlah|grand total|jumlah|total|rata ?rata|rata2|rerata)(?: |$)")
#: words after "Jumlah"/"Total" that keep a label a total anywhere in a table ("Jumlah Seluruh Anggaran")
_TOTAL_QUALIFIERS = frozenset(
    {"seluruh", "seluruhnya", "keseluruhan", "semua", "akhir", "umum", "total", "jumlah", "kecamatan"}
    | {"kabupaten", "anggaran", "tahun", "nilai", "semuanya", "pagu", "realisasi", "belanja"}
)
_TOTAL_MODES = {
    "jumlah": "sum",
    "sum": "sum",
    "rata": "mean",
    "rata rata": "mean",
    "ratarata": "mean",
    "rerata": "mean",
    "average": "mean",
    "rumus": "rule",
    "abaikan": "skip",
}
#: "total:rata" (every total row), "jumlah:abaikan" (sum rows only), "rata:jumlah" (mean rows only)
_TOTAL_SCOPE = re.compile(r"(total|jumlah|rata(?:\s*-?\s*rata)?)\s*:\s*")
_RULE_MARKER = re.compile(r"(?i)^\s*rumus\s*(?::|$)")


def _is_rule_row(row: list[object]) -> bool:
    """A rule row: one of its cells is "Rumus" (alone, or "Rumus: <rule of this column>")."""
    return any(isinstance(raw, str) and _RULE_MARKER.match(raw) for raw in row)


def _is_wordy(raw: object) -> bool:
    """Text that is no attempt at a number: it does not start with a digit, sign or "Rp" ("APBD 2021")."""
    return (
        isinstance(raw, str)
        and bool(re.search(r"[A-Za-z]{2}", raw))
        and not re.match(r"\s*[(+\-−–]?\s*(?:rp|idr|[0-9])", raw, re.IGNORECASE)
        and _read_number(raw)[1] is None
    )


def _is_na(raw: object) -> bool:
    parsed = _read_number(raw)[1]
    return parsed is not None and parsed.kind in ("na", "empty")


def _is_word_cell(raw: object) -> bool:
    """Words without a digit: in a total row, a label beside the figures, never a figure."""
    return isinstance(raw, str) and bool(re.search(r"[A-Za-z]{2}", raw)) and not re.search(r"[0-9]", raw)


def _row_kind(label: str | None, at_foot: bool = False) -> str:
    """ "sum", "mean" or "data" for a row label.

    Jumlah, Total, Sub Total, Rata-rata alone or with words such as "Seluruh", "Keseluruhan",
    "Anggaran Tahun 2021" are totals anywhere; "Rata-rata Capaian IKU", "RATA-RATA TINGKAT
    KEMAJUAN" (other words after the total word) only in the rows at the foot of the table
    (``at_foot``), so a data row such as "Rata-rata lama sekolah" higher up stays data.
    """
    if not label:
        return "data"
    explicit = _EXPLICIT_TOTAL.match(label)
    if explicit:
        word = _norm(explicit.group(1)).replace(" ", "")
        return "mean" if word in ("ratarata", "rerata") else "sum"
    normal = _norm(label)
    if normal in _SUM_LABELS:
        return "sum"
    if normal in _MEAN_LABELS or normal.replace(" ", "") in ("ratarata", "rata2"):
        return "mean"
    head = _TOTAL_HEAD.match(normal)
    if head is None:
        return "data"
    kind = "mean" if head.group(1).replace(" ", "") in ("ratarata", "rata2", "rerata") else "sum"
    rest = normal[head.end() :].split()
    if all(word in _TOTAL_QUALIFIERS or word.isdigit() for word in rest) or at_foot:
        return kind
    return "data"


def _is_year(raw: object) -> bool:
    value, _ = _read_number(raw)
    return isinstance(value, (int, float)) and float(value).is_integer() and 1900 <= value <= 2100


def _is_continuation(row: list[object], header: list[object]) -> bool:
    """A second header row under merged group headers ("Pendidikan" over "S2 S1 D3")."""
    used = [i for i, raw in enumerate(row) if not _blank(raw)]
    if not used:
        return False
    # sub-headers are words, or years ("Realisasi" over 2019 2020 2021)
    numeric = [i for i in used if _is_numeric_cell(row[i])]
    if any(not _is_year(row[i]) for i in numeric):
        return False
    if len(numeric) == len(used) and len(used) < 2:
        return False
    if _title_of(row) is not None or _is_rule_row(row):
        return False
    if not any(_blank(_cell_at(header, i)) for i in used):
        return False
    for i in used:
        above = _cell_at(header, i)
        group_start = not _blank(above) and _blank(_cell_at(header, i + 1))
        if not (_blank(above) or group_start):
            return False
    return True


def _row_texts(row: list[object]) -> list[str]:
    """Normalised texts of a row without trailing blanks (to spot repeated header or numbering rows)."""
    texts = [_norm(_text(raw)) if not _blank(raw) else "" for raw in row]
    while texts and not texts[-1]:
        texts.pop()
    return texts


def _merge_headers(header: list[object], extra: list[object]) -> list[object]:
    width = max(len(header), len(extra))
    merged: list[object] = []
    group = ""
    for i in range(width):
        top, below = _cell_at(header, i), _cell_at(extra, i)
        if not _blank(top):
            group = _text(top)
        elif _blank(below):
            group = ""
        if _blank(below):
            merged.append(top)
        else:
            merged.append(f"{group} {_text(below)}".strip() if group else _text(below))
    return merged


def _split_rule_cell(text: str) -> list[str]:
    """Parts of a rule-row cell separated by ";" or new lines outside parentheses."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ";\n":
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _short_title(title: str) -> str:
    match = re.match(r"(?i)\s*(?:judul:\s*)?tabel\.?\s*([0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)", title)
    if match and re.search(r"[0-9]", match.group(1)) or (match and len(match.group(1)) <= 2):
        return f"Tabel {match.group(1)}"
    return _clip(title, 40)


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _where(table: FreeTable, cell: str | None, label: str, column: str) -> dict[str, Any]:
    return {
        "sheet": table.sheet,
        "cell": cell,
        "table": TABLE_ID,
        "row_key": f"{_short_title(table.title)} / {label}",
        "field": column,
    }


def parse_free_tables(
    grid: list[list[object]], sheet: str = FREE_SHEET
) -> tuple[list[FreeTable], list[Finding]]:
    """Read every free table of the sheet ``grid`` (row-major, A1 at ``grid[0][0]``)."""
    rows = [list(row) if isinstance(row, (list, tuple)) else [] for row in grid]
    tables: list[FreeTable] = []
    findings: list[Finding] = []
    index, stray_open = 0, False
    while index < len(rows):
        title = _title_of(rows[index])
        if title is None:
            row = rows[index]
            if any(_is_numeric_cell(raw) for raw in row):
                if not stray_open:
                    first = next(i for i, raw in enumerate(row) if not _blank(raw))
                    cell = f"{column_letter(first)}{index + 1}"
                    findings.append(
                        finding(
                            "no-value",
                            f"{sheet}!{cell}: baris {index + 1} berisi angka tetapi tidak berada di bawah judul tabel, "
                            'jadi tidak diperiksa. Tambahkan baris judul ("Tabel ...") dan baris judul kolom di atasnya.',
                            severity="warning",
                            sheet=sheet,
                            cell=cell,
                            table=TABLE_ID,
                        )
                    )
                stray_open = True
            elif _is_blank_row(row):
                stray_open = False
            index += 1
            continue
        stray_open = False
        table, index, found = _read_table(rows, index, sheet, title)
        findings.extend(found)
        if table is not None:
            tables.append(table)
    return tables, findings


def _read_table(
    rows: list[list[object]], start: int, sheet: str, title: str
) -> tuple[FreeTable | None, int, list[Finding]]:
    """One table from its title row; returns (table, index of the row after it, findings)."""
    findings: list[Finding] = []
    where = {"sheet": sheet, "cell": f"A{start + 1}", "table": TABLE_ID, "row_key": _short_title(title)}
    r = start + 1
    while r < len(rows) and _is_blank_row(rows[r]):
        r += 1
    if r >= len(rows) or _title_of(rows[r]) is not None:
        findings.append(
            finding(
                "empty-table",
                f"{sheet}!A{start + 1}: tabel “{_clip(title, 80)}” tidak punya baris judul kolom dan data.",
                **where,
            )
        )
        return None, r, findings
    header_index = r
    header = list(rows[r])
    r += 1
    for _ in range(2):
        if r < len(rows) and _is_continuation(rows[r], header):
            header = _merge_headers(header, rows[r])
            r += 1
        else:
            break
    headers = {column_letter(i): _text(raw) for i, raw in enumerate(header) if not _blank(raw)}

    rule_row: int | None = None
    column_rules: dict[str, str] = {}
    checks: list[str] = []
    check_cells: list[str] = []
    kode_column: str | None = None
    scales: dict[str, str] = {}
    ignored: list[str] = []
    total_modes: dict[str, dict[str, str]] = {}
    numbering: list[str] | None = None
    while r < len(rows) and _is_numbering_row(rows[r]):
        numbering = _row_texts(rows[r])
        r += 1
    if r < len(rows) and _is_rule_row(rows[r]):
        rule_row = r + 1
        for i, raw in enumerate(rows[r]):
            if _blank(raw):
                continue
            letter = column_letter(i)
            cell = f"{letter}{rule_row}"
            text = _text(raw) if not isinstance(raw, str) else raw.strip()
            marker = _RULE_MARKER.match(text)
            if marker:  # "Rumus" alone marks the row; "Rumus: kode" also gives this column its rule
                text = text[marker.end() :].strip()
                if not text:
                    continue
            if not isinstance(raw, str):
                findings.append(
                    finding(
                        "unreadable-value",
                        f"{sheet}!{cell}: baris Rumus tabel “{_clip(title, 80)}” berisi angka {text}, bukan rumus; "
                        "mungkin Excel sudah menghitung rumusnya. Ketik ulang rumusnya dengan tanda petik di depan, "
                        "mis. '=D/C*100.",
                        sheet=sheet,
                        cell=cell,
                        table=TABLE_ID,
                        row_key=_short_title(title),
                        stated=text,
                    )
                )
                continue
            if text.startswith("#"):
                findings.append(
                    finding(
                        "unreadable-value",
                        f"{sheet}!{cell}: baris Rumus tabel “{_clip(title, 80)}” berisi galat Excel “{text}”: rumus "
                        "diketik tanpa tanda petik sehingga Excel mencoba menghitungnya. Ketik ulang dengan tanda "
                        "petik di depan, mis. '=D/C*100.",
                        sheet=sheet,
                        cell=cell,
                        table=TABLE_ID,
                        row_key=_short_title(title),
                        stated=text,
                    )
                )
                continue
            for part in _split_rule_cell(text):
                lowered = part.lower()
                body = part[1:] if part.startswith("=") else part
                if re.match(r"(?i)cek\s*:", part) or "=" in body:  # an equality, with or without "cek:"
                    checks.append(re.sub(r"(?i)^\s*cek\s*:\s*", "", part).strip())
                    check_cells.append(cell)
                elif lowered == "kode":
                    if kode_column is None:
                        kode_column = letter
                    else:
                        findings.append(
                            finding(
                                "unreadable-value",
                                f"{sheet}!{cell}: tabel “{_clip(title, 80)}” sudah punya kolom kode ({kode_column}); "
                                "hanya satu kolom kode yang dipakai.",
                                sheet=sheet,
                                cell=cell,
                                table=TABLE_ID,
                                row_key=_short_title(title),
                                stated=part,
                            )
                        )
                elif lowered.startswith("skala"):
                    scales[letter] = _norm(part.split(":", 1)[1] if ":" in part else part[5:]).replace(
                        " ", "_"
                    )
                elif lowered in ("abaikan", "-", "teks"):
                    ignored.append(letter)
                elif _TOTAL_SCOPE.match(lowered):
                    scope = _TOTAL_SCOPE.match(lowered)
                    kinds = {"total": ("sum", "mean"), "jumlah": ("sum",)}.get(scope.group(1), ("mean",))
                    mode = _TOTAL_MODES.get(_norm(lowered[scope.end() :]))
                    if mode is None:
                        findings.append(
                            finding(
                                "unreadable-value",
                                f"{sheet}!{cell}: “{part}” di baris Rumus tabel “{_clip(title, 80)}” tidak dikenal; "
                                "pilihan: total:jumlah, total:rata, total:rumus, total:abaikan (di semua baris "
                                "total), atau jumlah:... / rata:... (hanya di baris jumlah / baris rata-rata).",
                                sheet=sheet,
                                cell=cell,
                                table=TABLE_ID,
                                row_key=_short_title(title),
                                stated=part,
                            )
                        )
                    else:
                        for kind in kinds:
                            total_modes.setdefault(letter, {})[kind] = mode
                elif letter in column_rules:
                    findings.append(
                        finding(
                            "unreadable-value",
                            f"{sheet}!{cell}: kolom {letter} tabel “{_clip(title, 80)}” sudah punya rumus "
                            f"“{column_rules[letter]}”; rumus kedua “{part}” tidak dipakai.",
                            sheet=sheet,
                            cell=cell,
                            table=TABLE_ID,
                            row_key=_short_title(title),
                            stated=part,
                        )
                    )
                else:
                    column_rules[letter] = part
        r += 1

    index_columns = {i for i, raw in enumerate(header) if _norm(_text(raw)) in _INDEX_HEADERS}
    body: list[tuple[int, list[object]]] = []  # (0-based row index, cells) of the data and total rows
    while r < len(rows) and not _is_blank_row(rows[r]) and _title_of(rows[r]) is None:
        row = rows[r]
        texts = _row_texts(row)
        if (not body and _is_numbering_row(row)) or texts in (numbering, _row_texts(header)):
            numbering = texts if numbering is None and _is_numbering_row(row) else numbering
            r += 1
            continue
        for i, raw in enumerate(row):
            letter = column_letter(i)
            if not _blank(raw) and letter not in headers:
                headers[letter] = f"Kolom {letter}"
        body.append((r, row))
        r += 1

    # each row's label, and the column(s) the labels come from: a label cell is never a figure
    skip = {column_index(kode_column)} if kode_column else set()
    labelled = [_label_of(row, skip) for _, row in body]
    sources = [index for _, index in labelled if index is not None]
    label_columns = {
        column_letter(index)
        for index in set(sources)
        if sources.count(index) * 2 >= len(sources) and column_letter(index) != kode_column
    }
    # a column of words only ("APBD", "Baik") is no figure column either
    for letter in headers:
        texts = [_cell_at(row, column_index(letter)) for _, row in body]
        texts = [raw for raw in texts if not _blank(raw)]
        wordy = [raw for raw in texts if _is_wordy(raw)]
        if letter != kode_column and wordy and all(_is_wordy(raw) or _is_na(raw) for raw in texts):
            label_columns.add(letter)
    # a column with rupiah written in it ("Rp. 1.250.000.000,00", "4.349.483.103,-") is read as rupiah
    value_types = {
        letter: "rupiah"
        if any(_looks_rupiah(_cell_at(row, column_index(letter))) for _, row in body)
        else "number"
        for letter in headers
    }
    data: list[FreeRow] = []
    for (r_index, row), (label, _) in zip(body, labelled, strict=True):
        cells: dict[str, Entry] = {}
        for letter in headers:
            i = column_index(letter)
            raw = _cell_at(row, i)
            if letter == kode_column:
                try:
                    parsed = parse_value(raw, "kode")
                except (UnreadableValue, ValueError):
                    parsed = None
                cells[letter] = Entry(None, raw, sheet, letter, r_index + 1, parsed)
                continue
            if letter in label_columns:
                kind = "empty" if _blank(raw) else "text"
                cells[letter] = Entry(None, raw, sheet, letter, r_index + 1, Parsed(None, kind))
                continue
            value, parsed = _read_number(raw, value_types[letter])
            cells[letter] = Entry(value, raw, sheet, letter, r_index + 1, parsed)
        if label is None:
            label = next(
                (
                    _text(_cell_at(row, i))
                    for i in range(len(row))
                    if i not in index_columns and not _blank(_cell_at(row, i))
                ),
                None,
            )
        data.append(FreeRow(r_index + 1, label, _row_kind(label), cells))
    # "RATA-RATA TINGKAT KEMAJUAN", "Rata-rata Capaian": a total only at the foot of the table
    for row in reversed(data):
        if row.kind != "data":
            continue
        kind = _row_kind(row.label, at_foot=True)
        if kind == "data":
            break
        row.kind = kind
    for row in data:
        if row.kind != "data":
            for letter, entry in row.cells.items():
                if _is_word_cell(entry.raw):  # "RATA-RATA KETERSEDIAAN SDM" beside a total: a label
                    row.cells[letter] = Entry(None, entry.raw, sheet, letter, row.row, Parsed(None, "text"))

    findings.extend(_ambiguity_findings(data, headers, index_columns, title, sheet))
    if not data:
        findings.append(
            finding(
                "empty-table",
                f"{sheet}!A{start + 1}: tabel “{_clip(title, 80)}” tidak punya baris data di bawah "
                "judul kolomnya.",
                **where,
            )
        )
        return None, r, findings
    table = FreeTable(
        title=title,
        sheet=sheet,
        title_row=start + 1,
        header_row=header_index + 1,
        rule_row=rule_row,
        headers=dict(sorted(headers.items(), key=lambda item: column_index(item[0]))),
        rows=data,
        column_rules=column_rules,
        checks=checks,
        kode_column=kode_column,
        scales=scales,
        check_cells=check_cells,
        ignored=ignored,
        label_columns=sorted(label_columns, key=column_index),
        total_modes=total_modes,
        value_types=value_types,
    )
    return table, r, findings


def _zero_thousands(entry: Entry) -> bool:
    """ "650.000" read as 650000: three zeros after the point are never written as decimals."""
    return float(entry.value).is_integer() and bool(re.search(r"[.,]000(?![0-9])", _text(entry.raw)))


def _ambiguity_findings(
    data: list[FreeRow], headers: dict[str, str], index_columns: set[int], title: str, sheet: str
) -> list[Finding]:
    """One ``ambiguous-value`` info per column whose other figures do not confirm a guessed reading.

    "1.100" is read as 1100 and "21,746" as 21,746; when the column's unambiguous figures are all
    whole numbers (resp. include a decimal one) the reading is confirmed and nothing is said.
    """
    findings: list[Finding] = []
    for letter, header in headers.items():
        if column_index(letter) in index_columns:
            continue
        entries = [row.cells[letter] for row in data if letter in row.cells and row.cells[letter].is_number]
        guessed = [e for e in entries if e.parsed is not None and e.parsed.note and not _zero_thousands(e)]
        if not guessed:
            continue
        sure = [float(e.value) for e in entries if e.parsed is not None and not e.parsed.note]
        unconfirmed = [
            e
            for e in guessed
            if not (
                (float(e.value).is_integer() and sure and all(v.is_integer() for v in sure))
                or (not float(e.value).is_integer() and any(not v.is_integer() for v in sure))
            )
        ]
        if not unconfirmed:
            continue
        first = unconfirmed[0]
        more = (
            f" (juga {len(unconfirmed) - 1} sel lain di kolom ini dibaca dengan cara yang sama)"
            if len(unconfirmed) > 1
            else ""
        )
        findings.append(
            finding(
                "ambiguous-value",
                f"{sheet}!{first.cell}: kolom “{header}” tabel “{_clip(title, 80)}”: {first.parsed.note}{more}",
                sheet=sheet,
                cell=first.cell,
                cells=tuple(e.cell for e in unconfirmed),
                table=TABLE_ID,
                row_key=_short_title(title),
                field=header,
                stated=_text(first.raw),
                expected=first.value,
            )
        )
    return findings


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
        self.index_columns = {c for c in self.columns if _norm(table.headers[c]) in _INDEX_HEADERS}
        self.rules: dict[str, _Rule] = {}
        self.equalities: list[tuple[str, str, list[Node]]] = []
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
        for text, cell in zip(table.checks, table.check_cells, strict=False):
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
        return self.findings

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
    ) -> None:
        """One stated cell against its expected value, by the shared rule (:func:`precision.judge`)."""
        unit = 10.0 ** (-precision.shown_decimals(entry))
        useful = [
            (text, value)
            for text, value in candidates
            if value is not None and math.isfinite(value) and abs(value - expected) > unit / 2
        ]
        judgement = precision.judge(entry.raw, entry.value, expected, printed, fraction_allowed=fraction)
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
        )

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
        ground = self._ground(i, column)
        return Num(ground) if ground is not None else self.a.inval(i, column, [])

    def _off(self, i: int, column: str) -> str | None:
        """``Sheet!A1`` of a stated total or parent figure that differs from its ground, else None."""
        entry = self.t.rows[i].cells.get(column)
        if entry is None or not entry.is_number or self.a.content(i, column) is None:
            return None
        ground = self._ground(i, column)
        if ground is None or precision.agrees(entry.raw, entry.value, ground):
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


def _column_kind(analysis: _Analysis, column: str) -> str:
    table = analysis.table
    if column == table.kode_column:
        return "kode"
    values = [
        row.cells[column].value for row in table.rows if column in row.cells and row.cells[column].is_number
    ]
    if not values:
        return "text"
    header = table.headers[column].lower()
    rule = analysis.rules.get(column)
    if (rule is not None and rule.ratio) or "%" in header or "persen" in header:
        return "percent"
    if all(float(v).is_integer() for v in values):
        return "integer"
    return "number"


def free_table_derived(tables: list[FreeTable]) -> list[DerivedTable]:
    """One results-workbook table per free table ("Bebas 1", "Bebas 2", ...).

    Data cells refer to the copy of the free-table sheet (same addresses); totals, means, kode
    parents and rule columns are live formulas of the recomputed values.
    """
    derived: list[DerivedTable] = []
    for number, table in enumerate(tables, 1):
        try:
            derived.append(_derived_table(table, number))
        except RecursionError:
            continue  # reported by check_free_tables
    return derived


def _derived_table(table: FreeTable, number: int) -> DerivedTable:
    """The results-workbook table of one free table."""
    analysis = _Analysis(table, number)
    columns = []
    for column in analysis.columns:
        kind = _column_kind(analysis, column)
        columns.append(DColumn(column, table.headers[column], kind, 30 if kind == "text" else 14))
    last = table.rows[-1].row if table.rows else table.header_row
    result = DerivedTable(
        analysis.skeleton.id,
        analysis.skeleton.sheet,
        table.title,
        columns,
        note=(
            f"Salinan tabel dari lembar {table.sheet} baris {table.title_row}–{last}; jumlah, rata-rata, "
            "induk kode dan kolom berumus dihitung ulang."
        ),
    )
    for i, row in enumerate(table.rows):
        cells: dict[str, Any] = {}
        for column in analysis.columns:
            cell = analysis.content(i, column)
            entry = row.cells.get(column)
            if cell is not None:
                cells[column] = cell.expr
            elif entry is None or _blank(entry.raw):
                cells[column] = None
            else:
                cached = entry.value if entry.is_number else _text(entry.raw)
                cells[column] = Ref(entry.sheet, entry.cell, cached)
        style = "total" if row.kind != "data" else ("program" if i in analysis.children else "normal")
        result.add(f"{_short_title(table.title)} / {analysis.label(i)}", cells, style)
    return result
