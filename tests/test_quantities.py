"""Unit tests of the derived quantities (SPEC section 4): Python value AND Excel formula.

Every quantity of :mod:`sakip_xlsx.quantities` is an expression tree that
gives both a Python value (``guarded_value``) and the formula written into
the results workbook (``cell_formula``).  Each test here asserts both: the
value, and the exact formula text (or, for long formulas, its key fragments).

To check that the formula *means* the same as the Python value without
starting LibreOffice, :func:`sheet_value` evaluates the formula text with a
small interpreter of the spreadsheet functions the package writes (IF, AND,
COUNT, IFERROR, MIN, MAX, SUM, AVERAGE, COUNTIF, arithmetic, comparisons).
It follows Excel/LibreOffice semantics where they matter here: a blank cell
is 0 in arithmetic, text that reads as a number is converted in arithmetic
(LibreOffice's default "convert only if unambiguous", Excel alike), other
text gives ``#VALUE!``, ``SUM``/``COUNT``/``AVERAGE``/``COUNTIF`` skip text
and blanks in references, and comparisons treat numbers within 2^-48
relative as equal (LibreOffice ``rtl::math::approxEqual``; Excel compares on
15 significant digits).  The LibreOffice parity test (``test_parity.py``)
checks the same formulas with LibreOffice itself.

Inputs are :class:`~sakip_xlsx.expr.Ref` objects: a cell of the results
workbook with the value it holds (``None`` = blank cell).
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sakip_xlsx import quantities as q
from sakip_xlsx.expr import (
    Average,
    Cells,
    CellsSum,
    Column,
    CountIf,
    Expr,
    Num,
    Numbers,
    Ref,
    RollUp,
    Sum,
    cell_formula,
    column_values,
    guarded_value,
)
from sakip_xlsx.rules import load_rules

# ---------------------------------------------------------------------------
# A small interpreter of the formulas the package writes
# ---------------------------------------------------------------------------


class Err(str):
    """A spreadsheet error value such as ``#DIV/0!``."""


