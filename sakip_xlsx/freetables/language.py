"""The rule language of free tables: column formulas and row equalities, read by a small tokenizer
and recursive-descent parser into :mod:`sakip_xlsx.expr` trees (never ``eval``)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from ..cells import column_index
from ..expr import Expr, Num, Ref, Sum, compress_refs, function_call
from ..precision import is_number


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
class _CellN:
    """One cell of the table by its sheet address (a cell rule: ``E14 = E13 - H10``)."""

    letter: str
    row: int


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


Node = _NumN | _Col | _CellN | _Range | _Neg | _BinN | _CallN


def _tokenize(text: str, decimal_comma: bool, cells: bool = False) -> list[_Token]:
    """Tokens of a rule; a comma between digits is a decimal comma when ``decimal_comma``; cell
    addresses (``E14``) only when ``cells`` (a cell rule, :func:`parse_cell_rule`)."""
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
                if cells and j - i <= 3:
                    tokens.append(_Token("cell", text[i:k].upper()))
                    i = k
                    continue
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
        if token.kind == "cell":
            letters = token.text.rstrip("0123456789")
            return _CellN(letters, int(token.text[len(letters) :]))
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


def _parse_sides(text: str, decimal_comma: bool, cells: bool = False) -> list[Node]:
    parser = _Parser(_tokenize(text, decimal_comma, cells))
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


def _parse_both_ways(text: str, cells: bool = False) -> list[Node]:
    """Parse with decimal commas; if that fails, with commas as argument separators."""
    if len(text) > _MAX_RULE_LENGTH:
        raise RuleError(f"rumus terlalu panjang (lebih dari {_MAX_RULE_LENGTH} tanda)")
    try:
        return _parse_sides(text, decimal_comma=True, cells=cells)
    except RuleError as first:
        if "," not in text:
            raise
        try:
            return _parse_sides(text, decimal_comma=False, cells=cells)
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


#: a cell address in a rule (a cell rule is written with them)
CELL_ADDRESS = re.compile(r"(?<![A-Za-z])[A-Za-z]{1,3}[0-9]+")


def parse_cell_rule(text: str) -> tuple[_CellN, Node]:
    """Parse a rule for one cell written with sheet addresses, ``E14 = E13 - H10`` (a figure
    computed across rows: the efficiency row of a table from its mean row and another row);
    raise RuleError."""
    body = re.sub(r"(?i)^\s*cek\s*:?", "", text.strip()).strip()
    if body.startswith("="):
        body = body[1:]
    sides = _parse_both_ways(body, cells=True)
    if len(sides) != 2 or not isinstance(sides[0], _CellN):
        raise RuleError("rumus sel ditulis alamat sel = rumus, mis. E14 = E13 - H10")
    if any(isinstance(n, (_Col, _Range)) for n in _walk(sides[1])):
        raise RuleError("rumus sel memakai alamat sel saja (mis. E13), bukan huruf kolom")
    return sides[0], sides[1]


def _bind_cells(node: Node, get: Callable[[str, int], Expr]) -> Expr:
    """The expression tree of a cell rule with each address replaced by ``get(letter, row)``."""

    def column(letter: str) -> Expr:
        raise RuleError(f"rumus sel memakai alamat sel saja, bukan huruf kolom {letter}")

    return _bind(node, column, [], cells=get)


def _rule_cells(node: Node) -> list[tuple[str, int]]:
    """(letter, row) of every address a cell rule reads."""
    return list(dict.fromkeys((n.letter, n.row) for n in _walk(node) if isinstance(n, _CellN)))


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
        isinstance(n, (_Col, _CellN, _Range))
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
    if isinstance(node, _CellN):
        return f"{node.letter}{node.row}"
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
    return [v for v in values if is_number(v)]


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
        if not is_number(value):
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


def _bind(
    node: Node,
    get: Callable[[str], Expr],
    columns: list[str],
    cells: Callable[[str, int], Expr] | None = None,
) -> Expr:
    """The expression tree of a rule with each column letter replaced by ``get(letter)`` (and each
    cell address by ``cells(letter, row)``)."""
    if isinstance(node, _NumN):
        value = node.value
        return Num(int(value) if value.is_integer() and abs(value) < 1e15 else value)
    if isinstance(node, _Col):
        return get(node.letter)
    if isinstance(node, _CellN):
        if cells is None:
            raise RuleError(f"alamat sel {node.letter}{node.row} hanya boleh di rumus sel")
        return cells(node.letter, node.row)
    if isinstance(node, _Neg):
        return Num(0) - _bind(node.inner, get, columns, cells)
    if isinstance(node, _BinN):
        left, right = _bind(node.left, get, columns, cells), _bind(node.right, get, columns, cells)
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
            args.append(_bind(arg, get, columns, cells))
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