DIV0, VALUE = Err("#DIV/0!"), Err("#VALUE!")

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<num>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
     |(?P<str>"(?:[^"]|"")*")
     |(?P<ref>(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)
     |(?P<func>[A-Z]+)\(
     |(?P<op><=|>=|<>|[-+*/<>=(),])
    )""",
    re.X,
)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        assert match and match.end() > position, f"cannot read formula at {text[position:]!r}"
        kind = match.lastgroup
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """Recursive descent over the formula grammar; gives a tuple AST."""

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.tokens[self.at]
        assert value is None or token[1] == value, f"expected {value!r}, got {token!r}"
        self.at += 1
        return token

    def parse(self):
        tree = self.comparison()
        assert self.peek() is None, f"trailing tokens {self.tokens[self.at :]}"
        return tree

    def comparison(self):
        left = self.additive()
        token = self.peek()
        if token and token[0] == "op" and token[1] in ("<", ">", "<=", ">=", "=", "<>"):
            self.take()
            return ("bin", token[1], left, self.additive())
        return left

    def additive(self):
        tree = self.term()
        while (token := self.peek()) and token[1] in ("+", "-") and token[0] == "op":
            self.take()
            tree = ("bin", token[1], tree, self.term())
        return tree

    def term(self):
        tree = self.unary()
        while (token := self.peek()) and token[1] in ("*", "/") and token[0] == "op":
            self.take()
            tree = ("bin", token[1], tree, self.unary())
        return tree

    def unary(self):
        token = self.peek()
        if token == ("op", "-"):
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            return ("num", float(text))
        if kind == "str":
            return ("str", text[1:-1].replace('""', '"'))
        if kind == "ref":
            sheet, cells = text.rsplit("!", 1)
            if sheet.startswith("'"):
                sheet = sheet[1:-1].replace("''", "'")
            cells = cells.replace("$", "")
            if ":" in cells:
                first, last = cells.split(":")
                return ("range", sheet, first, last)
            return ("ref", sheet, cells)
        if kind == "func":
            args = []
            if self.peek() != ("op", ")"):
                args.append(self.comparison())
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.comparison())
            self.take(")")
            return ("call", text, args)
        if (kind, text) == ("op", "("):
            tree = self.comparison()
            self.take(")")
            return tree
        raise AssertionError(f"unexpected token {text!r}")


def approx_equal(a: float, b: float) -> bool:
    """LibreOffice ``rtl::math::approxEqual``: equal within 2^-48 relative."""
    if a == b:
        return True
    if a == 0 or b == 0:
        return False
    difference = abs(a - b)
    return difference < abs(a) * 2.0**-48 and difference < abs(b) * 2.0**-48


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _split_cell(cell: str) -> tuple[int, int]:
    letters = re.match(r"[A-Z]+", cell).group(0)
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return column, int(cell[len(letters) :])


def _cell_name(column: int, row: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


class _Sheet:
    """Evaluates a parsed formula against ``cells``: (sheet, A1) -> value (None = blank)."""

    def __init__(self, cells: dict[tuple[str, str], Any]):
        self.cells = cells

    def cell(self, sheet: str, cell: str) -> Any:
        return self.cells.get((sheet, cell))

    def range_values(self, sheet: str, first: str, last: str) -> list[Any]:
        (c1, r1), (c2, r2) = _split_cell(first), _split_cell(last)
        return [self.cell(sheet, _cell_name(c, r)) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]

    # values ------------------------------------------------------------
    @staticmethod
    def number(value: Any) -> Any:
        """A value as used by arithmetic (Excel/LibreOffice coercion)."""
        if isinstance(value, Err):
            return value
        if value is None:
            return 0.0
        if isinstance(value, bool):
            return float(value)
        if _is_number(value):
            return float(value)
        text = str(value).strip()
        if re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", text):
            return float(text)
        return VALUE

    def truth(self, value: Any) -> Any:
        if isinstance(value, Err):
            return value
        if value is None:
            return False
        if isinstance(value, bool):
            return value
        if _is_number(value):
            return value != 0
        return VALUE

    @staticmethod
    def compare(op: str, left: Any, right: Any) -> Any:
        if isinstance(left, Err):
            return left
        if isinstance(right, Err):
            return right
        if left is None:
            left = "" if isinstance(right, str) else 0.0
        if right is None:
            right = "" if isinstance(left, str) else 0.0
        if _is_number(left) and _is_number(right):
            order = 0 if approx_equal(left, right) else (-1 if left < right else 1)
        elif isinstance(left, str) and isinstance(right, str):
            a, b = left.lower(), right.lower()
            order = (a > b) - (a < b)
        else:  # text is greater than any number
            order = 1 if isinstance(left, str) else -1
        return {
            "<": order < 0,
            ">": order > 0,
            "<=": order <= 0,
            ">=": order >= 0,
            "=": order == 0,
            "<>": order != 0,
        }[op]

    # evaluation --------------------------------------------------------------
    def eval(self, node) -> Any:
        kind = node[0]
        if kind in ("num", "str"):
            return node[1]
        if kind == "ref":
            return self.cell(node[1], node[2])
        if kind == "neg":
            value = self.number(self.eval(node[1]))
            return value if isinstance(value, Err) else -value
        if kind == "bin":
            op, left, right = node[1], self.eval(node[2]), self.eval(node[3])
            if op in ("<", ">", "<=", ">=", "=", "<>"):
                return self.compare(op, left, right)
            left, right = self.number(left), self.number(right)
            if isinstance(left, Err):
                return left
            if isinstance(right, Err):
                return right
            if op == "/":
                return DIV0 if right == 0 else left / right
            return {"+": left + right, "-": left - right, "*": left * right}[op]
        if kind == "call":
            return getattr(self, "f_" + node[1])(node[2])
        raise AssertionError(f"cannot evaluate {node!r}")

    def referenced(self, args) -> list[tuple[bool, Any]]:
        """(came from a reference, value) for each argument, ranges expanded."""
        values = []
        for arg in args:
            if arg[0] == "range":
                values += [(True, v) for v in self.range_values(arg[1], arg[2], arg[3])]
            elif arg[0] == "ref":
                values.append((True, self.eval(arg)))
            else:
                values.append((False, self.eval(arg)))
        return values

    def numbers(self, args) -> Any:
        found = []
        for by_reference, value in self.referenced(args):
            if isinstance(value, Err):
                return value
            if by_reference:
                if _is_number(value):
                    found.append(float(value))
            else:
                number = self.number(value)
                if isinstance(number, Err):
                    return number
                found.append(number)
        return found

    def f_IF(self, args):
        condition = self.truth(self.eval(args[0]))
        if isinstance(condition, Err):
            return condition
        if condition:
            return self.eval(args[1])
        return self.eval(args[2]) if len(args) > 2 else False

    def f_AND(self, args):
        results = [self.truth(self.eval(arg)) for arg in args]
        errors = [r for r in results if isinstance(r, Err)]
        return errors[0] if errors else all(results)

    def f_IFERROR(self, args):
        value = self.eval(args[0])
        return self.eval(args[1]) if isinstance(value, Err) else value

    def f_COUNT(self, args):
        return sum(1 for _, value in self.referenced(args) if _is_number(value))

    def f_SUM(self, args):
        found = self.numbers(args)
        return found if isinstance(found, Err) else math.fsum(found)

    def f_MIN(self, args):
        found = self.numbers(args)
        return found if isinstance(found, Err) else (min(found) if found else 0.0)

    def f_MAX(self, args):
        found = self.numbers(args)
        return found if isinstance(found, Err) else (max(found) if found else 0.0)

    def f_AVERAGE(self, args):
        found = self.numbers(args)
        if isinstance(found, Err):
            return found
        return math.fsum(found) / len(found) if found else DIV0

    def f_COUNTIF(self, args):
        values = [value for _, value in self.referenced([args[0]])]
        criterion = str(self.eval(args[1]))
        match = re.match(r"(<=|>=|<>|<|>|=)?(.*)$", criterion)
        op, operand = match.group(1) or "=", match.group(2)
        number = self.number(operand) if operand else VALUE
        count = 0
        for value in values:
            if isinstance(number, Err):  # text criterion: matches text only
                hit = isinstance(value, str) and self.compare(op, value, operand)
            else:
                hit = _is_number(value) and self.compare(op, value, number)
            count += bool(hit)
        return count


def refs_in(expr: Any) -> list[Ref]:
    """Every Ref inside an expression tree (the cells the formula reads)."""
    if isinstance(expr, Ref):
        return [expr]
    found: list[Ref] = []
    if isinstance(expr, tuple):
        for item in expr:
            found += refs_in(item)
    elif dataclasses.is_dataclass(expr):
        for item in dataclasses.fields(expr):
            found += refs_in(getattr(expr, item.name))
    return found


def sheet_value(expr: Expr, *extra: Ref) -> Any:
    """Value the spreadsheet shows for ``cell_formula(expr)`` ("" -> None), cells from its Refs."""
    cells = {(ref.sheet, ref.cell): ref.cached for ref in (*refs_in(expr), *extra)}
    formula = cell_formula(expr)
    assert formula.startswith("=")
    value = _Sheet(cells).eval(_Parser(formula[1:]).parse())
    return None if value == "" else value


def assert_same(python: Any, sheet: Any) -> None:
    """Python value and spreadsheet value are the same result (None ⇔ "")."""
    if _is_number(python) and _is_number(sheet):
        assert math.isclose(python, sheet, rel_tol=1e-12, abs_tol=1e-12), (python, sheet)
    else:
        assert python == sheet and type(python) is type(sheet), (python, sheet)


def check(expr: Expr, value: Any, formula: str | None = None, *fragments: str) -> None:
    """Assert the Python value, the formula text (or fragments) and that both agree."""
    python = guarded_value(expr)
    if value is None or isinstance(value, str):
        assert python == value
    else:
        assert python == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert _is_number(python)
    text = cell_formula(expr)
    if formula is not None:
        assert text == formula
    for fragment in fragments:
        assert fragment in text, (fragment, text)
    assert_same(python, sheet_value(expr))


# ---------------------------------------------------------------------------
# Interpreter self-checks (so a passing test means something)
# ---------------------------------------------------------------------------


def test_interpreter_semantics():
    cells = {("S", "A1"): 80, ("S", "A2"): None, ("S", "A3"): "60", ("S", "A4"): "abc", ("S", "A5"): ""}
    sheet = _Sheet(cells)

    def run(text):
        return sheet.eval(_Parser(text).parse())

    assert run("S!A1/S!A2") == DIV0
    assert run("S!A2*5") == 0  # blank is 0 in arithmetic
    assert run("S!A3*1") == 60  # numeric text converts in arithmetic
    assert run("S!A4*1") == VALUE
    assert run("S!A5*1") == VALUE  # the "" of a formula result is text
    assert run("COUNT(S!A1,S!A2,S!A3,S!A4,S!A5)") == 1
    assert run("SUM(S!A1:A5)") == 80  # text and blanks in a range are skipped
    assert run("SUM(S!A1,S!A2,S!A3,S!A4)") == 80
    assert run('IFERROR(S!A4*1,"")') == ""
    assert run("MIN(100,MAX(0,(-5)))") == 0
    assert run("AVERAGE(S!A2:A2)") == DIV0
    assert run('COUNTIF(S!A1:A5,">=80")') == 1
    assert run("80.00000000000001>80") is False  # LibreOffice approxEqual
    assert run("80.0000000001>80") is True
    assert run('IF(AND(S!A1>60,S!A1<=80),"x","y")') == "x"


# ---------------------------------------------------------------------------
# Capaian
# ---------------------------------------------------------------------------

DEFAULT = load_rules("default")  # no cap, floor 0, T/R, capaian - serapan
RAW = replace(DEFAULT, floor=None)  # neither cap nor floor
CAP = replace(DEFAULT, cap=100.0)  # Mojokerto style
CAP_ONLY = replace(DEFAULT, cap=100.0, floor=None)
TWO_T = replace(DEFAULT, negative_formula="(2T-R)/T")
TWO_T_RAW = replace(TWO_T, floor=None)
JOMBANG = load_rules("jombang")
REMBANG = load_rules("rembang")
MOJOKERTO = load_rules("mojokerto")

IND = "Indikator"
T, U, R = f"{IND}!F4", f"{IND}!G4", f"{IND}!H4"


def refs(target: Any, realisasi: Any, atas: Any = None) -> tuple[Ref, Ref, Ref]:
    return Ref(IND, "F4", target), Ref(IND, "H4", realisasi), Ref(IND, "G4", atas)


def capaian(target, realisasi, rules, negative=False, atas=None, upper_ref=False):
    t, r, u = refs(target, realisasi, atas)
    return q.capaian(t, r, negative, rules, u if upper_ref else None)


def test_capaian_positive():
    check(capaian(80, 60, DEFAULT), 75.0, f'=IF(COUNT({R},{T})<2,"",IFERROR(MAX(0,(({R}/{T})*100)),""))')
    check(capaian(81, 80.15, RAW), 80.15 / 81 * 100, f'=IF(COUNT({R},{T})<2,"",IFERROR((({R}/{T})*100),""))')


def test_capaian_positive_above_target_uncapped():
    check(
        capaian(8.22, 8.54, JOMBANG),
        8.54 / 8.22 * 100,
        f'=IF(COUNT({R},{T})<2,"",IFERROR(MAX(0,(({R}/{T})*100)),""))',
    )


def test_capaian_negative_t_over_r():
    # e.g. angka kemiskinan: target 80, realisasi 60 is better -> 133.33
    check(
        capaian(80, 60, DEFAULT, negative=True),
        80 / 60 * 100,
        f'=IF(COUNT({T},{R})<2,"",IFERROR(MAX(0,(({T}/{R})*100)),""))',
    )
    check(capaian(80, 100, DEFAULT, negative=True), 80.0)


def test_capaian_negative_two_t_minus_r():
    check(
        capaian(80, 60, TWO_T, negative=True),
        125.0,
        f'=IF(COUNT({T},{R})<2,"",IFERROR(MAX(0,((((2*{T})-{R})/{T})*100)),""))',
    )
    check(capaian(80, 100, TWO_T, negative=True), 75.0)


def test_capaian_zero_target_gives_no_value():
    expr = capaian(0, 5, DEFAULT)
    check(expr, None, f'=IF(COUNT({R},{T})<2,"",IFERROR(MAX(0,(({R}/{T})*100)),""))')
    assert "IFERROR(" in cell_formula(expr)
    assert sheet_value(expr) is None  # #DIV/0! caught -> ""
    check(capaian(0, 0, TWO_T, negative=True), None, None, "IFERROR(")


def test_capaian_zero_realisasi_negative_polarity():
    # T/R: division by zero -> no value; (2T-R)/T: 0 is twice as good as the target -> 200
    check(
        capaian(10, 0, DEFAULT, negative=True),
        None,
        f'=IF(COUNT({T},{R})<2,"",IFERROR(MAX(0,(({T}/{R})*100)),""))',
    )
    check(capaian(10, 0, TWO_T, negative=True), 200.0)


def test_capaian_negative_realisasi():
    check(capaian(80, -20, RAW), -25.0)
    check(capaian(80, -20, DEFAULT), 0.0, None, "MAX(0,")  # floor 0
    check(capaian(80, -20, DEFAULT, negative=True), 0.0)  # T/R = -400 -> floor
    check(capaian(80, -20, RAW, negative=True), -400.0)


def test_capaian_floor_zero_with_negative_result():
    # (2T-R)/T goes below zero when realisasi exceeds twice the target
    check(
        capaian(50, 120, TWO_T_RAW, negative=True),
        -40.0,
        f'=IF(COUNT({T},{R})<2,"",IFERROR(((((2*{T})-{R})/{T})*100),""))',
    )
    check(
        capaian(50, 120, TWO_T, negative=True),
        0.0,
        f'=IF(COUNT({T},{R})<2,"",IFERROR(MAX(0,((((2*{T})-{R})/{T})*100)),""))',
    )


def test_capaian_cap_on_and_off():
    check(
        capaian(80, 100, CAP), 100.0, f'=IF(COUNT({R},{T})<2,"",IFERROR(MIN(100,MAX(0,(({R}/{T})*100))),""))'
    )
    check(capaian(80, 100, CAP_ONLY), 100.0, f'=IF(COUNT({R},{T})<2,"",IFERROR(MIN(100,(({R}/{T})*100)),""))')
    check(capaian(80, 100, DEFAULT), 125.0, f'=IF(COUNT({R},{T})<2,"",IFERROR(MAX(0,(({R}/{T})*100)),""))')
    check(capaian(80, 60, CAP), 75.0)  # below the cap: unchanged
    check(capaian(80, 60, MOJOKERTO, negative=True), 100.0)  # 133.33 capped


RANGE_POSITIVE = (
    f'=IF(COUNT({R},{T},{U})<3,"",IFERROR(MAX(0,IF({R}<{T},(({R}/{T})*100),'
    f'IF({R}>{U},(({R}/{U})*100),100))),""))'
)
RANGE_NEGATIVE = (
    f'=IF(COUNT({R},{T},{U})<3,"",IFERROR(MAX(0,IF({R}<{T},(({T}/{R})*100),'
    f'IF({R}>{U},(({U}/{R})*100),100))),""))'
)


@pytest.mark.parametrize(
    ("realisasi", "negative", "expected", "formula"),
    [
        (65, False, 100.0, RANGE_POSITIVE),  # inside 60 – 70
        (60, False, 100.0, RANGE_POSITIVE),  # on the lower bound
        (70, False, 100.0, RANGE_POSITIVE),  # on the upper bound
        (50, False, 50 / 60 * 100, RANGE_POSITIVE),  # below: against the lower bound
        (77, False, 77 / 70 * 100, RANGE_POSITIVE),  # above: against the upper bound
        (65, True, 100.0, RANGE_NEGATIVE),
        (50, True, 60 / 50 * 100, RANGE_NEGATIVE),  # below is better for negative polarity
        (84, True, 70 / 84 * 100, RANGE_NEGATIVE),
    ],
)
def test_capaian_range_target(realisasi, negative, expected, formula):
    check(capaian(60, realisasi, DEFAULT, negative=negative, atas=70, upper_ref=True), expected, formula)


def test_capaian_range_target_from_parsed_text_upper_is_a_constant():
    # "60 – 70" typed in the target cell: the cell holds 60, the upper bound is a constant
    t, r, _ = refs(60, 77)
    expr = q.capaian(t, r, False, DEFAULT, Num(70))
    check(
        expr,
        110.0,
        f'=IF(COUNT({R},{T})<2,"",IFERROR(MAX(0,IF({R}<{T},(({R}/{T})*100),IF({R}>70,(({R}/70)*100),100))),""))',
    )
    check(q.capaian(*refs(60, 65)[:2], False, DEFAULT, Num(70)), 100.0)


def test_capaian_range_target_capped():
    check(capaian(60, 77, CAP, atas=70, upper_ref=True), 100.0, None, "MIN(100,MAX(0,IF(")


def test_capaian_range_with_blank_upper_gives_no_value():
    check(capaian(60, 65, DEFAULT, atas=None, upper_ref=True), None, None, "COUNT(", '<3,""')


@pytest.mark.parametrize(
    ("target", "realisasi"),
    [(None, 60), (80, None), (None, None), ("", 60), (80, "")],
    ids=["no-target", "no-realisasi", "neither", "empty-text-target", "empty-text-realisasi"],
)
@pytest.mark.parametrize("rules", [DEFAULT, CAP, TWO_T], ids=["default", "cap", "2T-R"])
@pytest.mark.parametrize("negative", [False, True], ids=["positif", "negatif"])
def test_capaian_missing_input_is_no_value_never_zero(target, realisasi, rules, negative):
    expr = capaian(target, realisasi, rules, negative=negative)
    assert guarded_value(expr) is None
    formula = cell_formula(expr)
    assert formula.startswith(f'=IF(COUNT({R},{T})<2,"",' if not negative else f'=IF(COUNT({T},{R})<2,"",')
    # without the COUNT guard a blank realisasi would show 0 (0/T); with it the cell is ""
    assert sheet_value(expr) is None


def test_capaian_text_in_referenced_cell():
    # a word where a number belongs: no value in Python, "" in the sheet (IFERROR catches #VALUE!)
    expr = capaian(80, "belum ada", DEFAULT)
    check(expr, None, f'=IF(COUNT({R},{T})<2,"",IFERROR(MAX(0,(({R}/{T})*100)),""))')
    check(capaian("tidak ada", 60, DEFAULT, negative=True), None, None, "IFERROR(")


def test_capaian_numeric_text_in_referenced_cell_is_no_value_on_both_sides():
    expr = capaian(80, "60", DEFAULT)
    assert guarded_value(expr) is None
    assert sheet_value(expr) is None  # the sheet gives 75.0


# ---------------------------------------------------------------------------
# Budget: serapan, selisih; efisiensi; SDM; penduduk
# ---------------------------------------------------------------------------

RA = "Realisasi Anggaran"
PAGU, REAL = f"'{RA}'!D4", f"'{RA}'!E4"


def budget(pagu: Any, realisasi: Any) -> tuple[Ref, Ref]:
    return Ref(RA, "D4", pagu), Ref(RA, "E4", realisasi)


def test_serapan():
    check(
        q.serapan(*budget(3_063_438_648, 2_936_629_428)),
        2_936_629_428 / 3_063_438_648 * 100,
        f'=IF(COUNT({REAL},{PAGU})<2,"",IFERROR((({REAL}/{PAGU})*100),""))',
    )


@pytest.mark.parametrize("realisasi", [0, 1_500_000])
def test_serapan_zero_pagu_gives_no_value(realisasi):
    expr = q.serapan(*budget(0, realisasi))
    check(expr, None, f'=IF(COUNT({REAL},{PAGU})<2,"",IFERROR((({REAL}/{PAGU})*100),""))')


def test_serapan_realisasi_above_pagu():
    check(q.serapan(*budget(1_000_000, 1_250_000)), 125.0)


def test_selisih():
    formula = f'=IF(COUNT({PAGU},{REAL})<2,"",({PAGU}-{REAL}))'
    check(q.selisih(*budget(3_063_438_648, 2_936_629_428)), 126_809_220, formula)
    check(q.selisih(*budget(1_000_000, 1_250_000)), -250_000, formula)  # realisasi > pagu: negative sisa
    check(q.selisih(*budget(None, 1_250_000)), None, formula)
    value = guarded_value(q.selisih(*budget(3_063_438_648, 2_936_629_428)))
    assert isinstance(value, int)  # rupiah stay integers


def test_selisih_text_in_referenced_cell_is_blank_in_sheet():
    expr = q.selisih(*budget(1_000_000, "belum cair"))
    assert guarded_value(expr) is None
    assert sheet_value(expr) is None  # the sheet gives #VALUE!


KA = "Kinerja dan Anggaran"
CAP_CELL, SERAPAN_CELL = f"'{KA}'!C4", f"'{KA}'!F4"


def test_efisiensi_capaian_minus_serapan():
    c, s = Ref(KA, "C4", 103.9), Ref(KA, "F4", 95.86)
    check(
        q.efisiensi(c, s, JOMBANG),
        103.9 - 95.86,
        f'=IF(COUNT({CAP_CELL},{SERAPAN_CELL})<2,"",({CAP_CELL}-{SERAPAN_CELL}))',
    )
    check(q.efisiensi(Ref(KA, "C4", None), s, JOMBANG), None)


def test_efisiensi_hundred_minus_serapan():
    c, s = Ref(KA, "C4", 103.9), Ref(KA, "F4", 95.86)
    check(q.efisiensi(c, s, REMBANG), 100 - 95.86, f'=IF(COUNT({SERAPAN_CELL})<1,"",(100-{SERAPAN_CELL}))')
    # the capaian plays no part in "100 - serapan": a missing capaian still gives a value
    check(q.efisiensi(Ref(KA, "C4", None), s, REMBANG), 100 - 95.86)
    check(q.efisiensi(c, Ref(KA, "F4", None), REMBANG), None)


SDM = "Efisiensi SDM"


def test_efisiensi_sdm():
    need, have = Ref(SDM, "C4", 18), Ref(SDM, "D4", 5)
    persen = q.ratio(have, need)
    check(
        persen,
        5 / 18 * 100,
        f"=IF(COUNT('{SDM}'!D4,'{SDM}'!C4)<2,\"\",IFERROR((('{SDM}'!D4/'{SDM}'!C4)*100),\"\"))",
    )
    capaian_ref, persen_ref = Ref(SDM, "F4", 99.0), Ref(SDM, "E4", guarded_value(persen))
    check(
        q.efisiensi_sdm(capaian_ref, persen_ref),
        99.0 - 5 / 18 * 100,
        f"=IF(COUNT('{SDM}'!F4,'{SDM}'!E4)<2,\"\",('{SDM}'!F4-'{SDM}'!E4))",
    )
    check(q.ratio(have, Ref(SDM, "C4", 0)), None, None, "IFERROR(")  # kebutuhan 0


PD = "Penduduk"


def test_penduduk_total_and_rasio():
    laki, perempuan = Ref(PD, "B4", 20_512), Ref(PD, "C4", 20_318)
    check(q.penduduk_total(laki, perempuan), 40_830, f'=IF(COUNT({PD}!B4,{PD}!C4)<2,"",({PD}!B4+{PD}!C4))')
    check(
        q.rasio_jenis_kelamin(laki, perempuan),
        20_512 / 20_318 * 100,
        f'=IF(COUNT({PD}!B4,{PD}!C4)<2,"",IFERROR((({PD}!B4/{PD}!C4)*100),""))',
    )
    check(q.rasio_jenis_kelamin(laki, Ref(PD, "C4", 0)), None)
    check(q.penduduk_total(laki, Ref(PD, "C4", None)), None)  # never laki + 0


def test_perbandingan_with_sign():
    check(
        q.perbandingan(Ref(IND, "H4", 80.15), Ref(IND, "N4", 84.19)),
        80.15 - 84.19,
        f'=IF(COUNT({IND}!H4,{IND}!N4)<2,"",({IND}!H4-{IND}!N4))',
    )


# ---------------------------------------------------------------------------
# Predikat
# ---------------------------------------------------------------------------

CK = "3.1 Capaian Kinerja"
J = f"'{CK}'!J4"

JOMBANG_FORMULA = (
    f'=IF(COUNT({J})<1,"",IF({J}>100,"Istimewa (Sangat Berhasil)",'
    f'IF(AND({J}>80,{J}<=100),"Baik (Berhasil)",'
    f'IF(AND({J}>60,{J}<=80),"Butuh Perbaikan (Cukup)",'
    f'IF(AND({J}>20,{J}<=60),"Kurang",'
    f'IF(AND({J}>=0,{J}<=20),"Sangat Kurang",""))))))'
)
REMBANG_FORMULA = (
    f'=IF(COUNT({J})<1,"",IF({J}>=90,"Amat Baik",'
    f'IF(AND({J}>=80,{J}<90),"Baik",'
    f'IF(AND({J}>=50,{J}<80),"Cukup Baik",'
    f'IF({J}<50,"Kurang","")))))'
)

JOMBANG_CASES = [
    (None, None),
    (-0.01, None),
    (0, "Sangat Kurang"),
    (0.01, "Sangat Kurang"),
    (19.99, "Sangat Kurang"),
    (20, "Sangat Kurang"),
    (20.01, "Kurang"),
    (59.99, "Kurang"),
    (60, "Kurang"),
    (60.01, "Butuh Perbaikan (Cukup)"),
    (79.99, "Butuh Perbaikan (Cukup)"),
    (80, "Butuh Perbaikan (Cukup)"),
    (80.01, "Baik (Berhasil)"),
    (99.99, "Baik (Berhasil)"),
    (100, "Baik (Berhasil)"),
    (100.0000001, "Istimewa (Sangat Berhasil)"),
    (100.01, "Istimewa (Sangat Berhasil)"),
    (110, "Istimewa (Sangat Berhasil)"),
    (250, "Istimewa (Sangat Berhasil)"),
]
REMBANG_CASES = [
    (None, None),
    (-5, "Kurang"),
    (0, "Kurang"),
    (49, "Kurang"),
    (49.5, "Kurang"),
    (49.99, "Kurang"),
    (50, "Cukup Baik"),
    (50.01, "Cukup Baik"),
    (79.99, "Cukup Baik"),
    (79.9999999, "Cukup Baik"),
    (80, "Baik"),
    (80.01, "Baik"),
    (89, "Baik"),
    (89.5, "Baik"),
    (89.99, "Baik"),
    (90, "Amat Baik"),
    (90.01, "Amat Baik"),
    (100, "Amat Baik"),
    (130, "Amat Baik"),
]


def test_predikat_formulas():
    assert cell_formula(q.predikat(Ref(CK, "J4", 85), JOMBANG)) == JOMBANG_FORMULA
    assert cell_formula(q.predikat(Ref(CK, "J4", 85), REMBANG)) == REMBANG_FORMULA


@pytest.mark.parametrize(("value", "label"), JOMBANG_CASES, ids=[str(c[0]) for c in JOMBANG_CASES])
def test_predikat_jombang_boundaries(value, label):
    expr = q.predikat(Ref(CK, "J4", value), JOMBANG)
    check(expr, label, JOMBANG_FORMULA)
    assert JOMBANG.predikat_of(value) == label


@pytest.mark.parametrize(("value", "label"), REMBANG_CASES, ids=[str(c[0]) for c in REMBANG_CASES])
def test_predikat_rembang_boundaries(value, label):
    expr = q.predikat(Ref(CK, "J4", value), REMBANG)
    check(expr, label, REMBANG_FORMULA)
    assert REMBANG.predikat_of(value) == label


#: capaian computed as R/T×100 that lands one rounding error off a band boundary.
NOISY_BOUNDARIES = [
    (JOMBANG, 0.7, 0.56, "Butuh Perbaikan (Cukup)"),  # 80.00000000000001, shown as 80,00 %
    (JOMBANG, 2.05, 1.23, "Kurang"),  # 60.00000000000001
    (JOMBANG, 0.35, 0.07, "Sangat Kurang"),  # 20.000000000000004
    (REMBANG, 0.1, 0.09, "Amat Baik"),  # 89.99999999999999, shown as 90,00 %
]


@pytest.mark.parametrize(
    ("rules", "target", "realisasi", "label"),
    NOISY_BOUNDARIES,
    ids=["jombang-80", "jombang-60", "jombang-20", "rembang-90"],
)
def test_predikat_of_a_capaian_one_rounding_error_off_a_boundary(rules, target, realisasi, label):
    value = guarded_value(capaian(target, realisasi, rules))
    expr = q.predikat(Ref(CK, "J4", value), rules)
    assert sheet_value(expr) == label  # what Excel/LibreOffice show
    assert guarded_value(expr) == label


# ---------------------------------------------------------------------------
# Sum, Average, CountIf
# ---------------------------------------------------------------------------


def _column(count: int, sheet: str = RA, column: str = "D", step: int = 1) -> tuple[Ref, ...]:
    """``count`` references down one column; ``step`` 2 leaves gaps so no two cells are adjacent."""
    values = []
    for i in range(count):
        if i % 7 == 3:
            value = None  # blank
        elif i % 11 == 5:
            value = ""  # formula result ""
        else:
            value = 1_000_000 + 137 * i
        values.append(Ref(sheet, f"{column}{4 + i * step}", value))
    return tuple(values)


def test_sum_small_with_blanks():
    terms = (Ref(RA, "D4", 100), Ref(RA, "D5", None), Ref(RA, "D6", 250), Ref(RA, "D7", ""))
    check(Sum(terms), 350, f"=SUM('{RA}'!D4:D7)")  # adjacent cells become one range
    scattered = (Ref(RA, "D4", 100), Ref(RA, "D6", None), Ref(RA, "D9", 250))
    check(Sum(scattered), 350, f"=SUM('{RA}'!D4,'{RA}'!D6,'{RA}'!D9)")
    check(q.total(list(terms)), 350)


def test_sum_of_blanks_and_of_nothing():
    check(Sum((Ref(RA, "D4", None), Ref(RA, "D5", ""))), 0)
    check(Sum(()), 0, "=SUM(0)")


@pytest.mark.parametrize(("count", "chunks"), [(250, 0), (251, 2), (256, 2), (600, 3)])
def test_sum_past_255_arguments_is_chunked(count, chunks):
    terms = _column(count, step=2)
    expr = Sum(terms)
    expected = math.fsum(t.cached for t in terms if isinstance(t.cached, int))
    check(expr, expected)
    formula = cell_formula(expr)
    assert not formula.startswith("=IF(")  # SUM skips blanks itself: no COUNT guard
    if chunks == 0:
        assert formula.count("SUM(") == 1
        assert formula.count(",") == count - 1
    else:
        assert formula.startswith("=SUM(SUM(")
        assert formula.count("SUM(") == chunks + 1
        inner = re.findall(r"SUM\(([^()]*)\)", formula)
        assert len(inner) == chunks
        assert all(len(part.split(",")) <= 255 for part in inner)
        assert sum(len(part.split(",")) for part in inner) == count


def test_sum_formula_fits_excel_length_limit():
    # 400 scattered cells on another sheet: chunked, still long; on the formula's own sheet: short
    assert len(cell_formula(Sum(_column(400)))) <= 8192
    scattered = Sum(_column(400, step=2))
    assert len(cell_formula(scattered, RA)) <= 8192
    assert RA not in cell_formula(scattered, RA)


def test_average():
    cells = (Ref(CK, "J4", 99.0), Ref(CK, "J5", None), Ref(CK, "J6", 103.9), Ref(CK, "J7", ""))
    check(Average(CK, "J4", "J7", cells), (99.0 + 103.9) / 2, f"=IFERROR(AVERAGE('{CK}'!J4:J7),\"\")")


def test_average_of_none_is_no_value():
    cells = (Ref(CK, "J4", None), Ref(CK, "J5", ""))
    expr = Average(CK, "J4", "J5", cells)
    check(expr, None, f"=IFERROR(AVERAGE('{CK}'!J4:J5),\"\")")
    assert sheet_value(expr) is None  # #DIV/0! caught


@pytest.mark.parametrize(("op", "expected"), [(">", 2), ("=", 1), ("<", 2), (">=", 3), ("<=", 3)])
def test_countif(op, expected):
    values = [120, 100, 99.5, None, "", 100.01, 0]
    cells = tuple(Ref(CK, f"J{4 + i}", v) for i, v in enumerate(values))
    expr = CountIf(CK, "J4", "J10", cells, op, 100)
    check(expr, expected, f"=COUNTIF('{CK}'!J4:J10,\"{op}100\")")


def test_countif_negative_threshold():
    cells = tuple(Ref(CK, f"J{4 + i}", v) for i, v in enumerate([-10, 0, 5]))
    expr = CountIf(CK, "J4", "J6", cells, ">", -5)
    assert guarded_value(expr) == 2
    assert sheet_value(expr) == 2


# ---------------------------------------------------------------------------
# Column expressions: every row at once gives what the row's own expression gives
# ---------------------------------------------------------------------------

_CELL_VALUES = st.one_of(
    st.none(),
    st.sampled_from(["", "belum ada", "60", 0, 0.0, -0.0, 100, 1e300, -1e300, 2**60]),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(min_value=-1e6, max_value=1e6, allow_nan=False),
)
_COLUMN_RULES = [DEFAULT, RAW, CAP, CAP_ONLY, TWO_T, TWO_T_RAW, JOMBANG, REMBANG, MOJOKERTO]


def _column_quantities(rules, t, r, u, p):
    """Every quantity built over the leaves t, r, u (target, realisasi, upper) and p (pagu)."""
    return [
        q.capaian(t, r, False, rules),
        q.capaian(t, r, True, rules),
        q.capaian(t, r, False, rules, u),
        q.capaian(t, r, True, rules, u),
        q.selisih(p, r),
        q.serapan(p, r),
        q.efisiensi(q.capaian(t, r, False, rules), q.serapan(p, r), rules),
        q.efisiensi_sdm(t, q.ratio(r, p)),
        q.predikat(q.capaian(t, r, False, rules), rules),
    ]


@given(st.lists(st.tuples(_CELL_VALUES, _CELL_VALUES, _CELL_VALUES, _CELL_VALUES), min_size=1, max_size=12))
@pytest.mark.parametrize("rules", _COLUMN_RULES, ids=lambda r: r.name)
def test_column_values_equal_each_rows_own_expression(rules, rows):
    n = len(rows)
    targets, reals, uppers, pagus = (list(column) for column in zip(*rows, strict=True))
    numbers = [u if isinstance(u, (int, float)) and math.isfinite(u) else 70 for u in uppers]
    lines = list(range(5, 5 + n))
    leaves = (
        Cells(IND, "F", lines, targets),
        Cells(IND, "H", lines, reals),
        Numbers(numbers),
        Cells(RA, "D", lines, pagus),
    )
    for number, column in enumerate(_column_quantities(rules, *leaves)):
        values = column_values(column, n)
        derived = Column(column, values)
        for row in range(n):
            # the same quantity built the usual way, over plain cells of this row
            plain = _column_quantities(
                rules,
                Ref(IND, f"F{lines[row]}", targets[row]),
                Ref(IND, f"H{lines[row]}", reals[row]),
                Num(numbers[row]),
                Ref(RA, f"D{lines[row]}", pagus[row]),
            )[number]
            bound = column.bind(row)
            assert cell_formula(bound) == cell_formula(plain)
            for home in (None, RA, IND):  # the column's formula template gives each row's own formula
                assert derived.formula_at(row, home) == cell_formula(plain, home)
                assert cell_formula(derived.at(row), home) == cell_formula(plain, home)
            assert guarded_value(derived.at(row)) == guarded_value(plain) or values[row] != values[row]
            expected = guarded_value(plain)
            assert guarded_value(bound) == expected or (expected != expected and values[row] != values[row])
            assert values[row] == expected and type(values[row]) is type(expected), (number, row)


def test_roll_up_column_sums_parts_and_keeps_own_cells():
    #      0 program (Σ 1, 4)   1 kegiatan (Σ 2, 3)   2, 3 sub kegiatan   4 kegiatan (own cell, blank)
    own = Cells("Anggaran", "I", [10, 11, 12, 13, 14], [999, 5, 100, "Rp x", None])
    parts = [(1, 4), (2, 3), None, None, None]
    rows = [4, 5, 6, 7, 8]
    column = RollUp(RA, "D", rows, parts, own)
    assert column_values(column, 5) == [100.0, 100.0, 100, None, None]
    assert column.missing_over(5) == [False, False, False, True, True]
    assert cell_formula(column.bind(0), RA) == "=SUM(D5,D8)"
    assert cell_formula(column.bind(1), RA) == "=SUM(D6,D7)"  # a run of three or more becomes a range
    assert cell_formula(column.bind(2), RA) == '=IF(COUNT(Anggaran!I12)<1,"",Anggaran!I12)'
    assert guarded_value(column.bind(0)) == 100.0 and guarded_value(column.bind(3)) is None
    # a derived column keeps each row's value with the row's expression
    derived = Column.of(q.serapan(Cells(RA, "D", rows, column_values(column, 5)), Numbers([50] * 5)), 5)
    assert derived.values == [50.0, 50.0, 50.0, None, None]
    assert guarded_value(derived.at(0)) == 50.0 and cell_formula(derived.at(0), RA) == (
        '=IF(COUNT(D4)<1,"",IFERROR(((50/D4)*100),""))'
    )


def test_column_formula_template_fits_every_row():
    rows = list(range(4, 104))
    pagu = Cells(RA, "D", rows, [1000.0 + i for i in range(100)])
    realisasi = Cells("Anggaran", "J", [row + 10 for row in rows], [900.0] * 100)
    column = Column.of(q.serapan(pagu, realisasi), 100)
    formulas = [column.formula_at(row, RA) for row in range(100)]
    assert formulas[5] == '=IF(COUNT(Anggaran!J19,D9)<2,"",IFERROR(((Anggaran!J19/D9)*100),""))'
    assert column._templates[RA] is not None  # one template, filled in per row
    assert formulas == [cell_formula(column.expr.bind(row), RA) for row in range(100)]
    # constants that differ per row (the upper bound of a range target) are filled in too, signs included
    target, real = Cells(IND, "F", [5, 6, 7], [60, 60, 60]), Cells(IND, "H", [5, 6, 7], [80, 80, 80])
    bounds = Column.of(q.capaian(target, real, False, CAP, Numbers([70, -2.5, 1e21])), 3)
    assert [bounds.formula_at(row) for row in range(3)] == [
        cell_formula(bounds.expr.bind(row)) for row in range(3)
    ]
    assert "(-2.5)" in bounds.formula_at(1) and "70" in bounds.formula_at(0)
    # a roll-up's rows differ in shape (a SUM or a copied cell): no template, each row its own formula
    rolled = Column.of(
        RollUp(RA, "D", [4, 5, 6], [(1, 2), None, None], Cells("Anggaran", "I", [7, 8, 9], [1, 2, 3])), 3
    )
    assert rolled.formula_at(0, RA) == "=SUM(D5,D6)" and rolled._templates[RA] is None
    assert cell_formula(rolled.at(1), RA) == '=IF(COUNT(Anggaran!I8)<1,"",Anggaran!I8)'


def test_sum_of_some_rows_of_a_column_is_the_sum_of_their_cells():
    cells = Cells(RA, "D", [4, 5, 6, 7, 8, 9], [100, None, "Rp x", 2.5, 7, 1e300])
    for rows in [(0, 1, 2, 3, 4), (3,), (), (1, 2), (0, 3, 4, 5)]:
        total = CellsSum(cells, rows)
        plain = Sum(tuple(cells.bind(row) for row in rows))
        assert guarded_value(total) == guarded_value(plain)
        assert cell_formula(total, RA) == cell_formula(plain, RA)
    assert cell_formula(CellsSum(cells, (0, 1, 2, 3)), RA) == "=SUM(D4:D7)"
    assert guarded_value(CellsSum(cells, (0, 1, 2, 3))) == 102.5
